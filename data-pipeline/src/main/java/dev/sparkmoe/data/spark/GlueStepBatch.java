package dev.sparkmoe.data.spark;

import dev.sparkmoe.data.glue.GlueBatch;
import java.io.Serializable;

/**
 * One data partition's share of a training batch of a {@link GlueBlockRDD}
 * ({@link GlueBlockRDD#batch}): the global batch rows {@code rows[i]} whose examples live here.
 * Built on executors; plain data.
 *
 * @param partition   the data partition
 * @param globalBatch {@code B}
 * @param rows        {@code [R]} rows of the global batch, increasing
 * @param positions   {@code [R]} global row (position in the split, file order) of each row's example
 * @param batch       the {@code R} encoded examples ({@link GlueBatch#indices()} are their GLUE indices)
 */
public record GlueStepBatch(int partition, int globalBatch, int[] rows, int[] positions, GlueBatch batch)
        implements Serializable {

    /** Rows in this partition, {@code R}. */
    public int size() {
        return rows.length;
    }
}
