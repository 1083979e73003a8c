package dev.sparkmoe.data.glue;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Splits a byte stream into lines at {@code \n} (a trailing {@code \r} dropped) without decoding,
 * so each line can be checked for UTF-8 before it becomes a string. After {@link #next()} the
 * line is {@code buffer()[offset(), offset() + length())}, valid until the next call.
 */
final class ByteLines implements Closeable {
    private final InputStream in;
    private byte[] buf = new byte[1 << 16];
    private int start;
    private int scan;
    private int limit;
    private boolean eof;
    private int lineOff;
    private int lineLen;

    ByteLines(InputStream in) {
        this.in = in;
    }

    /** Advances to the next line; false at the end of the stream. */
    boolean next() throws IOException {
        while (true) {
            for (int i = scan; i < limit; i++) {
                if (buf[i] == '\n') {
                    set(start, i);
                    start = scan = i + 1;
                    return true;
                }
            }
            scan = limit;
            if (eof) {
                if (start < limit) {
                    set(start, limit);
                    start = scan = limit;
                    return true;
                }
                return false;
            }
            fill();
        }
    }

    byte[] buffer() {
        return buf;
    }

    int offset() {
        return lineOff;
    }

    int length() {
        return lineLen;
    }

    private void set(int from, int to) {
        lineOff = from;
        lineLen = to > from && buf[to - 1] == '\r' ? to - from - 1 : to - from;
    }

    private void fill() throws IOException {
        if (start > 0) {
            System.arraycopy(buf, start, buf, 0, limit - start);
            limit -= start;
            scan -= start;
            start = 0;
        }
        if (limit == buf.length) {
            if (buf.length > Integer.MAX_VALUE / 2) {
                throw new IOException("a line longer than " + buf.length + " bytes; expected TSV lines");
            }
            buf = Arrays.copyOf(buf, buf.length * 2);
        }
        int n = in.read(buf, limit, buf.length - limit);
        if (n < 0) {
            eof = true;
        } else {
            limit += n;
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
