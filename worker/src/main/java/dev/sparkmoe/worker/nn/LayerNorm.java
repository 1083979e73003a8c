package dev.sparkmoe.worker.nn;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Layer normalisation over the feature dimension (Ba et al. 2016):
 * {@code y = (x − μ)/√(σ² + ε) ⊙ g + b}, biased variance. Gain {@code g [D]} (init 1) and bias {@code b [D]}
 * (init 0) are both plain (no weight decay), bound in that order.
 */
public final class LayerNorm {
    private final String name;
    private final long d;
    private final double eps;
    private ParamSlicer.View gain;
    private ParamSlicer.View bias;
    private INDArray xhat;    // [N, D] normalised input
    private INDArray rstd;    // [N, 1] 1/√(σ² + ε)

    /** A LayerNorm over {@code d} features with variance floor {@code eps}. */
    public LayerNorm(String name, long d, double eps) {
        if (d <= 0 || !(eps > 0)) {
            throw new IllegalArgumentException(name + ": need d > 0 and eps > 0, got d=" + d + ", eps=" + eps);
        }
        this.name = name;
        this.d = d;
        this.eps = eps;
    }

    /** {@code 2·D} plain elements. */
    public ParamSlicer.Sizes sizes() {
        return new ParamSlicer.Sizes(0, 2 * d);
    }

    /** Takes {@code g = s.vector(D)} then {@code b = s.vector(D)}. */
    public void bind(ParamSlicer s) {
        gain = s.vector(d);
        bias = s.vector(d);
    }

    /** Gain 1, bias 0 ({@code seed} unused: the init is constant). */
    public void init(long seed) {
        Shapes.requireBound(name, gain);
        Init.constant(gain.value(), 1);
        Init.constant(bias.value(), 0);
    }

    /**
     * @param x {@code [N, D]}
     * @return {@code [N, D]}
     */
    public INDArray forward(INDArray x) {
        Shapes.requireBound(name, gain);
        Shapes.requireMatrix(name, "input", x, -1, d, dtype());
        long n = x.rows();
        if (n == 0) {
            xhat = Init.empty(dtype(), d);
            return Init.empty(dtype(), d);
        }
        INDArray mean = x.mean(1).reshape(n, 1);
        rstd = Transforms.pow(x.var(false, 1).reshape(n, 1).addi(eps), -0.5, false);   // [N, 1]
        xhat = x.subColumnVector(mean).muliColumnVector(rstd);                       // [N, D]
        return xhat.mulRowVector(gain.value()).addiRowVector(bias.value());
    }

    /**
     * Adds {@code Σ dy⊙x̂} to the gain gradient and {@code Σ dy} to the bias gradient.
     *
     * @param dy {@code [N, D]}
     * @return dx {@code [N, D]} = {@code rstd ⊙ (ĝ − mean(ĝ) − x̂ ⊙ mean(ĝ⊙x̂))} with {@code ĝ = dy ⊙ g}
     */
    public INDArray backward(INDArray dy) {
        Shapes.requireCache(name, xhat);
        INDArray xh = xhat;
        INDArray r = rstd;
        xhat = null;
        rstd = null;
        long n = xh.rows();
        Shapes.requireMatrix(name, "output gradient", dy, n, d, dtype());
        if (n == 0) return Init.empty(dtype(), d);
        INDArray dyXhat = dy.mul(xh);                                               // [N, D]
        ColumnSums.addInto(dyXhat, gain.grad());
        ColumnSums.addInto(dy, bias.grad());
        INDArray meanGx = dyXhat.muliRowVector(gain.value()).mean(1).reshape(n, 1);  // mean(ĝ ⊙ x̂)
        INDArray g = dy.mulRowVector(gain.value());                                  // ĝ [N, D]
        INDArray meanG = g.mean(1).reshape(n, 1);
        return g.subiColumnVector(meanG).subi(xh.muliColumnVector(meanGx)).muliColumnVector(r);
    }

    public String name() { return name; }

    private DataType dtype() { return gain.value().dataType(); }
}
