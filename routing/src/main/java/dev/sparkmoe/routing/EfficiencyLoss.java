package dev.sparkmoe.routing;

/**
 * Efficiency loss of top-any gating (ROUTING.md §2, option): {@code L = mean_t(k_t) / |A|}
 * over the non-padding tokens, with {@code k_t = Σ_e a[t,e]}; it pushes the number of
 * activated experts down. Differentiable through the straight-through activations:
 * {@code ∂L/∂a[t,e] = 1 / (T_valid · E)}. Stateless.
 */
final class EfficiencyLoss {
    private EfficiencyLoss() {}

    /** @param a {@code [T·E]} activations (0/1 forward, or surrogate values) */
    static double value(double[] a, int numTokens, int numExperts, boolean[] pad) {
        int valid = Nd.validTokens(pad, numTokens);
        if (valid == 0) return 0;
        double sum = 0;
        for (int t = 0; t < numTokens; t++) {
            if (Nd.isPad(pad, t)) continue;
            for (int e = 0; e < numExperts; e++) sum += a[t * numExperts + e];
        }
        return sum / ((double) valid * numExperts);
    }

    /** Adds {@code scale · ∂L/∂a} to {@code gradA} {@code [T·E]}. */
    static void addGradient(double[] gradA, int numTokens, int numExperts, boolean[] pad, double scale) {
        int valid = Nd.validTokens(pad, numTokens);
        if (valid == 0) return;
        double g = scale / ((double) valid * numExperts);
        for (int t = 0; t < numTokens; t++) {
            if (Nd.isPad(pad, t)) continue;
            for (int e = 0; e < numExperts; e++) gradA[t * numExperts + e] += g;
        }
    }
}
