package dev.sparkmoe.worker.train;

import dev.sparkmoe.routing.ExpertSet;
import dev.sparkmoe.routing.RouterForward;
import dev.sparkmoe.routing.RoutingRecord;

/**
 * One MoE layer's routing over several routing groups or data partitions: records merged in the
 * order added (so the float sums are reproducible), counts and active-expert histograms summed.
 * What the single-process trainer's micro-batches and the Spark engine's driver both reduce a
 * step's routing to.
 */
public final class RoutingTally {
    private RoutingRecord record;
    private long assignments;
    private long dropped;
    private long unrouted;
    private long[] histogram;

    /** Adds one group's routing. */
    public void add(RouterForward f) {
        add(f.record(), f.decision().nnz(), f.decision().droppedAssignments(), f.decision().unroutedTokens(),
                LayerStats.activeHistogram(f));
    }

    /**
     * Adds one group's record and counts (kept assignments, dropped assignments, unrouted tokens)
     * and its {@link LayerStats#activeHistogram(RouterForward) active-expert histogram}.
     */
    public void add(RoutingRecord r, long assignments, long dropped, long unrouted, long[] histogram) {
        record = record == null ? r : record.merge(r);
        this.assignments += assignments;
        this.dropped += dropped;
        this.unrouted += unrouted;
        this.histogram = LayerStats.addHistograms(this.histogram, histogram);
    }

    /** The merged record; empty for a layer of hidden size {@code dModel} when nothing was added. */
    public RoutingRecord record(ExpertSet live, int dModel) {
        return record != null ? record : RoutingRecord.empty(live, dModel);
    }

    /** The layer's statistics over everything added. */
    public LayerStats stats(ExpertSet live, int dModel) {
        return LayerStats.of(record(live, dModel), live, assignments, dropped, unrouted,
                LayerStats.addHistograms(histogram, null));
    }
}
