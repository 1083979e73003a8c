package dev.sparkmoe.routing;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.SplittableRandom;

/**
 * Seeded initialisation of router parameters. Draws come from {@link SplittableRandom} with a
 * Box-Muller transform written out here (not ND4J's global RNG, not the JDK's
 * {@code nextGaussian}, whose algorithm may change between JDK versions), so the same seed gives
 * the same parameters on every JVM and every executor (DESIGN.md invariant 2).
 */
final class RouterInit {
    private RouterInit() {}

    /** {@code [rows, cols]} with entries from {@code N(0, std²)}. */
    static INDArray normal(long seed, int rows, int cols, double std, DataType dtype) {
        return Nd.create(normalDoubles(seed, rows * cols, std), dtype, rows, cols);
    }

    static double[] normalDoubles(long seed, int n, double std) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] out = new double[n];
        for (int i = 0; i < n; i += 2) {
            double u1 = 1.0 - rng.nextDouble(); // (0, 1]
            double u2 = rng.nextDouble();
            double r = Math.sqrt(-2.0 * Math.log(u1));
            out[i] = std * r * Math.cos(2 * Math.PI * u2);
            if (i + 1 < n) out[i + 1] = std * r * Math.sin(2 * Math.PI * u2);
        }
        return out;
    }

    /**
     * {@code [E, D]} gate vectors as rows, "orthonormal" as far as the shapes allow:
     * <ul>
     *   <li>{@code E <= D}: orthonormal rows (Gram-Schmidt of seeded Gaussian rows);</li>
     *   <li>{@code E > D}: no {@code E} orthonormal vectors exist in {@code R^D}; the columns are
     *       made orthonormal instead ({@code WᵀW = I_D}), so the rows form a Parseval tight frame,
     *       row norms {@code sqrt(D/E)} on average. This is what {@code torch.nn.init.orthogonal_}
     *       gives the official DynMoE code for the same shapes. Routing uses cosines, so only the
     *       simplicity loss sees the norms.</li>
     * </ul>
     */
    static INDArray orthonormalRows(long seed, int numExperts, int dModel, DataType dtype) {
        double[] g = normalDoubles(seed, numExperts * dModel, 1.0);
        if (numExperts <= dModel) {
            orthonormalise(g, numExperts, dModel, dModel, 1, seed);   // rows
        } else {
            orthonormalise(g, dModel, numExperts, 1, dModel, seed);   // columns
        }
        return Nd.create(g, dtype, numExperts, dModel);
    }

    /**
     * Modified Gram-Schmidt, applied twice for accuracy, on {@code count} vectors of length
     * {@code len} stored in {@code a}: vector {@code v} element {@code i} at
     * {@code v·vecStride + i·elemStride}. A vector that collapses (probability zero) is redrawn.
     */
    private static void orthonormalise(double[] a, int count, int len, int vecStride, int elemStride, long seed) {
        SplittableRandom redraw = new SplittableRandom(Seeds.derive(seed, 0x0A7));
        for (int v = 0; v < count; v++) {
            for (int attempt = 0; ; attempt++) {
                for (int pass = 0; pass < 2; pass++) {
                    for (int u = 0; u < v; u++) {
                        double dot = 0;
                        for (int i = 0; i < len; i++) dot += a[u * vecStride + i * elemStride] * a[v * vecStride + i * elemStride];
                        for (int i = 0; i < len; i++) a[v * vecStride + i * elemStride] -= dot * a[u * vecStride + i * elemStride];
                    }
                }
                double norm = 0;
                for (int i = 0; i < len; i++) norm += a[v * vecStride + i * elemStride] * a[v * vecStride + i * elemStride];
                norm = Math.sqrt(norm);
                if (norm > 1e-8 || attempt > 100) {
                    for (int i = 0; i < len; i++) a[v * vecStride + i * elemStride] /= norm;
                    break;
                }
                for (int i = 0; i < len; i++) a[v * vecStride + i * elemStride] = redraw.nextDouble() * 2 - 1;
            }
        }
    }

    /**
     * A fresh unit gate vector {@code [D]} for a new top-any expert: a seeded Gaussian vector,
     * orthogonalised against the live gates when they do not yet span {@code R^D}, normalised.
     *
     * @param live {@code [E, D]} current gate vectors (rows)
     */
    static double[] freshGate(long seed, double[] live, int numLive, int dModel) {
        double[] v = normalDoubles(seed, dModel, 1.0);
        if (numLive + 1 <= dModel) {
            // Gram-Schmidt over (live gates, new draw) on a copy; only the last vector is kept.
            double[] all = java.util.Arrays.copyOf(live, (numLive + 1) * dModel);
            System.arraycopy(v, 0, all, numLive * dModel, dModel);
            orthonormalise(all, numLive + 1, dModel, dModel, 1, seed);
            System.arraycopy(all, numLive * dModel, v, 0, dModel);
        }
        normaliseInPlace(v, 0, dModel);
        return v;
    }

    private static void normaliseInPlace(double[] a, int off, int len) {
        double norm = 0;
        for (int i = 0; i < len; i++) norm += a[off + i] * a[off + i];
        norm = Math.sqrt(norm);
        if (norm > 0) for (int i = 0; i < len; i++) a[off + i] /= norm;
    }
}
