package dev.sparkmoe.worker.engine;

import java.util.Arrays;

/**
 * The token rows one data partition sends to one expert of one MoE layer in one shuffle: one
 * record per (source partition, layer, expert), never one per token (DESIGN.md: per-token
 * records cost ~10 µs each and cap a shuffle at a few MiB/s). Built on the data side by
 * {@link DispatchBlocks#toTokenBlocks}, consumed on the expert side by
 * {@link DispatchBlocks#concatRows}; both run in executor tasks.
 *
 * <p>The arrays are not copied: treat them as immutable. {@code equals}/{@code hashCode}
 * compare contents.
 *
 * @param sourcePartition data partition the rows come from, {@code >= 0}
 * @param layer           MoE layer index, {@code >= 0}
 * @param expertId        expert id within the layer, {@code >= 0}
 * @param tokenIndex      {@code [n]} position of each row among the source partition's token rows, ascending
 * @param rows            {@code [n·D]} the rows, row-major
 * @param dModel          {@code D >= 1}
 */
public record TokenBlock(int sourcePartition, int layer, int expertId, int[] tokenIndex, float[] rows, int dModel) {

    /** Validates keys and {@code rows.length == tokenIndex.length · D}. */
    public TokenBlock {
        Blocks.requireKeys("token block", sourcePartition, layer, expertId, dModel);
        if (tokenIndex == null || rows == null || (long) tokenIndex.length * dModel != rows.length) {
            throw new IllegalArgumentException(Blocks.describe("token block", sourcePartition, layer, expertId)
                    + ": expected rows of length tokenIndex.length * dModel = "
                    + (tokenIndex == null ? "?" : tokenIndex.length) + " * " + dModel + ", got "
                    + (rows == null ? "null" : rows.length));
        }
    }

    /** Number of rows {@code n}. */
    public int numRows() {
        return tokenIndex.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TokenBlock b && b.sourcePartition == sourcePartition && b.layer == layer
                && b.expertId == expertId && b.dModel == dModel && Arrays.equals(b.tokenIndex, tokenIndex)
                && Arrays.equals(b.rows, rows);
    }

    @Override
    public int hashCode() {
        return (((sourcePartition * 31 + layer) * 31 + expertId) * 31 + dModel) * 31
                + Arrays.hashCode(tokenIndex) * 31 + Arrays.hashCode(rows);
    }

    @Override
    public String toString() {
        return Blocks.describe("TokenBlock", sourcePartition, layer, expertId) + "[" + numRows() + " x " + dModel + "]";
    }
}
