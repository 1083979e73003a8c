package dev.sparkmoe.data.spark;

import java.io.Serializable;

/**
 * One data partition's share of a batch of a {@link FeatureBlockRDD} ({@link FeatureBlockRDD#batch}):
 * the global batch rows {@code rows[i]} whose examples live here. Built on executors; plain data.
 *
 * @param partition   the data partition
 * @param globalBatch {@code B}
 * @param rows        {@code [R]} global row indices into the batch, increasing
 * @param indices     {@code [R]} dataset index of each row's example
 * @param width       {@code W}
 * @param x           {@code [R·W]}
 * @param labels      {@code [R]}
 * @param domains     {@code [R]}
 */
public record FeatureBatch(int partition, int globalBatch, int[] rows, int[] indices, int width, float[] x,
                           int[] labels, int[] domains) implements Serializable {

    /** Rows in this partition, {@code R}. */
    public int size() {
        return rows.length;
    }
}
