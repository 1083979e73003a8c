package dev.sparkmoe.routing;

/**
 * Switch load-balancing loss (ROUTING.md §1), {@code L = E · Σ_e f_e · P_e}:
 * <ul>
 *   <li>{@code f_e} — fraction of the batch's assignments that chose slot {@code e}, counted
 *       before capacity dropping; a count, so a constant in the backward pass;</li>
 *   <li>{@code P_e} — mean router probability of {@code e} over the non-padding tokens.</li>
 * </ul>
 * Perfect balance gives {@code L = 1}. Gradient: {@code ∂L/∂p[t,e] = E · f_e / T_valid} for every
 * non-padding token {@code t}. Shared by the top-k and DA-MoE routers; stateless.
 */
final class LoadBalanceLoss {
    private LoadBalanceLoss() {}

    /**
     * @param probs       {@code [T·E]} router probabilities, row-major
     * @param pad         {@code [T]} padding mask or null
     * @param assignments {@code [E]} pre-drop assignments per slot
     */
    static double value(double[] probs, int numTokens, int numExperts, boolean[] pad, long[] assignments) {
        double[] f = fractions(assignments);
        int valid = Nd.validTokens(pad, numTokens);
        if (f == null || valid == 0) return 0;
        double[] meanP = new double[numExperts];
        for (int t = 0; t < numTokens; t++) {
            if (Nd.isPad(pad, t)) continue;
            for (int e = 0; e < numExperts; e++) meanP[e] += probs[t * numExperts + e];
        }
        double sum = 0;
        for (int e = 0; e < numExperts; e++) sum += f[e] * meanP[e] / valid;
        return numExperts * sum;
    }

    /** Adds {@code scale · ∂L/∂p} to {@code gradProbs} {@code [T·E]}. */
    static void addGradient(double[] gradProbs, int numTokens, int numExperts, boolean[] pad, long[] assignments,
                            double scale) {
        double[] f = fractions(assignments);
        int valid = Nd.validTokens(pad, numTokens);
        if (f == null || valid == 0) return;
        double[] g = new double[numExperts];
        for (int e = 0; e < numExperts; e++) g[e] = scale * numExperts * f[e] / valid;
        for (int t = 0; t < numTokens; t++) {
            if (Nd.isPad(pad, t)) continue;
            for (int e = 0; e < numExperts; e++) gradProbs[t * numExperts + e] += g[e];
        }
    }

    private static double[] fractions(long[] assignments) {
        long total = 0;
        for (long a : assignments) total += a;
        if (total == 0) return null;
        double[] f = new double[assignments.length];
        for (int e = 0; e < f.length; e++) f[e] = (double) assignments[e] / total;
        return f;
    }
}
