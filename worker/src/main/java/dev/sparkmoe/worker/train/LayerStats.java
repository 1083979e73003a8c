package dev.sparkmoe.worker.train;

import dev.sparkmoe.routing.ExpertSet;
import dev.sparkmoe.routing.RoutingRecord;
import dev.sparkmoe.routing.RouterForward;
import dev.sparkmoe.routing.RoutingDecision;

import java.util.Arrays;

/**
 * Routing statistics of one MoE layer for one step.
 *
 * @param experts         live experts
 * @param meanActive      mean experts activated per (non-padding) token: kept assignments / tokens
 * @param dropped         assignments dropped by capacity
 * @param unrouted        tokens with no kept assignment
 * @param tokensPerExpert kept assignments per slot
 * @param activeHistogram {@code [k]}: non-padding tokens with exactly {@code k} kept experts, up to
 *                        the largest {@code k} seen (length ≥ 1); sums to the token count
 * @param expertIds       the live expert ids in slot order (ascending), so that a slot's counts can
 *                        be followed across steps while the controller adds and prunes experts
 */
public record LayerStats(int experts, double meanActive, long dropped, long unrouted, int[] tokensPerExpert,
                         long[] activeHistogram, int[] expertIds) {

    /**
     * Statistics of several routing groups (or data partitions): their records merged in order
     * and their counts summed.
     *
     * @param merged      the merged record of the groups
     * @param live        the layer's live experts (slot order)
     * @param assignments kept assignments summed over the groups
     * @param histogram   the groups' {@link #activeHistogram(RouterForward)}s summed ({@link #addHistograms})
     */
    public static LayerStats of(RoutingRecord merged, ExpertSet live, long assignments, long dropped, long unrouted,
                                long[] histogram) {
        int[] perExpert = new int[live.size()];
        for (int s = 0; s < perExpert.length; s++) perExpert[s] = Math.toIntExact(merged.tokensFor(live.id(s)));
        double mean = merged.tokens() == 0 ? 0 : (double) assignments / merged.tokens();
        return new LayerStats(live.size(), mean, dropped, unrouted, perExpert, histogram, live.ids());
    }

    /** Statistics of one router forward pass. */
    public static LayerStats of(RouterForward routing) {
        RoutingDecision d = routing.decision();
        long tokens = routing.record().tokens();
        double mean = tokens == 0 ? 0 : (double) d.nnz() / tokens;
        return new LayerStats(d.numExperts(), mean, d.droppedAssignments(), d.unroutedTokens(), d.tokensPerExpert(),
                activeHistogram(routing), routing.record().expertIds());
    }

    /**
     * Tokens per number of kept experts, {@code long[maxK + 1]}. Padding tokens are routed
     * nowhere, so the 0 bin is the record's non-padding tokens minus those with a kept expert;
     * that keeps {@code Σ h = tokens} and {@code Σ k·h[k] / tokens = meanActive}.
     */
    public static long[] activeHistogram(RouterForward routing) {
        RoutingDecision d = routing.decision();
        int maxK = 0;
        for (int t = 0; t < d.numTokens(); t++) maxK = Math.max(maxK, d.tokenK(t));
        long[] h = new long[maxK + 1];
        long routed = 0;
        for (int t = 0; t < d.numTokens(); t++) {
            int k = d.tokenK(t);
            if (k > 0) {
                h[k]++;
                routed++;
            }
        }
        h[0] = routing.record().tokens() - routed;
        return h;
    }

    /** Element-wise sum of two histograms of possibly different lengths; either may be null (empty). */
    public static long[] addHistograms(long[] a, long[] b) {
        if (a == null) return b == null ? new long[1] : b.clone();
        if (b == null) return a.clone();
        long[] sum = Arrays.copyOf(a, Math.max(a.length, b.length));
        for (int k = 0; k < b.length; k++) sum[k] += b[k];
        return sum;
    }
}
