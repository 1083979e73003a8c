package dev.sparkmoe.routing;

/**
 * Per-token choice of the {@code K_t} largest scores among {@code E} slots (ties go to the lower
 * slot, so routing is deterministic), over a row-major {@code [T, E]} primitive copy. The result
 * is token-major CSR with ascending slots within each token, like {@link RoutingDecision}.
 */
final class LargestK {
    private LargestK() {}

    /**
     * @param offsets {@code [T+1]} CSR offsets
     * @param slots   {@code [ΣK]} chosen slots, ascending within a token
     */
    record Chosen(int[] offsets, int[] slots) {
        int total() { return slots.length; }
    }

    /**
     * @param scores {@code [T·E]} row-major scores
     * @param k      {@code [T]} experts per token, 0 (e.g. padding) to {@code E}
     */
    static Chosen select(double[] scores, int numTokens, int numExperts, int[] k) {
        int[] offsets = new int[numTokens + 1];
        for (int t = 0; t < numTokens; t++) offsets[t + 1] = offsets[t] + Math.min(k[t], numExperts);
        int[] slots = new int[offsets[numTokens]];
        boolean[] taken = new boolean[numExperts];
        for (int t = 0; t < numTokens; t++) {
            int kt = offsets[t + 1] - offsets[t];
            if (kt == 0) continue;
            int base = t * numExperts;
            if (kt == numExperts) {
                for (int e = 0; e < numExperts; e++) slots[offsets[t] + e] = e;
                continue;
            }
            java.util.Arrays.fill(taken, false);
            for (int i = 0; i < kt; i++) {
                int best = -1;
                for (int e = 0; e < numExperts; e++) {
                    // strict '>' keeps the lower slot on ties
                    if (!taken[e] && (best < 0 || scores[base + e] > scores[base + best])) best = e;
                }
                taken[best] = true;
            }
            int j = offsets[t];
            for (int e = 0; e < numExperts; e++) if (taken[e]) slots[j++] = e;
        }
        return new Chosen(offsets, slots);
    }
}
