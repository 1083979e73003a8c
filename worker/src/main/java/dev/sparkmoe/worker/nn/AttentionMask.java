package dev.sparkmoe.worker.nn;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The masks of one attention forward, built once from primitive arrays: an additive score mask
 * ({@code 0} or {@link #NEG}) for causal and padded keys, and a row mask that zeroes queries whose every key is
 * masked (their softmax would otherwise be uniform over masked keys).
 *
 * @param additive {@code [1, 1, S, S]} (causal only) or {@code [B, 1, S, S]}, indexed {@code [b, ·, query, key]};
 *                 null when nothing is masked
 * @param rowKeep  {@code [B, 1, S, 1]} of 1/0, null when every query keeps at least one key
 */
record AttentionMask(INDArray additive, INDArray rowKeep) {
    /** Large enough that {@code exp(score + NEG − max)} is exactly 0 in float32 and float64, finite so no NaN. */
    static final double NEG = -1e9;

    /**
     * @param padMask {@code [B·S]}, true = padding key; null = none
     */
    static AttentionMask build(int batch, int seqLen, boolean causal, boolean[] padMask, DataType dtype) {
        if (padMask == null) {
            return causal ? new AttentionMask(causalOnly(seqLen, dtype), null) : new AttentionMask(null, null);
        }
        int s = seqLen;
        double[] add = new double[batch * s * s];
        double[] keep = new double[batch * s];
        boolean anyEmpty = false;
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < s; i++) {
                int kept = 0;
                for (int j = 0; j < s; j++) {
                    boolean masked = padMask[b * s + j] || (causal && j > i);
                    add[(b * s + i) * s + j] = masked ? NEG : 0;
                    if (!masked) kept++;
                }
                keep[b * s + i] = kept > 0 ? 1 : 0;
                anyEmpty |= kept == 0;
            }
        }
        INDArray additive = Nd4j.create(add, new long[] {batch, 1, s, s}, DataType.DOUBLE).castTo(dtype);
        INDArray rowKeep = anyEmpty ? Nd4j.create(keep, new long[] {batch, 1, s, 1}, DataType.DOUBLE).castTo(dtype) : null;
        return new AttentionMask(additive, rowKeep);
    }

    private static INDArray causalOnly(int s, DataType dtype) {
        double[] add = new double[s * s];
        for (int i = 0; i < s; i++) {
            for (int j = i + 1; j < s; j++) add[i * s + j] = NEG;
        }
        return Nd4j.create(add, new long[] {1, 1, s, s}, DataType.DOUBLE).castTo(dtype);
    }
}
