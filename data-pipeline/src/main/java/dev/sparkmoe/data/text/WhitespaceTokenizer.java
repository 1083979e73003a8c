package dev.sparkmoe.data.text;

/**
 * The tokenizer of WikiText's tokenized variant ({@code wiki.*.tokens}): tokens are the runs
 * of bytes between ASCII whitespace and control bytes (0x00..0x20, 0x7F). Nothing else is
 * changed: {@code @-@}, {@code @,@}, {@code @.@} and {@code <unk>} stay tokens of their own.
 */
public final class WhitespaceTokenizer implements Tokenizer {
    private static final long serialVersionUID = 1L;

    /** The shared instance (the tokenizer has no state). */
    public static final WhitespaceTokenizer INSTANCE = new WhitespaceTokenizer();

    @Override
    public void tokenize(byte[] utf8, int off, int len, TokenSink sink) {
        int end = off + len;
        int i = off;
        while (i < end) {
            while (i < end && isSpace(utf8[i])) {
                i++;
            }
            int start = i;
            while (i < end && !isSpace(utf8[i])) {
                i++;
            }
            if (i > start) {
                sink.token(utf8, start, i - start);
            }
        }
    }

    static boolean isSpace(byte b) {
        return (b >= 0 && b <= 0x20) || b == 0x7F;
    }

    @Override
    public String toString() {
        return "WhitespaceTokenizer";
    }
}
