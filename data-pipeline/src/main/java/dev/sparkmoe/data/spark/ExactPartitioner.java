package dev.sparkmoe.data.spark;

import org.apache.spark.Partitioner;

/**
 * Sends an {@code Integer} key {@code p} to partition {@code p}: the target partition is
 * computed by the sender (e.g. {@link EvenLayout#partitionOf}). Immutable; runs on both sides.
 */
public final class ExactPartitioner extends Partitioner {
    private static final long serialVersionUID = 1L;

    private final int partitions;

    /** @param partitions {@code P >= 1} */
    public ExactPartitioner(int partitions) {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions=" + partitions + "; expected >= 1");
        }
        this.partitions = partitions;
    }

    @Override
    public int numPartitions() {
        return partitions;
    }

    @Override
    public int getPartition(Object key) {
        int p = (Integer) key;
        if (p < 0 || p >= partitions) {
            throw new IllegalArgumentException("key " + p + "; expected a partition in [0, " + partitions + ")");
        }
        return p;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ExactPartitioner e && e.partitions == partitions;
    }

    @Override
    public int hashCode() {
        return partitions;
    }
}
