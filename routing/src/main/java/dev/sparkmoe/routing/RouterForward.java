package dev.sparkmoe.routing;

import java.util.Map;

/**
 * What one router forward pass produced: the decision, the aux loss, the routing record, and
 * whatever the router cached for its backward pass (held by the implementation).
 */
public interface RouterForward {
    /** The kept assignments and their combine weights. */
    RoutingDecision decision();

    /**
     * Sum of the enabled aux losses, each already multiplied by its weight, all multiplied by the
     * call's {@link RoutingContext#auxScale()}; 0 when none.
     */
    double auxLoss();

    /** Unweighted value of each enabled aux loss by name (e.g. "loadBalance", "zLoss"), for metrics. */
    Map<String, Double> auxLossTerms();

    /** This batch's routing record (ROUTING.md §4), keyed by expert id. */
    RoutingRecord record();
}
