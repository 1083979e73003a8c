package dev.sparkmoe.worker.optim;

import dev.sparkmoe.routing.Param;

import java.util.List;

/** Global-norm gradient clipping (Pascanu et al. 2013), as {@code torch.nn.utils.clip_grad_norm_}. Stateless. */
public final class GradientClipping {
    private GradientClipping() {}

    /**
     * Computes the global L2 norm of all gradients (per-param squared norms summed in double, in list order, so
     * the result is deterministic) and, when it exceeds {@code maxNorm}, scales every gradient in place by
     * {@code maxNorm / norm}.
     *
     * @param maxNorm clipping threshold; {@code ≤ 0} disables scaling (the norm is still returned)
     * @return the norm before clipping
     * @throws IllegalStateException naming the first param whose gradient is not finite (NaN or infinite)
     */
    public static double clipGlobalNorm(List<Param> params, double maxNorm) {
        double sumSq = 0;
        for (Param p : params) {
            double norm = norm(p);
            sumSq += norm * norm;
        }
        double total = Math.sqrt(sumSq);
        scale(params, scaleFor(total, maxNorm));
        return total;
    }

    /**
     * The L2 norm of one gradient as {@link #clipGlobalNorm} computes it (so that a global norm
     * assembled from parts held in different processes, in the same order, is the same double).
     *
     * @throws IllegalStateException naming the param if the gradient is not finite
     */
    public static double norm(Param p) {
        double norm = p.grad().norm2Number().doubleValue();
        if (!Double.isFinite(norm)) {
            throw new IllegalStateException("gradient of param " + p.name() + " is not finite (L2 norm " + norm + ")");
        }
        return norm;
    }

    /** The factor gradients are scaled by: {@code maxNorm / total} when clipping applies, else exactly 1. */
    public static double scaleFor(double total, double maxNorm) {
        return maxNorm > 0 && total > maxNorm ? maxNorm / total : 1.0;
    }

    /** Scales every gradient in place by {@code scale} (nothing to do for 1). */
    public static void scale(List<Param> params, double scale) {
        if (scale == 1.0) return;
        for (Param p : params) p.grad().muli(scale);
    }
}
