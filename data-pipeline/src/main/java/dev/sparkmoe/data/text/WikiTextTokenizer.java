package dev.sparkmoe.data.text;

import java.nio.charset.StandardCharsets;

/**
 * A word tokenizer for raw English text that reproduces the conventions of WikiText's
 * tokenized variant (Merity et al. 2016, a Moses-style tokenizer), working on UTF-8 bytes with
 * one table look-up per byte and no regular expression, no allocation per token.
 *
 * <p>Rules, in order:
 * <ul>
 *   <li>ASCII whitespace and control bytes separate tokens.</li>
 *   <li>A word is a run of letters, digits and non-ASCII characters (accented letters, CJK,
 *       ...). Inside a word:
 *     <ul>
 *       <li>{@code -} between two word characters becomes its own token {@code @-@}:
 *           {@code role-playing → role @-@ playing}, {@code 2-3 → 2 @-@ 3};</li>
 *       <li>{@code ,} between two digits becomes {@code @,@}: {@code 1,000 → 1 @,@ 000};</li>
 *       <li>{@code .} between two digits becomes {@code @.@}: {@code 3.5 → 3 @.@ 5};
 *           {@code .} between other word characters stays inside the word
 *           ({@code Media.Vision}, {@code U.S});</li>
 *       <li>an apostrophe ({@code '} or U+2019) between two letters starts a new token:
 *           {@code don't → don 't}, {@code nation's → nation 's}.</li>
 *     </ul></li>
 *   <li>A period right after a word stays attached when the word already holds an inner
 *       period ({@code U.S.}, {@code e.g.}), is a single capital letter ({@code John F.}) or is
 *       one of a few title abbreviations ({@code Mr. Mrs. Ms. Dr. Jr. Sr. St. Mt. vs. etc.
 *       Inc. Ltd. Gen. Gov. Sen. Rep. Col. Lt. Capt. Prof.}); otherwise it is a token.</li>
 *   <li>Every other ASCII punctuation character is a token of its own ({@code $ 100},
 *       {@code 5 %}, {@code ( Japanese : ...}), except runs of {@code -} or {@code .}, which
 *       stay one token ({@code --}, {@code ...}). The Unicode dashes, quotes, bullet and
 *       ellipsis U+2010..U+2015, U+2018, U+2019, U+201C, U+201D, U+2022, U+2026 are tokens too.</li>
 * </ul>
 * Applying the tokenizer to its own output is not the identity ({@code @-@} would split), so
 * use {@link WhitespaceTokenizer} for text that is already tokenized.
 */
public final class WikiTextTokenizer implements Tokenizer {
    private static final long serialVersionUID = 1L;

    /** The shared instance (the tokenizer has no state). */
    public static final WikiTextTokenizer INSTANCE = new WikiTextTokenizer();

    /** The token that stands for a hyphen inside a word. */
    public static final String HYPHEN_MARKER = "@-@";
    /** The token that stands for a comma inside a number. */
    public static final String COMMA_MARKER = "@,@";
    /** The token that stands for a decimal point inside a number. */
    public static final String DOT_MARKER = "@.@";

    private static final byte SPACE = 0;
    private static final byte ALPHA = 1;
    private static final byte DIGIT = 2;
    private static final byte PUNCT = 3;
    private static final byte HIGH = 4;

    private static final byte[] CLASS = new byte[256];
    /** Third bytes {@code xx} of the punctuation sequences {@code E2 80 xx}. */
    private static final boolean[] UNICODE_PUNCT = new boolean[256];
    private static final byte[] HYPHEN = HYPHEN_MARKER.getBytes(StandardCharsets.US_ASCII);
    private static final byte[] COMMA = COMMA_MARKER.getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DOT = DOT_MARKER.getBytes(StandardCharsets.US_ASCII);
    private static final byte[][] ABBREVIATIONS = ascii("Mr", "Mrs", "Ms", "Dr", "Jr", "Sr", "St", "Mt", "vs",
            "etc", "Inc", "Ltd", "Gen", "Gov", "Sen", "Rep", "Col", "Lt", "Capt", "Prof");

