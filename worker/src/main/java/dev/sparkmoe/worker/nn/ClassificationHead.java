package dev.sparkmoe.worker.nn;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Sequence-level head: pools each sequence's hidden rows to one vector, then a {@link Linear} to
 * {@code classes} outputs (logits). Bind order: W {@code [D, C]}, b {@code [C]}; init normal(0, 0.02), 0.
 *
 * <p>Pooling is one batched product with a pooling-weight tensor {@code [B, 1, S]} built from primitive arrays:
 * {@link Pooling#FIRST} takes row 0 of each sequence (class token / [CLS]); {@link Pooling#MEAN} averages the
 * non-padding rows (a sequence that is all padding pools to 0).
 */
public final class ClassificationHead {
    /** How a sequence's rows become one vector. */
    public enum Pooling {
        /** Row 0 of each sequence (class token, [CLS]). */
        FIRST,
        /** Mean over the sequence's non-padding rows. */
        MEAN
    }

    private final String name;
    private final long d;
    private final Pooling pooling;
    private final Linear linear;
    private INDArray weights;    // [B, 1, S] pooling weights, cached by forward
    private int batch;
    private int seqLen;

    /** A head from {@code d} features to {@code classes} outputs. */
    public ClassificationHead(String name, long d, int classes, Pooling pooling) {
        if (pooling == null) {
            throw new IllegalArgumentException(name + ": pooling is null");
        }
        this.name = name;
        this.d = d;
        this.pooling = pooling;
        this.linear = new Linear(name + ".proj", d, classes);
    }

    /** {@code D·C} decayed, {@code C} plain elements. */
    public ParamSlicer.Sizes sizes() {
        return linear.sizes();
    }

    /** Binds the projection (W then b). */
    public void bind(ParamSlicer s) {
        linear.bind(s);
    }

    /** W normal(0, 0.02), b zero. */
    public void init(long seed) {
        linear.init(seed);
    }

    /**
     * @param h       {@code [B·S, D]} final hidden states
     * @param padMask {@code [B·S]}, true = padding (used by MEAN only); null = none
     * @return {@code [B, C]}
     */
    public INDArray forward(INDArray h, int batch, int seqLen, boolean[] padMask) {
        Shapes.requireBound(name, linear.weight());
        Shapes.requireMatrix(name, "input", h, -1, d, dtype());
        Shapes.requireBatch(name, h.rows(), batch, seqLen);
        if (padMask != null && padMask.length != h.rows()) {
            throw new IllegalArgumentException(name + ": padMask expected length " + h.rows() + ", got " + padMask.length);
        }
        this.batch = batch;
        this.seqLen = seqLen;
        weights = poolingWeights(batch, seqLen, padMask);
        INDArray pooled = Nd4j.createUninitialized(dtype(), batch, 1, d);
        Nd4j.matmul(weights, h.reshape('c', batch, seqLen, d), pooled, false, false, false);   // [B, 1, D]
        return linear.forward(pooled.reshape('c', batch, d));
    }

    /**
     * @param dLogits {@code [B, C]}
     * @return dh {@code [B·S, D]}
     */
    public INDArray backward(INDArray dLogits) {
        Shapes.requireCache(name, weights);
        INDArray w = weights;
        weights = null;
        INDArray dPooled = linear.backward(dLogits);                                           // [B, D]
        INDArray dh = Nd4j.createUninitialized(dtype(), batch, seqLen, d);
        Nd4j.matmul(w, dPooled.reshape('c', batch, 1, d), dh, true, false, false);            // [B, S, D]
        return dh.reshape('c', (long) batch * seqLen, d);
    }

    public Pooling pooling() { return pooling; }

    public String name() { return name; }

    private INDArray poolingWeights(int b, int s, boolean[] padMask) {
        double[] w = new double[b * s];
        for (int i = 0; i < b; i++) {
            if (pooling == Pooling.FIRST) {
                w[i * s] = 1;
                continue;
            }
            int count = 0;
            for (int j = 0; j < s; j++) if (padMask == null || !padMask[i * s + j]) count++;
            for (int j = 0; j < s; j++) {
                if (padMask == null || !padMask[i * s + j]) w[i * s + j] = 1.0 / count;
            }
        }
        return Nd4j.create(w, new long[] {b, 1, s}, DataType.DOUBLE).castTo(dtype());
    }

    private DataType dtype() { return linear.weight().value().dataType(); }
}
