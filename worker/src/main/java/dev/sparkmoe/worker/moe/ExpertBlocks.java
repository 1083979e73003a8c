package dev.sparkmoe.worker.moe;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Token rows gathered for the experts of one layer, expert-major: the rows of slot {@code e}
 * are {@code offsets[e] .. offsets[e+1]-1} of {@code rows}. A slot with no tokens has an empty
 * range. {@code rows} is null when no token was dispatched (NNZ = 0).
 *
 * @param rows    {@code [NNZ, D]} token rows in expert-major order
 * @param offsets {@code [E+1]} start of each slot's rows
 */
public record ExpertBlocks(INDArray rows, int[] offsets) {

    public int numExperts() { return offsets.length - 1; }

    public int count(int slot) { return offsets[slot + 1] - offsets[slot]; }

    /** {@code [n_e, D]} view of slot {@code e}'s rows; only for slots with {@code count(e) > 0}. */
    public INDArray block(int slot) {
        return rows.get(NDArrayIndex.interval(offsets[slot], offsets[slot + 1]), NDArrayIndex.all());
    }
}
