package dev.sparkmoe.worker.train;

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

    /** Statistics of one router forward pass. */
    public static LayerStats of(RouterForward routing) {
        RoutingDecision d = routing.decision();
        long tokens = routing.record().tokens();
        double mean = tokens == 0 ? 0 : (double) d.nnz() / tokens;
        return new LayerStats(d.numExperts(), mean, d.droppedAssignments(), d.unroutedTokens(), d.tokensPerExpert());
    }
}
