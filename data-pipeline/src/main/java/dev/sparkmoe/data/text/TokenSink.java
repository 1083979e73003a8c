package dev.sparkmoe.data.text;

/**
 * Receives the tokens of a tokenizer as UTF-8 byte ranges, so the hot path creates no object
 * per token. The range is valid only during the call: copy what you keep.
 */
@FunctionalInterface
public interface TokenSink {
    /**
     * One token: {@code buf[off, off + len)}, UTF-8, never empty, never containing ASCII
     * whitespace.
     */
    void token(byte[] buf, int off, int len);
}
