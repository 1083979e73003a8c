package dev.sparkmoe.routing;

import java.util.Arrays;
import java.util.List;

/**
 * What the expert controller decided for one MoE layer at one update point (ROUTING.md §4):
 * experts to remove, whether to add one, its gate, and why. An immutable value; apply it to the
 * layer's router with {@link Router#removeExperts} then {@link Router#addExpert}, and to the
 * expert set with {@link #apply}.
 *
 * @param removedIds ascending ids to remove
 * @param addExpert  whether one expert is added
 * @param addedId    the id the new expert gets ({@link ExpertSet#nextId()}), -1 when none
 * @param addedGate  {@code [D]} initial gate {@code R_S/‖R_S‖}; null when no expert is added or
 *                   {@code ‖R_S‖ = 0} (the router then draws a fresh seeded gate)
 * @param reasons    one line per decision, for the controller log
 */
public record LayerChange(int[] removedIds, boolean addExpert, int addedId, double[] addedGate, List<String> reasons)
        implements java.io.Serializable {

    public LayerChange {
        removedIds = removedIds.clone();
        addedGate = addedGate == null ? null : addedGate.clone();
        reasons = List.copyOf(reasons);
        if (!addExpert && (addedId != -1 || addedGate != null)) {
            throw new IllegalArgumentException("no expert is added, but addedId = " + addedId + " / a gate is given");
        }
    }

    /** No change, with a reason. */
    public static LayerChange none(String reason) {
        return new LayerChange(new int[0], false, -1, null, List.of(reason));
    }

    /** Whether nothing changes. */
    public boolean isEmpty() { return removedIds.length == 0 && !addExpert; }

    @Override public int[] removedIds() { return removedIds.clone(); }
    @Override public double[] addedGate() { return addedGate == null ? null : addedGate.clone(); }

    /** The live set after this change: {@code live} without the removed ids, plus the new expert. */
    public ExpertSet apply(ExpertSet live) {
        ExpertSet after = live.without(removedIds);
        if (addExpert) {
            if (live.nextId() != addedId) {
                throw new IllegalArgumentException("change adds expert " + addedId + " but " + live + " hands out " + live.nextId());
            }
            after = after.withNew();
        }
        return after;
    }

    @Override public boolean equals(Object o) {
        return o instanceof LayerChange c && Arrays.equals(c.removedIds, removedIds) && c.addExpert == addExpert
                && c.addedId == addedId && Arrays.equals(c.addedGate, addedGate) && c.reasons.equals(reasons);
    }

    @Override public int hashCode() {
        return ((Arrays.hashCode(removedIds) * 31 + Boolean.hashCode(addExpert)) * 31 + addedId) * 31
                + Arrays.hashCode(addedGate) * 31 + reasons.hashCode();
    }

    @Override public String toString() {
        return "LayerChange{removed=" + Arrays.toString(removedIds) + (addExpert ? ", add=" + addedId : "")
                + ", reasons=" + reasons + "}";
    }
}
