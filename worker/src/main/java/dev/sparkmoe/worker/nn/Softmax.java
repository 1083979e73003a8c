package dev.sparkmoe.worker.nn;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Numerically stable row softmax {@code exp(z − max) / Σ exp(z − max)}, in place. ND4J's fused {@code softmax}
 * op is not used: in 1.0.0-M2.1 its float64 kernel returns NaN for rows whose entries are all very negative
 * (e.g. {@code [-1000, -1001]}), so masked rows and gradient checks would break.
 */
final class Softmax {
    private Softmax() {}

    /**
     * Replaces each row of {@code z} by its softmax.
     *
     * @param z {@code [R, C]}, 'c'-contiguous; overwritten
     * @return {@code z}
     */
    static INDArray rowsInPlace(INDArray z) {
        long r = z.rows();
        z.subiColumnVector(z.max(1).reshape(r, 1));
        Transforms.exp(z, false);
        return z.diviColumnVector(z.sum(1).reshape(r, 1));
    }
}
