package dev.sparkmoe.worker.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Sequence-level regression head (e.g. GLUE STS-B): a {@link ClassificationHead} with one output, so pooling,
 * parameters (W {@code [D, 1]}, b {@code [1]}) and bind order are the same.
 */
public final class RegressionHead {
    private final ClassificationHead head;

    /** A head from {@code d} features to one output. */
    public RegressionHead(String name, long d, ClassificationHead.Pooling pooling) {
        this.head = new ClassificationHead(name, d, 1, pooling);
    }

    /** {@code D} decayed, 1 plain element. */
    public ParamSlicer.Sizes sizes() { return head.sizes(); }

    /** Binds W then b. */
    public void bind(ParamSlicer s) { head.bind(s); }

    /** W normal(0, 0.02), b zero. */
    public void init(long seed) { head.init(seed); }

    /**
     * @param h       {@code [B·S, D]}
     * @param padMask {@code [B·S]}, true = padding; null = none
     * @return predictions {@code [B, 1]}
     */
    public INDArray forward(INDArray h, int batch, int seqLen, boolean[] padMask) {
        return head.forward(h, batch, seqLen, padMask);
    }

    /**
     * @param dPred {@code [B, 1]}
     * @return dh {@code [B·S, D]}
     */
    public INDArray backward(INDArray dPred) { return head.backward(dPred); }

    public String name() { return head.name(); }
}
