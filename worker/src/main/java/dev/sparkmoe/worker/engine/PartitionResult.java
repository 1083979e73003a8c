package dev.sparkmoe.worker.engine;

import dev.sparkmoe.routing.RoutingRecord;

/**
 * What one data partition returns to the driver at the end of a step: its gradients of the dense
 * parameters (in {@code MoETransformer.denseParams()} order), its share of the loss, and each MoE
 * layer's routing record, counts and active-expert histogram; in an evaluation pass of a
 * per-sequence head, also the head's outputs for the partition's sequences (for predictions). The driver adds the partitions' results in partition order
 * ({@link StepTotals}), so the sums are reproducible bit for bit.
 *
 * <p>A partition that drew no sequence this step returns {@link #empty}: no gradients, no records.
 */
public final class PartitionResult {
    private final int partition;
    private final float[][] denseGrads;       // null for an empty partition
    private final double crossEntropy;        // this partition's share: Σ_rows CE / (whole batch's targets)
    private final double aux;                 // Σ over MoE layers of the weighted aux loss, scaled by T_p/T
    private final long tokens;
    private final RoutingRecord[] records;    // per MoE layer; null for an empty partition
    private final long[] assignments;         // per layer: kept (token, expert) pairs
    private final long[] dropped;             // per layer: assignments dropped by capacity
    private final long[] unrouted;            // per layer: tokens with no kept assignment
    private final long[][] activeHistograms;  // per layer: tokens per number of kept experts; null for an empty partition
    private final long counted;               // targets the loss counted
    private final float[] outputs;            // [B_p·C] per-sequence head outputs of an evaluation pass, else null

    /**
     * @param activeHistograms per MoE layer, {@code LayerStats.activeHistogram} of its routing
     *                         (null for an empty partition)
     * @param counted          targets the loss counted (next-token ids, labelled or scored sequences)
     * @param outputs          {@code [B_p·C]} row-major head outputs of an evaluation pass of a
     *                         per-sequence head, or null
     */
    public PartitionResult(int partition, float[][] denseGrads, double crossEntropy, double aux, long tokens,
                           RoutingRecord[] records, long[] assignments, long[] dropped, long[] unrouted,
                           long[][] activeHistograms, long counted, float[] outputs) {
        this.partition = partition;
        this.denseGrads = denseGrads;
        this.crossEntropy = crossEntropy;
        this.aux = aux;
        this.tokens = tokens;
        this.records = records;
        this.assignments = assignments;
        this.dropped = dropped;
        this.unrouted = unrouted;
        this.activeHistograms = activeHistograms;
        this.counted = counted;
        this.outputs = outputs;
    }

    /** The result of a partition with no rows this step. */
    public static PartitionResult empty(int partition) {
        return new PartitionResult(partition, null, 0, 0, 0, null, null, null, null, null, 0, null);
    }

    public boolean isEmpty() { return denseGrads == null; }
    public int partition() { return partition; }
    public float[][] denseGrads() { return denseGrads; }
    public double crossEntropy() { return crossEntropy; }
    public double aux() { return aux; }
    public long tokens() { return tokens; }
    /** Targets the loss counted. */
    public long counted() { return counted; }
    /** {@code [B_p·C]} head outputs of an evaluation pass of a per-sequence head, or null. */
    public float[] outputs() { return outputs; }
    public RoutingRecord record(int layer) { return records[layer]; }
    public long assignments(int layer) { return assignments[layer]; }
    public long dropped(int layer) { return dropped[layer]; }
    public long unrouted(int layer) { return unrouted[layer]; }
    /** Layer {@code layer}'s tokens per number of kept experts, {@code long[maxK + 1]} (a copy). */
    public long[] activeHistogram(int layer) {
        return activeHistograms[layer].clone();
    }

    @Override
    public String toString() {
        return "PartitionResult(partition " + partition + (isEmpty() ? ", empty)" : ", " + tokens + " tokens)");
    }
}
