package dev.sparkmoe.data.text;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * An insertion-ordered set of byte strings with dense indices {@code 0..size-1}: an
 * open-addressing hash table over UTF-8 bytes, so a token found in a line buffer is looked up
 * without creating a String. Keys live in one byte arena; a slot packs the key's hash with its
 * index, so a probe reads one {@code long} and touches the arena only on a hash match. Not
 * thread-safe while being filled; safe for concurrent {@link #find} once no key is added.
 */
final class ByteTokenTable implements Serializable {
    private static final long serialVersionUID = 2L;

    private byte[] arena;
    private int arenaLength;
    /** Per entry: arena offset in the high 32 bits, byte length in the low 32. */
    private long[] spans;
    private int size;
    /** Per slot: hash in the high 32 bits, entry index + 1 in the low 32; 0 = empty. At most half full. */
    private long[] slots;

    ByteTokenTable(int expectedSize) {
        int cap = Math.max(16, Integer.highestOneBit(Math.max(1, expectedSize) * 2 - 1) << 1);
        slots = new long[cap];
        spans = new long[cap / 2];
        arena = new byte[Math.max(64, expectedSize * 8)];
    }

    /** Number of keys. */
    int size() {
        return size;
    }

    /** The index of {@code b[off, off+len)}, or -1 if absent. */
    int find(byte[] b, int off, int len) {
        int h = hash(b, off, len);
        int mask = slots.length - 1;
        for (int s = h & mask; ; s = (s + 1) & mask) {
            long v = slots[s];
            if (v == 0) {
                return -1;
            }
            if ((int) (v >>> 32) == h) {
                int e = (int) v - 1;
                if (matches(e, b, off, len)) {
                    return e;
                }
            }
        }
    }

    /** The index of {@code b[off, off+len)}, adding it (with the next index) if absent. */
    int intern(byte[] b, int off, int len) {
        int h = hash(b, off, len);
        int mask = slots.length - 1;
        int s = h & mask;
        for (; ; s = (s + 1) & mask) {
            long v = slots[s];
            if (v == 0) {
                break;
            }
            if ((int) (v >>> 32) == h) {
                int e = (int) v - 1;
                if (matches(e, b, off, len)) {
                    return e;
                }
            }
        }
        return add(s, h, b, off, len);
    }

    /** The key of entry {@code e} as a String. */
    String string(int e) {
        long span = spans[e];
        return new String(arena, (int) (span >>> 32), (int) span, StandardCharsets.UTF_8);
    }

    private boolean matches(int e, byte[] b, int off, int len) {
        long span = spans[e];
        int start = (int) (span >>> 32);
        return (int) span == len && Arrays.equals(arena, start, start + len, b, off, off + len);
    }

    private int add(int slot, int h, byte[] b, int off, int len) {
        if (arenaLength + len > arena.length) {
            long want = Math.max((long) arena.length * 2, (long) arenaLength + len);
            if (want > Integer.MAX_VALUE - 8) {
                throw new IllegalStateException("token table full: " + size + " tokens, "
                        + arenaLength + " bytes; expected at most 2 GiB of distinct token bytes");
            }
            arena = Arrays.copyOf(arena, (int) want);
        }
        System.arraycopy(b, off, arena, arenaLength, len);
        int e = size++;
        spans[e] = ((long) arenaLength << 32) | len;
        arenaLength += len;
        slots[slot] = ((long) h << 32) | (e + 1);
        if (size * 2 > slots.length - 2 || size == spans.length) {
            rehash();
        }
        return e;
    }

    private void rehash() {
        long[] old = slots;
        slots = new long[old.length * 2];
        spans = Arrays.copyOf(spans, slots.length / 2);
        int mask = slots.length - 1;
        for (long v : old) {
            if (v != 0) {
                int s = (int) (v >>> 32) & mask;
                while (slots[s] != 0) {
                    s = (s + 1) & mask;
                }
                slots[s] = v;
            }
        }
    }

    /** FNV-1a over the bytes, then a final avalanche so low bits are usable as a slot. */
    static int hash(byte[] b, int off, int len) {
        int h = 0x811C9DC5;
        for (int i = off, end = off + len; i < end; i++) {
            h = (h ^ b[i]) * 0x01000193;
        }
        h ^= h >>> 15;
        h *= 0x2C1B3C6D;
        return h ^ (h >>> 13);
    }
}
