package dev.sparkmoe.data.wikitext;

/**
 * How a WikiText corpus is read.
 *
 * @param strict          fail at the first bad record (non-UTF-8 line, malformed heading, text
 *                        before the first article heading) with its file and line, instead of
 *                        counting and skipping it
 * @param includeHeadings whether heading lines ({@code = Title =}, {@code = = Section = =}) are
 *                        part of the token stream, as in the usual WikiText language-modelling
 *                        setup (their tokens, {@code =} included, then {@code <eos>}); the
 *                        structure always records them
 */
public record WikiTextOptions(boolean strict, boolean includeHeadings) {
    /** Lenient (count and skip bad records), headings in the token stream. */
    public static final WikiTextOptions DEFAULT = new WikiTextOptions(false, true);

    /** These options with {@code strict} changed. */
    public WikiTextOptions withStrict(boolean value) {
        return new WikiTextOptions(value, includeHeadings);
    }

    /** These options with {@code includeHeadings} changed. */
    public WikiTextOptions withIncludeHeadings(boolean value) {
        return new WikiTextOptions(strict, value);
    }
}
