package dev.sparkmoe.routing;

import java.util.Arrays;

/**
 * Routing statistics of one MoE layer over some tokens (ROUTING.md §4), keyed by expert id so
 * that records from different partitions, steps and expert sets merge:
 * <ul>
 *   <li>{@code R_E[e]} — {@link #tokensPerExpert()}: tokens that activated (top-any) or were
 *       kept on (top-k, DA-MoE) expert {@code e};</li>
 *   <li>{@code R_S} — {@link #unroutedSum()} {@code [D]}: sum of the router inputs of tokens
 *       that activated no expert;</li>
 *   <li>{@code R_N} — {@link #unroutedCount()}: how many such tokens;</li>
 *   <li>plus the counts every report wants: tokens routed, assignments kept and dropped.</li>
 * </ul>
 * Immutable. {@link #merge} is commutative and associative for the counts; the float sum
 * {@code R_S} is exact up to rounding, so callers that need bitwise reproducibility merge in a
 * fixed order (the driver merges partitions in partition order).
 */
public final class RoutingRecord implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    private final int[] expertIds;
    private final long[] tokensPerExpert;
    private final double[] unroutedSum;
    private final long unroutedCount;
    private final long tokens;
    private final long droppedAssignments;

    /**
     * @param expertIds       ascending ids
     * @param tokensPerExpert count per id, same length
     * @param unroutedSum     {@code [D]} sum of the inputs of tokens routed nowhere
     */
    public RoutingRecord(int[] expertIds, long[] tokensPerExpert, double[] unroutedSum, long unroutedCount,
                         long tokens, long droppedAssignments) {
        if (expertIds.length != tokensPerExpert.length) {
            throw new IllegalArgumentException("expertIds and tokensPerExpert differ in length: "
                    + expertIds.length + " vs " + tokensPerExpert.length);
        }
        for (int i = 1; i < expertIds.length; i++) {
            if (expertIds[i] <= expertIds[i - 1]) {
                throw new IllegalArgumentException("expert ids must be ascending: " + Arrays.toString(expertIds));
            }
        }
        this.expertIds = expertIds.clone();
        this.tokensPerExpert = tokensPerExpert.clone();
        this.unroutedSum = unroutedSum.clone();
        this.unroutedCount = unroutedCount;
        this.tokens = tokens;
        this.droppedAssignments = droppedAssignments;
    }

    /** An empty record for a layer of hidden size {@code dModel} and the given live experts. */
    public static RoutingRecord empty(ExpertSet experts, int dModel) {
        return new RoutingRecord(experts.ids(), new long[experts.size()], new double[dModel], 0, 0, 0);
    }

    public int[] expertIds() { return expertIds.clone(); }
    public long[] tokensPerExpert() { return tokensPerExpert.clone(); }
    public double[] unroutedSum() { return unroutedSum.clone(); }
    public long unroutedCount() { return unroutedCount; }
    public long tokens() { return tokens; }
    public long droppedAssignments() { return droppedAssignments; }
    public int dModel() { return unroutedSum.length; }

    /** {@code R_E} of expert {@code id}; 0 when the record has not seen it. */
    public long tokensFor(int id) {
        int i = Arrays.binarySearch(expertIds, id);
        return i >= 0 ? tokensPerExpert[i] : 0;
    }

    /** Kept assignments in total, {@code Σ_e R_E[e]}. */
    public long assignments() { return Arrays.stream(tokensPerExpert).sum(); }

    /** The sum of both records; expert ids are the union of both. */
    public RoutingRecord merge(RoutingRecord other) {
        if (other.unroutedSum.length != unroutedSum.length) {
            throw new IllegalArgumentException("cannot merge records of hidden size " + unroutedSum.length
                    + " and " + other.unroutedSum.length);
        }
        int[] ids = java.util.stream.IntStream.concat(Arrays.stream(expertIds), Arrays.stream(other.expertIds))
                .distinct().sorted().toArray();
        long[] counts = new long[ids.length];
        for (int i = 0; i < ids.length; i++) counts[i] = tokensFor(ids[i]) + other.tokensFor(ids[i]);
        double[] sum = unroutedSum.clone();
        for (int i = 0; i < sum.length; i++) sum[i] += other.unroutedSum[i];
        return new RoutingRecord(ids, counts, sum, unroutedCount + other.unroutedCount, tokens + other.tokens,
                droppedAssignments + other.droppedAssignments);
    }

    @Override public boolean equals(Object o) {
        return o instanceof RoutingRecord r && Arrays.equals(r.expertIds, expertIds)
                && Arrays.equals(r.tokensPerExpert, tokensPerExpert) && Arrays.equals(r.unroutedSum, unroutedSum)
                && r.unroutedCount == unroutedCount && r.tokens == tokens && r.droppedAssignments == droppedAssignments;
    }

    @Override public int hashCode() {
        return Arrays.hashCode(expertIds) * 31 + Arrays.hashCode(tokensPerExpert) + Long.hashCode(tokens);
    }

    @Override public String toString() {
        return "RoutingRecord{ids=" + Arrays.toString(expertIds) + ", R_E=" + Arrays.toString(tokensPerExpert)
                + ", R_N=" + unroutedCount + ", tokens=" + tokens + ", dropped=" + droppedAssignments + "}";
    }
}
