package dev.sparkmoe.worker.train;

import dev.sparkmoe.routing.ExpertSet;
import dev.sparkmoe.routing.RoutingRecord;
import dev.sparkmoe.routing.RouterForward;
import dev.sparkmoe.routing.RoutingDecision;

/**
 * Routing statistics of one MoE layer for one step.
 *
 * @param experts        live experts
 * @param meanActive     mean experts activated per (non-padding) token: kept assignments / tokens
 * @param dropped        assignments dropped by capacity
 * @param unrouted       tokens with no kept assignment
 * @param tokensPerExpert kept assignments per slot
 */
public record LayerStats(int experts, double meanActive, long dropped, long unrouted, int[] tokensPerExpert) {

    /**
     * Statistics of several routing groups (or data partitions): their records merged in order
     * and their counts summed.
     *
     * @param merged      the merged record of the groups
     * @param live        the layer's live experts (slot order)
     * @param assignments kept assignments summed over the groups
     */
    public static LayerStats of(RoutingRecord merged, ExpertSet live, long assignments, long dropped, long unrouted) {
        int[] perExpert = new int[live.size()];
        for (int s = 0; s < perExpert.length; s++) perExpert[s] = Math.toIntExact(merged.tokensFor(live.id(s)));
        double mean = merged.tokens() == 0 ? 0 : (double) assignments / merged.tokens();
        return new LayerStats(live.size(), mean, dropped, unrouted, perExpert);
    }

    /** Statistics of one router forward pass. */
    public static LayerStats of(RouterForward routing) {
        RoutingDecision d = routing.decision();
        long tokens = routing.record().tokens();
        double mean = tokens == 0 ? 0 : (double) d.nnz() / tokens;
        return new LayerStats(d.numExperts(), mean, d.droppedAssignments(), d.unroutedTokens(), d.tokensPerExpert());
    }
}
