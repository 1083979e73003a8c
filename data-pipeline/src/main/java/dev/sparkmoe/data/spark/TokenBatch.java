package dev.sparkmoe.data.spark;

import java.io.Serializable;

/**
 * One data partition's share of a training batch ({@link TokenBlockRDD#batch}): the rows
 * {@code rows[i]} (indices {@code b} into the global batch of {@code B}) whose blocks live in this
 * partition, with their ids. Built on executors; plain data.
 *
 * @param partition   the data partition
 * @param globalBatch {@code B}
 * @param rows        {@code [R]} global row indices, increasing
 * @param blocks      {@code [R]} global block index of each row
 * @param seqLen      {@code S}
 * @param ids         {@code [R·(S+1)]}: row {@code i} is {@code ids[i·(S+1), (i+1)·(S+1))}
 */
public record TokenBatch(int partition, int globalBatch, int[] rows, int[] blocks, int seqLen, int[] ids)
        implements Serializable {

    /** Rows in this partition, {@code R}. */
    public int size() {
        return rows.length;
    }

    @Override
    public String toString() {
        return "TokenBatch(partition=" + partition + ", rows=" + rows.length + "/" + globalBatch + ", S=" + seqLen + ")";
    }
}
