package dev.sparkmoe.data.spark;

import dev.sparkmoe.data.glue.GlueBatch;
import java.io.Serializable;

/**
 * Consecutive encoded rows {@code [firstRow, firstRow + count)} of a GLUE split (rows in file
 * order), as one {@link GlueBatch} of {@code count} rows ({@code int[count·S]} ids, mask,
 * segments; {@code [count]} lengths, labels, scores, GLUE indices). A whole data partition of a
 * {@link GlueBlockRDD}, a shuffle record while rows are rebalanced, or a chunk of
 * {@link GlueBlockRDD#chunks}. Plain data, both sides; never mutated after construction.
 *
 * @param firstRow global row of the first row
 * @param rows     the rows
 */
public record GlueBlocks(long firstRow, GlueBatch rows) implements Serializable {

    /** Rows held. */
    public int count() {
        return rows.batchSize();
    }

    @Override
    public String toString() {
        return "GlueBlocks(first=" + firstRow + ", count=" + count() + ", S=" + rows.seqLength() + ")";
    }
}
