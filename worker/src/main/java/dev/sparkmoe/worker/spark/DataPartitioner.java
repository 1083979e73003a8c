package dev.sparkmoe.worker.spark;

import org.apache.spark.Partitioner;

/**
 * Identity partitioner over data partition ids: key {@code p} (an {@link Integer}) goes to
 * partition {@code p}. Built on the driver; {@link #getPartition} runs on executors for every
 * record shuffled back to the data side (expert outputs, input gradients) and allocates nothing.
 * Equal to another {@code DataPartitioner} with the same number of partitions, so that the
 * persisted per-partition data state (keyed and partitioned the same way) zips with the
 * combine shuffle without another shuffle. Not equal to Spark's {@code HashPartitioner}, even
 * though that maps small non-negative Integers the same way: the data state must use this class.
 */
public final class DataPartitioner extends Partitioner {
    private static final long serialVersionUID = 1L;

    private final int numPartitions;

    /** @param numPartitions {@code P_d >= 1} */
    public DataPartitioner(int numPartitions) {
        if (numPartitions < 1) {
            throw new IllegalArgumentException("data partitions = " + numPartitions + ": must be >= 1");
        }
        this.numPartitions = numPartitions;
    }

    @Override
    public int numPartitions() {
        return numPartitions;
    }

    /**
     * @param key an {@link Integer} in {@code [0, P_d)}
     * @throws IllegalArgumentException for another key type or an id out of range
     */
    @Override
    public int getPartition(Object key) {
        if (key instanceof Integer p && p >= 0 && p < numPartitions) return p;
        throw new IllegalArgumentException("data partitioner: expected an Integer partition id in [0, " + numPartitions
                + "), got " + (key == null ? "null" : key.getClass().getSimpleName() + " " + key));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DataPartitioner d && d.numPartitions == numPartitions;
    }

    @Override
    public int hashCode() {
        return 0x5DA7A + numPartitions;
    }

    @Override
    public String toString() {
        return "DataPartitioner{P=" + numPartitions + "}";
    }
}
