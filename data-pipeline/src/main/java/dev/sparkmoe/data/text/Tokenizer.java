package dev.sparkmoe.data.text;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits one line of UTF-8 text into tokens. Implementations are stateless, thread-safe and
 * serialisable (they may be shipped to Spark executors). The caller guarantees the input is
 * valid UTF-8 (readers check it and count bad lines).
 */
public interface Tokenizer extends Serializable {

    /** Pushes the tokens of {@code utf8[off, off + len)} to {@code sink}, in order. */
    void tokenize(byte[] utf8, int off, int len, TokenSink sink);

    /** The tokens of {@code text} as strings; convenient, not for hot loops. */
    default List<String> tokens(String text) {
        List<String> out = new ArrayList<>();
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        tokenize(b, 0, b.length, (buf, off, len) -> out.add(new String(buf, off, len, StandardCharsets.UTF_8)));
        return out;
    }

    /** The tokens of {@code text} joined by single spaces (the WikiText tokenized layout). */
    default String tokenizeToLine(String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        ByteBuilder out = new ByteBuilder(b.length + b.length / 4 + 16);
        tokenize(b, 0, b.length, (buf, off, len) -> {
            if (out.length() > 0) {
                out.append((byte) ' ');
            }
            out.append(buf, off, len);
        });
        return out.toUtf8String();
    }
}
