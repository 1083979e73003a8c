package dev.sparkmoe.worker.spark;

import dev.sparkmoe.routing.ExpertPlacement;
import org.apache.spark.Partitioner;

import java.util.Arrays;
import java.util.List;

/**
 * Maps an {@link ExpertKey} to the expert partition that hosts the expert, from the
 * controller's per-layer {@link ExpertPlacement}s. Built on the driver once per placement
 * version; {@link #getPartition} runs on executors for every shuffled record and allocates
 * nothing (a per-layer {@code int[]} indexed by expert id).
 *
 * <p>Two instances are {@link #equals equal} exactly when they have the same number of
 * partitions and place every live expert of every layer on the same partition (the placements'
 * move histories do not matter). Spark compares partitioners with {@code equals} to see that
 * the experts RDD and a token-block shuffle are co-partitioned (no extra shuffle for the
 * {@code zipPartitions}), and {@code partitionBy} with an equal partitioner is a no-op.
 *
 * <p>Keys are {@link ExpertKey} records rather than packed longs: one key per block or expert,
 * so the allocation is negligible and the key stays readable in errors and Spark's UI.
 */
public final class ExpertPartitioner extends Partitioner {
    private static final long serialVersionUID = 1L;

    private final int numPartitions;
    private final int[][] partitionOf;          // [layer][id] -> partition, -1 when not live

    /**
     * @param numPartitions {@code P_e >= 1}
     * @param placements    one placement per MoE layer, index = layer; each over {@code P_e} partitions
     */
    public ExpertPartitioner(int numPartitions, List<ExpertPlacement> placements) {
        if (numPartitions < 1) {
            throw new IllegalArgumentException("expert partitions = " + numPartitions + ": must be >= 1");
        }
        if (placements == null || placements.isEmpty()) {
            throw new IllegalArgumentException("expert partitioner: expected one placement per MoE layer, got "
                    + (placements == null ? "null" : "none"));
        }
        this.numPartitions = numPartitions;
        this.partitionOf = new int[placements.size()][];
        for (int layer = 0; layer < placements.size(); layer++) {
            partitionOf[layer] = table(layer, placements.get(layer), numPartitions);
        }
    }

    private static int[] table(int layer, ExpertPlacement placement, int numPartitions) {
        if (placement == null) throw new IllegalArgumentException("placement of MoE layer " + layer + " is null");
        if (placement.numPartitions() != numPartitions) {
            throw new IllegalArgumentException("placement of MoE layer " + layer + " is over " + placement.numPartitions()
                    + " partitions, expected " + numPartitions);
        }
        int[] ids = placement.expertIds();
        int[] t = new int[ids.length == 0 ? 0 : ids[ids.length - 1] + 1];
        Arrays.fill(t, -1);
        for (int id : ids) t[id] = placement.partitionOf(id);
        return t;
    }

    @Override
    public int numPartitions() {
        return numPartitions;
    }

    /**
     * @param key an {@link ExpertKey} of a placed expert
     * @throws IllegalArgumentException for another key type, a layer without placement or an unplaced expert
     */
    @Override
    public int getPartition(Object key) {
        if (!(key instanceof ExpertKey k)) {
            throw new IllegalArgumentException("expert partitioner: expected an ExpertKey, got "
                    + (key == null ? "null" : key.getClass().getName() + " " + key));
        }
        return partitionOf(k.layer(), k.id());
    }

    /** Partition of expert {@code id} of {@code layer}, as {@link #getPartition}. */
    public int partitionOf(int layer, int id) {
        int p = layer >= 0 && id >= 0 && layer < partitionOf.length && id < partitionOf[layer].length
                ? partitionOf[layer][id] : -1;
        if (p < 0) {
            throw new IllegalArgumentException("expert partitioner: moe" + layer + ".expert" + id + " is not placed; " + this);
        }
        return p;
    }

    /** Number of MoE layers placed. */
    public int numLayers() {
        return partitionOf.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ExpertPartitioner p && p.numPartitions == numPartitions
                && Arrays.deepEquals(p.partitionOf, partitionOf);
    }

    @Override
    public int hashCode() {
        return 31 * numPartitions + Arrays.deepHashCode(partitionOf);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("ExpertPartitioner{P=").append(numPartitions);
        for (int layer = 0; layer < partitionOf.length; layer++) {
            s.append(", layer ").append(layer).append(": {");
            String sep = "";
            for (int id = 0; id < partitionOf[layer].length; id++) {
                if (partitionOf[layer][id] < 0) continue;
                s.append(sep).append(id).append('=').append(partitionOf[layer][id]);
                sep = ", ";
            }
            s.append('}');
        }
        return s.append('}').toString();
    }
}
