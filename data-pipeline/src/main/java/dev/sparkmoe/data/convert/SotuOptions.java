package dev.sparkmoe.data.convert;

/**
 * How {@link SotuConverter} turns the State of the Union package into WikiText layout.
 *
 * @param seed                  seed of the by-article train/valid/test split
 * @param validFraction         share of addresses in {@code valid}, in {@code [0, 1)}; a non-zero
 *                              share gives at least one address
 * @param testFraction          share of addresses in {@code test}, as {@code validFraction}
 * @param sentencesPerParagraph sentences per paragraph ({@link ParagraphSplitter}), at least 1
 * @param minYear               first year converted (inclusive)
 * @param maxYear               last year converted (inclusive)
 * @param writeTokens           write {@code wiki.*.tokens}
 * @param writeRaw              write {@code wiki.*.raw}
 * @param strict                fail at the first bad JSON file instead of counting and skipping it
 */
public record SotuOptions(long seed, double validFraction, double testFraction, int sentencesPerParagraph,
                          int minYear, int maxYear, boolean writeTokens, boolean writeRaw, boolean strict) {

    /** Seed 1934, 5 % valid, 5 % test, 5 sentences per paragraph, all years, both variants, strict. */
    public static final SotuOptions DEFAULT =
            new SotuOptions(1934L, 0.05, 0.05, 5, Integer.MIN_VALUE, Integer.MAX_VALUE, true, true, true);

    /** Validates every option; the message names the option, its value and what is allowed. */
    public SotuOptions {
        if (!(validFraction >= 0 && validFraction < 1)) {
            throw new IllegalArgumentException("validFraction=" + validFraction + "; expected 0 <= value < 1");
        }
        if (!(testFraction >= 0 && testFraction < 1)) {
            throw new IllegalArgumentException("testFraction=" + testFraction + "; expected 0 <= value < 1");
        }
        if (validFraction + testFraction >= 1) {
            throw new IllegalArgumentException("validFraction + testFraction = " + (validFraction + testFraction)
                    + "; expected < 1 so that train keeps addresses");
        }
        if (sentencesPerParagraph < 1) {
            throw new IllegalArgumentException("sentencesPerParagraph=" + sentencesPerParagraph + "; expected >= 1");
        }
        if (minYear > maxYear) {
            throw new IllegalArgumentException("minYear=" + minYear + " > maxYear=" + maxYear + "; expected minYear <= maxYear");
        }
        if (!writeTokens && !writeRaw) {
            throw new IllegalArgumentException("writeTokens=false and writeRaw=false; expected at least one variant");
        }
    }

    /** These options with another year range. */
    public SotuOptions withYears(int min, int max) {
        return new SotuOptions(seed, validFraction, testFraction, sentencesPerParagraph, min, max, writeTokens, writeRaw, strict);
    }

    /** These options with other variants. */
    public SotuOptions withVariants(boolean tokens, boolean raw) {
        return new SotuOptions(seed, validFraction, testFraction, sentencesPerParagraph, minYear, maxYear, tokens, raw, strict);
    }

    /** These options with another split. */
    public SotuOptions withSplit(long newSeed, double valid, double test) {
        return new SotuOptions(newSeed, valid, test, sentencesPerParagraph, minYear, maxYear, writeTokens, writeRaw, strict);
    }

    /** These options with another paragraph size. */
    public SotuOptions withSentencesPerParagraph(int n) {
        return new SotuOptions(seed, validFraction, testFraction, n, minYear, maxYear, writeTokens, writeRaw, strict);
    }

    /** These options with {@code strict} changed. */
    public SotuOptions withStrict(boolean value) {
        return new SotuOptions(seed, validFraction, testFraction, sentencesPerParagraph, minYear, maxYear, writeTokens, writeRaw, value);
    }

    /** The options as the flags of {@code spark-moe convert sotu}, as recorded in a conversion's NOTICE. */
    public String toArgs() {
        StringBuilder sb = new StringBuilder()
                .append("--seed ").append(seed)
                .append(" --valid ").append(validFraction)
                .append(" --test ").append(testFraction)
                .append(" --sentences ").append(sentencesPerParagraph);
        if (minYear != Integer.MIN_VALUE) sb.append(" --min-year ").append(minYear);
        if (maxYear != Integer.MAX_VALUE) sb.append(" --max-year ").append(maxYear);
        if (!writeRaw) sb.append(" --no-raw");
        if (!writeTokens) sb.append(" --no-tokens");
        if (!strict) sb.append(" --lenient");
        return sb.toString();
    }
}
