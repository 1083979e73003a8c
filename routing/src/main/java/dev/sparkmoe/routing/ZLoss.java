package dev.sparkmoe.routing;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Router z-loss (ST-MoE; ROUTING.md §1), {@code L = mean_t (logsumexp_e z[t,e])²} over the
 * non-padding tokens, {@code z = x·Wᵀ} the router logits. Gradient:
 * {@code ∂L/∂z[t,e] = 2 · lse_t · p[t,e] / T_valid}. Stateless.
 */
final class ZLoss {
    private ZLoss() {}

    /** {@code [T]} row-wise log-sum-exp of {@code logits} {@code [T, E]}, stable, batched. */
    static double[] logSumExp(INDArray logits) {
        long rows = logits.rows();
        INDArray max = logits.max(1).reshape(rows, 1);                       // [T, 1]
        INDArray sum = Transforms.exp(logits.subColumnVector(max), false).sum(1); // [T]
        return Nd.toDoubles(Transforms.log(sum, false).addi(max.reshape(rows)));
    }

    /** @param lse {@code [T]} log-sum-exp per token */
    static double value(double[] lse, boolean[] pad) {
        int valid = Nd.validTokens(pad, lse.length);
        if (valid == 0) return 0;
        double sum = 0;
        for (int t = 0; t < lse.length; t++) if (!Nd.isPad(pad, t)) sum += lse[t] * lse[t];
        return sum / valid;
    }

    /** Adds {@code scale · ∂L/∂z} to {@code gradLogits} {@code [T·E]}; {@code probs} = softmax(z). */
    static void addGradient(double[] gradLogits, double[] probs, double[] lse, int numExperts, boolean[] pad,
                            double scale) {
        int valid = Nd.validTokens(pad, lse.length);
        if (valid == 0) return;
        for (int t = 0; t < lse.length; t++) {
            if (Nd.isPad(pad, t)) continue;
            double c = scale * 2 * lse[t] / valid;
            for (int e = 0; e < numExperts; e++) gradLogits[t * numExperts + e] += c * probs[t * numExperts + e];
        }
    }
}
