package dev.sparkmoe.worker.nn;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Affine layer {@code y = x·W + b} with {@code W} stored {@code [in, out]} (weight-decayed) and {@code b}
 * {@code [out]} (no decay), in that bind order. Products go through {@code Nd4j.gemm} with preallocated outputs;
 * the weight gradient is accumulated straight into its view ({@code beta = 1}).
 *
 * <p>{@code N = 0} rows is allowed (an expert that received no tokens): forward returns {@code [0, out]} and
 * backward adds nothing.
 */
public final class Linear {
    private final String name;
    private final long in;
    private final long out;
    private ParamSlicer.View w;
    private ParamSlicer.View b;
    private INDArray x;

    /** A layer mapping {@code in} features to {@code out}; {@code name} appears in errors and seeds init. */
    public Linear(String name, long in, long out) {
        if (in <= 0 || out <= 0) {
            throw new IllegalArgumentException(name + ": in and out must be positive, got in=" + in + ", out=" + out);
        }
        this.name = name;
        this.in = in;
        this.out = out;
    }

    /** {@code in·out} decayed and {@code out} plain elements. */
    public ParamSlicer.Sizes sizes() {
        return new ParamSlicer.Sizes(in * out, out);
    }

    /** Takes {@code W = s.weight(in, out)} then {@code b = s.vector(out)}. */
    public void bind(ParamSlicer s) {
        w = s.weight(in, out);
        b = s.vector(out);
    }

    /** Weights normal(0, 0.02), bias zero; deterministic in {@code seed} and the layer name. */
    public void init(long seed) {
        Shapes.requireBound(name, w);
        Init.normal(w.value(), 0.02, seed, name, 0);
        Init.constant(b.value(), 0);
    }

    /**
     * @param x {@code [N, in]} (kept by reference until backward: do not modify it in between)
     * @return {@code [N, out]}
     */
    public INDArray forward(INDArray x) {
        Shapes.requireBound(name, w);
        Shapes.requireMatrix(name, "input", x, -1, in, dtype());
        this.x = x;
        long n = x.rows();
        if (n == 0) return Init.empty(dtype(), out);
        INDArray y = Nd4j.createUninitialized(dtype(), n, out);
        Nd4j.gemm(x, w.value(), y, false, false, 1.0, 0.0);
        return y.addiRowVector(b.value());
    }

    /**
     * Adds {@code xᵀ·dy} to the weight gradient and {@code Σ_rows dy} to the bias gradient.
     *
     * @param dy {@code [N, out]}
     * @return dx {@code [N, in]}
     */
    public INDArray backward(INDArray dy) {
        Shapes.requireCache(name, x);
        INDArray input = x;
        x = null;
        Shapes.requireMatrix(name, "output gradient", dy, input.rows(), out, dtype());
        if (input.rows() == 0) return Init.empty(dtype(), in);
        Nd4j.gemm(input, dy, w.grad(), true, false, 1.0, 1.0);
        ColumnSums.addInto(dy, b.grad());
        INDArray dx = Nd4j.createUninitialized(dtype(), input.rows(), in);
        return Nd4j.gemm(dy, w.value(), dx, false, true, 1.0, 0.0);
    }

    /** The weight view {@code W [in, out]} (value and gradient). */
    public ParamSlicer.View weight() { return w; }

    /** The bias view {@code b [out]} (value and gradient). */
    public ParamSlicer.View bias() { return b; }

    public String name() { return name; }

    private DataType dtype() { return w.value().dataType(); }
}
