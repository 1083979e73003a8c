package dev.sparkmoe.data.text;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Splits a byte stream into lines at {@code \n} (a trailing {@code \r} is dropped) without
 * decoding and without an object per line, so each line can be checked for UTF-8 before it
 * becomes a string: after {@link #next()} the line is
 * {@code buffer()[offset(), offset() + length())}, valid until the next call. Shared by the
 * WikiText and GLUE readers.
 */
public final class ByteLineReader implements Closeable {
    private final InputStream in;
    private byte[] buf = new byte[1 << 20];
    private int start;
    private int scan;
    private int limit;
    private long base;
    private boolean eof;

    private int lineOff;
    private int lineLen;
    private long lineStart;

    public ByteLineReader(InputStream in) {
        this.in = in;
    }

    /** Advances to the next line; false at the end of the stream. */
    public boolean next() throws IOException {
        while (true) {
            for (int i = scan; i < limit; i++) {
                if (buf[i] == '\n') {
                    setLine(start, i);
                    start = scan = i + 1;
                    return true;
                }
            }
            scan = limit;
            if (eof) {
                if (start < limit) {
                    setLine(start, limit);
                    start = scan = limit;
                    return true;
                }
                return false;
            }
            fill();
        }
    }

    public byte[] buffer() {
        return buf;
    }

    public int offset() {
        return lineOff;
    }

    public int length() {
        return lineLen;
    }

    /** Offset of the current line's first byte in the stream. */
    public long lineStart() {
        return lineStart;
    }

    private void setLine(int from, int to) {
        lineOff = from;
        lineLen = to > from && buf[to - 1] == '\r' ? to - from - 1 : to - from;
        lineStart = base + from;
    }

    private void fill() throws IOException {
        if (start > 0) {
            System.arraycopy(buf, start, buf, 0, limit - start);
            base += start;
            limit -= start;
            scan -= start;
            start = 0;
        }
        if (limit == buf.length) {
            if (buf.length > Integer.MAX_VALUE / 2) {
                throw new IOException("a line longer than " + buf.length + " bytes; expected text lines");
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
