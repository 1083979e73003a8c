package dev.sparkmoe.data.text;

/**
 * Strict UTF-8 validation without decoding: rejects stray continuation bytes, truncated
 * sequences, overlong encodings, surrogates (U+D800..U+DFFF) and code points above U+10FFFF.
 */
public final class Utf8 {
    private Utf8() {}

    /** The index of the first byte of the first invalid sequence in {@code b[off, off+len)}, or -1. */
    public static int firstInvalid(byte[] b, int off, int len) {
        int i = off;
        int end = off + len;
        while (i < end) {
            int c = b[i];
            if (c >= 0) {
                i++;
                continue;
            }
            int n = sequenceLength(b, i, end);
            if (n < 0) {
                return i;
            }
            i += n;
        }
        return -1;
    }

    /** Length of the valid multi-byte sequence at {@code i}, or -1. */
    private static int sequenceLength(byte[] b, int i, int end) {
        int c0 = b[i] & 0xFF;
        if (c0 >= 0xC2 && c0 <= 0xDF) {
            return i + 1 < end && cont(b[i + 1]) ? 2 : -1;
        }
        if (c0 >= 0xE0 && c0 <= 0xEF) {
            if (i + 2 >= end || !cont(b[i + 1]) || !cont(b[i + 2])) {
                return -1;
            }
            int c1 = b[i + 1] & 0xFF;
            if (c0 == 0xE0 && c1 < 0xA0) {
                return -1; // overlong
            }
            if (c0 == 0xED && c1 >= 0xA0) {
                return -1; // surrogate
            }
            return 3;
        }
        if (c0 >= 0xF0 && c0 <= 0xF4) {
            if (i + 3 >= end || !cont(b[i + 1]) || !cont(b[i + 2]) || !cont(b[i + 3])) {
                return -1;
            }
            int c1 = b[i + 1] & 0xFF;
            if (c0 == 0xF0 && c1 < 0x90) {
                return -1; // overlong
            }
            if (c0 == 0xF4 && c1 >= 0x90) {
                return -1; // above U+10FFFF
            }
            return 4;
        }
        return -1; // 0x80..0xC1 (continuation or overlong lead) or 0xF5..0xFF
    }

    private static boolean cont(byte b) {
        return (b & 0xC0) == 0x80;
    }
}
