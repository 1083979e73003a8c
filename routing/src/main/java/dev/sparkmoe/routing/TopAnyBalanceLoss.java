package dev.sparkmoe.routing;

/**
 * The balance loss of the official DynMoE code for top-any gating (ROUTING.md §2, option),
 * over the {@code N} tokens with {@code k_t >= 1}:
 * {@code me_e = mean_t(a[t,e] / k_t)}, {@code ce_e = mean_t(1[a[t,e] > 0])},
 * {@code L = |A|² · mean_e(me_e · ce_e) = E · Σ_e me_e · ce_e}.
 *
 * <p>What is differentiable (the project's reading of the official code): {@code me} flows
 * through the straight-through activations {@code a[t,e]} with {@code 1/k_t} held constant,
 * as on the main path; {@code ce} is a count of activations (an integer mask in the official
 * code) and is a constant. So {@code ∂L/∂a[t,e] = E · ce_e / (N · k_t)} for tokens with
 * {@code k_t >= 1}. The router then sends this only through activated pairs (the ReLU of the
 * straight-through surrogate). Stateless.
 */
final class TopAnyBalanceLoss {
    private TopAnyBalanceLoss() {}

    /**
     * @param a {@code [T·E]} activations: 0/1 in the forward pass, or any surrogate value whose
     *          sign marks the activated pairs
     * @param k {@code [T]} activated experts per token at the forward pass (0: token excluded,
     *          including padding)
     */
    static double value(double[] a, int[] k, int numExperts) {
        int n = tokens(k);
        if (n == 0) return 0;
        double[] ce = ce(a, k, numExperts, n);
        double sum = 0;
        for (int t = 0; t < k.length; t++) {
            if (k[t] == 0) continue;
            for (int e = 0; e < numExperts; e++) sum += ce[e] * a[t * numExperts + e] / k[t];
        }
        return numExperts * sum / n;
    }

    /** Adds {@code scale · ∂L/∂a} to {@code gradA} {@code [T·E]} (every pair of a token with k ≥ 1). */
    static void addGradient(double[] gradA, double[] a, int[] k, int numExperts, double scale) {
        int n = tokens(k);
        if (n == 0) return;
        double[] ce = ce(a, k, numExperts, n);
        for (int t = 0; t < k.length; t++) {
            if (k[t] == 0) continue;
            for (int e = 0; e < numExperts; e++) gradA[t * numExperts + e] += scale * numExperts * ce[e] / (n * (double) k[t]);
        }
    }

    private static int tokens(int[] k) {
        int n = 0;
        for (int kt : k) if (kt > 0) n++;
        return n;
    }

    private static double[] ce(double[] a, int[] k, int numExperts, int n) {
        double[] ce = new double[numExperts];
        for (int t = 0; t < k.length; t++) {
            if (k[t] == 0) continue;
            for (int e = 0; e < numExperts; e++) if (a[t * numExperts + e] > 0) ce[e] += 1.0 / n;
        }
        return ce;
    }
}
