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
            double norm = p.grad().norm2Number().doubleValue();
            if (!Double.isFinite(norm)) {
                throw new IllegalStateException("gradient of param " + p.name() + " is not finite (L2 norm " + norm + ")");
            }
            sumSq += norm * norm;
        }
        double total = Math.sqrt(sumSq);
        if (maxNorm > 0 && total > maxNorm) {
            double scale = maxNorm / total;
            for (Param p : params) p.grad().muli(scale);
        }
        return total;
    }
}
