package dev.sparkmoe.data.text;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A growable byte array (package-private helper for tokenizers and readers). */
final class ByteBuilder {
    private byte[] buf;
    private int len;

    ByteBuilder(int capacity) {
        buf = new byte[Math.max(16, capacity)];
    }

    void append(byte b) {
        if (len == buf.length) {
            grow(1);
        }
        buf[len++] = b;
    }

    void append(byte[] src, int off, int n) {
        if (len + n > buf.length) {
            grow(n);
        }
        System.arraycopy(src, off, buf, len, n);
        len += n;
    }

    int length() {
        return len;
    }

    String toUtf8String() {
        return new String(buf, 0, len, StandardCharsets.UTF_8);
    }

    private void grow(int extra) {
        buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + extra));
    }
}
