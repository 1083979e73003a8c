package dev.sparkmoe.data.spark;

import java.io.Serializable;

/**
 * {@code n} items (blocks, rows) laid out contiguously over {@code P} partitions so that sizes
 * differ by at most one: partition {@code p} holds items {@code [first(p), first(p + 1))} with
 * {@code first(p) = floor(p·n / P)}. Immutable, small, serialisable; pure functions, usable on
 * the driver and on executors.
 */
public final class EvenLayout implements Serializable {
    private static final long serialVersionUID = 1L;

    private final long items;
    private final int partitions;

    /**
     * @param items      {@code n >= 0}
     * @param partitions {@code P >= 1}
     */
    public EvenLayout(long items, int partitions) {
        if (items < 0) {
            throw new IllegalArgumentException("items=" + items + "; expected >= 0");
        }
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions=" + partitions + "; expected >= 1");
        }
        if (items > Long.MAX_VALUE / partitions) {
            throw new IllegalArgumentException("items=" + items + " with partitions=" + partitions
                    + " overflows; expected items * partitions < 2^63");
        }
        this.items = items;
        this.partitions = partitions;
    }

    /** {@code n}. */
    public long items() {
        return items;
    }

    /** {@code P}. */
    public int partitions() {
        return partitions;
    }

    /** First item of partition {@code p}; {@code first(P) == n}. */
    public long first(int p) {
        if (p < 0 || p > partitions) {
            throw new IndexOutOfBoundsException("partition " + p + "; expected 0 <= p <= P=" + partitions);
        }
        return p * items / partitions;
    }

    /** Items in partition {@code p}: {@code floor(n/P)} or one more. */
    public int size(int p) {
        return Math.toIntExact(first(p + 1) - first(p));
    }

    /** The partition holding item {@code k}, {@code 0 <= k < n}. */
    public int partitionOf(long k) {
        if (k < 0 || k >= items) {
            throw new IndexOutOfBoundsException("item " + k + "; expected 0 <= k < n=" + items);
        }
        int p = (int) ((k * partitions) / items); // first(p) <= k for this estimate up to rounding
        while (p + 1 < partitions && first(p + 1) <= k) {
            p++;
        }
        while (first(p) > k) {
            p--;
        }
        return p;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EvenLayout l && l.items == items && l.partitions == partitions;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(items) * 31 + partitions;
    }

    @Override
    public String toString() {
        return "EvenLayout(n=" + items + ", P=" + partitions + ")";
    }
}
