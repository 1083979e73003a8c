package dev.sparkmoe.worker.engine;

import java.util.Arrays;

/**
 * One expert's outputs for one {@link TokenBlock}, on their way back to the block's source
 * partition: same keys, same row order, {@code n} rows of {@code D}. Built on the expert side by
 * {@link DispatchBlocks#toOutputBlocks}, placed back into expert-major order on the data side by
 * {@link DispatchBlocks#gatherOutputs}; both run in executor tasks. The row order is the token
 * block's, so the source partition knows each row's token without shipping the indices back.
 *
 * <p>The array is not copied: treat it as immutable. {@code equals}/{@code hashCode} compare
 * contents.
 *
 * @param sourcePartition data partition the rows return to, {@code >= 0}
 * @param layer           MoE layer index, {@code >= 0}
 * @param expertId        expert id within the layer, {@code >= 0}
 * @param rows            {@code [n·D]} the output rows, row-major, in the token block's order
 * @param dModel          {@code D >= 1}
 */
public record ExpertOutputBlock(int sourcePartition, int layer, int expertId, float[] rows, int dModel) {

    /** Validates keys and that {@code rows.length} is a multiple of {@code D}. */
    public ExpertOutputBlock {
        Blocks.requireKeys("expert output block", sourcePartition, layer, expertId, dModel);
        if (rows == null || rows.length % dModel != 0) {
            throw new IllegalArgumentException(Blocks.describe("expert output block", sourcePartition, layer, expertId)
                    + ": expected rows of a length divisible by dModel = " + dModel + ", got "
                    + (rows == null ? "null" : rows.length));
        }
    }

    /** Number of rows {@code n}. */
    public int numRows() {
        return rows.length / dModel;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ExpertOutputBlock b && b.sourcePartition == sourcePartition && b.layer == layer
                && b.expertId == expertId && b.dModel == dModel && Arrays.equals(b.rows, rows);
    }

    @Override
    public int hashCode() {
        return (((sourcePartition * 31 + layer) * 31 + expertId) * 31 + dModel) * 31 + Arrays.hashCode(rows);
    }

    @Override
    public String toString() {
        return Blocks.describe("ExpertOutputBlock", sourcePartition, layer, expertId) + "[" + numRows() + " x "
                + dModel + "]";
    }
}
