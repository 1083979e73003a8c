package dev.sparkmoe.worker.nn;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * GELU, tanh approximation (Hendrycks &amp; Gimpel 2016, as in GPT-2):
 * {@code y = ½x(1 + tanh(u))}, {@code u = √(2/π)(x + 0.044715x³)}, and its derivative
 * {@code dy/dx = ½(1 + t) + ½x(1 − t²)·√(2/π)(1 + 3·0.044715x²)} with {@code t = tanh(u)}.
 *
 * <p>Stateless. The tanh is the costly part (~35 ms per 4M floats here), so callers that run forward and
 * backward (e.g. {@link FeedForward}) compute it once with {@link #tanhInner} and pass it to
 * {@link #fromTanh} and {@link #backwardFromTanh}. All work is whole-array ND4J elementwise ops.
 */
public final class Gelu {
    private static final double C = Math.sqrt(2.0 / Math.PI);
    private static final double K = 0.044715;

    private Gelu() {}

    /** @param x any shape; @return GELU(x), same shape (new array) */
    public static INDArray forward(INDArray x) {
        return fromTanh(x, tanhInner(x));
    }

    /** @param x pre-activation, any shape; @param dy same shape; @return dx, same shape (new array) */
    public static INDArray backward(INDArray x, INDArray dy) {
        return backwardFromTanh(x, tanhInner(x), dy);
    }

    /**
     * {@code t = tanh(√(2/π)(x + 0.044715x³))}, same shape as {@code x} (new array). Computed as
     * {@code 1 − 2/(exp(2u) + 1)}: ND4J's exp is about twice as fast as its tanh here, and the form saturates
     * correctly to ±1 (exp overflowing to +∞ gives 1).
     */
    public static INDArray tanhInner(INDArray x) {
        INDArray u = x.mul(x);                                       // x²
        u.muli(K).addi(1.0).muli(x).muli(2 * C);                     // 2u = 2√(2/π)(x + Kx³)
        return Transforms.exp(u, false).addi(1.0).rdivi(2.0).rsubi(1.0);
    }

    /** {@code ½x(1 + t)} for {@code t = }{@link #tanhInner}{@code (x)}; new array of {@code x}'s shape. */
    public static INDArray fromTanh(INDArray x, INDArray t) {
        return t.add(1.0).muli(x).muli(0.5);
    }

    /** dx for upstream {@code dy}, given {@code t = }{@link #tanhInner}{@code (x)}; all the same shape (new array). */
    public static INDArray backwardFromTanh(INDArray x, INDArray t, INDArray dy) {
        INDArray inner = x.mul(x).muli(3 * K).addi(1.0).muli(C * 0.5).muli(x);   // ½x·√(2/π)(1 + 3Kx²)
        INDArray sech2 = t.mul(t).rsubi(1.0).muli(inner);                         // (1 − t²)·inner
        return inner.assign(t).addi(1.0).muli(0.5).addi(sech2).muli(dy);          // + ½(1 + t), times dy
    }
}
