package dev.sparkmoe.worker.nn;

import dev.sparkmoe.routing.Param;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Hands out consecutive views of a module's flat parameter buffers, so that a module's
 * parameters and gradients are views of one buffer each (cheap to ship, checkpoint and update
 * with one optimiser call). Two buffers: {@link #weight} draws from the weight-decayed buffer,
 * {@link #vector} from the one without decay (biases, LayerNorm gains, embeddings' positions).
 *
 * <p>Build order: a module reports its sizes ({@link Sizes}), the owner allocates the flat
 * {@link Param}s, then each layer takes its views in its {@code bind} method, in the same order
 * every time. {@link #finish()} checks that every element was handed out.
 */
public final class ParamSlicer {
    private final Param decayed;
    private final Param plain;
    private long decayedAt;
    private long plainAt;

    /** Slices {@code decayed} (weight-decayed) and {@code plain} (no decay); both 1-D of any length. */
    public ParamSlicer(Param decayed, Param plain) {
        this.decayed = decayed;
        this.plain = plain;
    }

    /** A view pair {@code (value, grad)} of the next {@code rows × cols} decayed elements. */
    public View weight(long rows, long cols) {
        View v = take(decayed, decayedAt, rows, cols);
        decayedAt += rows * cols;
        return v;
    }

    /** A view pair of the next {@code n} elements without weight decay, shaped {@code [n]}. */
    public View vector(long n) {
        View v = take(plain, plainAt, 1, n);
        plainAt += n;
        return new View(v.value().reshape(n), v.grad().reshape(n));
    }

    /** A view pair of the next {@code rows × cols} elements without weight decay. */
    public View plainMatrix(long rows, long cols) {
        View v = take(plain, plainAt, rows, cols);
        plainAt += rows * cols;
        return v;
    }

    /** Throws unless both buffers were handed out exactly. */
    public void finish() {
        if (decayedAt != decayed.length() || plainAt != plain.length()) {
            throw new IllegalStateException("parameter layout mismatch: handed out " + decayedAt + "/" + decayed.length()
                    + " decayed and " + plainAt + "/" + plain.length() + " plain elements");
        }
    }

    private static View take(Param p, long at, long rows, long cols) {
        long n = rows * cols;
        if (at + n > p.length()) {
            throw new IllegalStateException("parameter buffer " + p.name() + " too small: need " + (at + n)
                    + " elements, have " + p.length());
        }
        INDArray value = p.value().reshape(p.length()).get(NDArrayIndex.interval(at, at + n)).reshape('c', rows, cols);
        INDArray grad = p.grad().reshape(p.length()).get(NDArrayIndex.interval(at, at + n)).reshape('c', rows, cols);
        return new View(value, grad);
    }

    /** A parameter's value and gradient views, same shape. */
    public record View(INDArray value, INDArray grad) {}

    /** Parameter counts of a module: elements with and without weight decay. */
    public record Sizes(long decayed, long plain) {
        public static final Sizes ZERO = new Sizes(0, 0);

        public Sizes plus(Sizes o) { return new Sizes(decayed + o.decayed, plain + o.plain); }

        public long total() { return decayed + plain; }
    }
}