    static {
        for (int c = 0; c < 256; c++) {
            if (c <= 0x20 || c == 0x7F) {
                CLASS[c] = SPACE;
            } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
                CLASS[c] = ALPHA;
            } else if (c >= '0' && c <= '9') {
                CLASS[c] = DIGIT;
            } else if (c < 0x80) {
                CLASS[c] = PUNCT;
            } else {
                CLASS[c] = HIGH;
            }
        }
        for (int x : new int[] {0x90, 0x91, 0x92, 0x93, 0x94, 0x95, 0x98, 0x99, 0x9C, 0x9D, 0xA2, 0xA6}) {
            UNICODE_PUNCT[x] = true;
        }
    }

    @Override
    public void tokenize(byte[] b, int off, int len, TokenSink sink) {
        int end = off + len;
        int i = off;
        while (i < end) {
            byte k = CLASS[b[i] & 0xFF];
            if (k == SPACE) {
                i++;
            } else if (k == PUNCT) {
                i = punct(b, i, end, sink);
            } else if (k == HIGH && isUnicodePunct(b, i, end)) {
                sink.token(b, i, 3);
                i += 3;
            } else {
                i = word(b, i, end, sink);
            }
        }
    }

    /** One ASCII punctuation token (a run for '-' and '.'); returns the next position. */
    private static int punct(byte[] b, int i, int end, TokenSink sink) {
        byte c = b[i];
        int j = i + 1;
        if (c == '-' || c == '.') {
            while (j < end && b[j] == c) {
                j++;
            }
        }
        sink.token(b, i, j - i);
        return j;
    }

    /** The tokens of the word starting at {@code i} (a word byte); returns the next position. */
    private static int word(byte[] b, int i, int end, TokenSink sink) {
        int start = i;
        int j = i;
        boolean innerDot = false;
        while (j < end) {
            int c = b[j] & 0xFF;
            byte k = CLASS[c];
            if (k == ALPHA || k == DIGIT) {
                j++;
                continue;
            }
            if (k == HIGH) {
                if (isUnicodePunct(b, j, end)) {
                    if ((b[j + 2] & 0xFF) == 0x99 && isLetter(b[j - 1]) && isLetterAt(b, j + 3, end)) {
                        sink.token(b, start, j - start); // ’ between letters: nation’s → nation ’s
                        start = j;
                        innerDot = false;
                        j += 3;
                        continue;
                    }
                    break;
                }
                j++;
                continue;
            }
            if (k == SPACE) {
                break;
            }
            boolean nextIsWord = isWordAt(b, j + 1, end);
            if (c == '-' && nextIsWord) {
                start = marker(b, start, j, HYPHEN, sink);
                innerDot = false;
                j++;
            } else if (c == ',' && nextIsWord && isDigit(b[j - 1]) && isDigit(b[j + 1])) {
                start = marker(b, start, j, COMMA, sink);
                innerDot = false;
                j++;
            } else if (c == '.' && nextIsWord) {
                if (isDigit(b[j - 1]) && isDigit(b[j + 1])) {
                    start = marker(b, start, j, DOT, sink);
                    innerDot = false;
                } else {
                    innerDot = true;
                }
                j++;
            } else if (c == '.') {
                if (innerDot || isAbbreviation(b, start, j)) {
                    j++;
                }
                break;
            } else if (c == '\'' && nextIsWord && isLetter(b[j - 1]) && isLetter(b[j + 1])) {
                sink.token(b, start, j - start); // don't → don 't
                start = j;
                innerDot = false;
                j++;
            } else {
                break;
            }
        }
        if (j > start) {
            sink.token(b, start, j - start);
        }
        return j;
    }

    /** Emits {@code b[start, j)} then {@code marker}; returns the start of the next piece. */
    private static int marker(byte[] b, int start, int j, byte[] marker, TokenSink sink) {
        sink.token(b, start, j - start);
        sink.token(marker, 0, marker.length);
        return j + 1;
    }

    private static boolean isUnicodePunct(byte[] b, int i, int end) {
        return b[i] == (byte) 0xE2 && i + 2 < end && b[i + 1] == (byte) 0x80 && UNICODE_PUNCT[b[i + 2] & 0xFF];
    }

    private static boolean isWordAt(byte[] b, int i, int end) {
        if (i >= end) {
            return false;
        }
        byte k = CLASS[b[i] & 0xFF];
        return k == ALPHA || k == DIGIT || (k == HIGH && !isUnicodePunct(b, i, end));
    }

    private static boolean isLetterAt(byte[] b, int i, int end) {
        return i < end && isLetter(b[i]) && !isUnicodePunct(b, i, end);
    }

    /** ASCII letter or any non-ASCII byte (part of a non-ASCII character, most often a letter). */
    private static boolean isLetter(byte c) {
        byte k = CLASS[c & 0xFF];
        return k == ALPHA || k == HIGH;
    }

    private static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isAbbreviation(byte[] b, int start, int end) {
        int n = end - start;
        if (n == 1) {
            return b[start] >= 'A' && b[start] <= 'Z';
        }
        if (n > 4) {
            return false;
        }
        for (byte[] a : ABBREVIATIONS) {
            if (a.length == n && java.util.Arrays.equals(a, 0, n, b, start, end)) {
                return true;
            }
        }
        return false;
    }

    private static byte[][] ascii(String... words) {
        byte[][] out = new byte[words.length][];
        for (int i = 0; i < words.length; i++) {
            out[i] = words[i].getBytes(StandardCharsets.US_ASCII);
        }
        return out;
    }

    @Override
    public String toString() {
        return "WikiTextTokenizer";
    }
}
