package dev.sparkmoe.worker.nn;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Position-wise feed-forward network {@code Linear(D, F) → GELU → Linear(F, D)}: the dense FFN of a block and
 * also one MoE expert (an expert binds it to its own pair of flat params). Bind order: {@code fc1} (W, b) then
 * {@code fc2} (W, b).
 *
 * <p>The GELU's tanh is computed once in forward and cached for backward. {@code N = 0} rows (an expert with no
 * tokens this step) returns {@code [0, D]} and adds nothing in backward, without touching ND4J.
 */
public final class FeedForward {
    private final String name;
    private final long d;
    private final long f;
    private final Linear fc1;
    private final Linear fc2;
    private INDArray h;      // [N, F] pre-activation
    private INDArray t;      // [N, F] tanh of GELU's inner term
    private boolean cached;

    /** A {@code D → F → D} network; sub-layers are named {@code name.fc1} and {@code name.fc2}. */
    public FeedForward(String name, long d, long f) {
        this.name = name;
        this.d = d;
        this.f = f;
        this.fc1 = new Linear(name + ".fc1", d, f);
        this.fc2 = new Linear(name + ".fc2", f, d);
    }

    /** {@code 2·D·F} decayed, {@code F + D} plain elements. */
    public ParamSlicer.Sizes sizes() {
        return fc1.sizes().plus(fc2.sizes());
    }

    /** Binds {@code fc1} then {@code fc2}. */
    public void bind(ParamSlicer s) {
        fc1.bind(s);
        fc2.bind(s);
    }

    /** Both linears: weights normal(0, 0.02), biases zero. */
    public void init(long seed) {
        fc1.init(seed);
        fc2.init(seed);
    }

    /**
     * @param x {@code [N, D]}, {@code N ≥ 0} (kept by reference until backward)
     * @return {@code [N, D]}
     */
    public INDArray forward(INDArray x) {
        Shapes.requireBound(name, fc1.weight());
        Shapes.requireMatrix(name, "input", x, -1, d, dtype());
        cached = true;
        if (x.rows() == 0) {
            h = null;
            t = null;
            fc1.forward(x);               // caches the empty input so that backward stays symmetric
            return fc2.forward(Init.empty(dtype(), f));
        }
        h = fc1.forward(x);               // [N, F]
        t = Gelu.tanhInner(h);
        return fc2.forward(Gelu.fromTanh(h, t));
    }

    /**
     * @param dy {@code [N, D]}
     * @return dx {@code [N, D]}
     */
    public INDArray backward(INDArray dy) {
        Shapes.requireCache(name, cached ? this : null);
        cached = false;
        INDArray da = fc2.backward(dy);   // [N, F]
        if (h == null) return fc1.backward(da);
        INDArray dh = Gelu.backwardFromTanh(h, t, da);
        h = null;
        t = null;
        return fc1.backward(dh);
    }

    /** The first linear ({@code D → F}). */
    public Linear fc1() { return fc1; }

    /** The second linear ({@code F → D}). */
    public Linear fc2() { return fc2; }

    public String name() { return name; }

    private DataType dtype() { return fc1.weight().value().dataType(); }
}
