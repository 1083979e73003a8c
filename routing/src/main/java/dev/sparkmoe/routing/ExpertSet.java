package dev.sparkmoe.routing;

import java.util.Arrays;

/**
 * The live experts of one MoE layer: ascending expert ids plus the next id to hand out.
 * Immutable; the controller derives new sets with {@link #without} and {@link #withNew}.
 * Ids are never reused, so an id names one expert for the whole run (ROUTING.md §4.3), and
 * slot order (ascending id) is creation order.
 */
public final class ExpertSet implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    private final int[] ids;
    private final int nextId;

    /** {@code ids} must be strictly ascending, non-negative and below {@code nextId}. */
    public ExpertSet(int[] ids, int nextId) {
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] >= nextId || (i > 0 && ids[i] <= ids[i - 1])) {
                throw new IllegalArgumentException("expert ids must be strictly ascending in [0, "
                        + nextId + "), got " + Arrays.toString(ids));
            }
        }
        this.ids = ids.clone();
        this.nextId = nextId;
    }

    /** Experts {@code 0..n-1}, the state of a layer before any controller event. */
    public static ExpertSet initial(int n) {
        if (n < 1) throw new IllegalArgumentException("number of experts must be >= 1, got " + n);
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) ids[i] = i;
        return new ExpertSet(ids, n);
    }

    public int size() { return ids.length; }
    public int id(int slot) { return ids[slot]; }
    public int[] ids() { return ids.clone(); }
    public int nextId() { return nextId; }

    /** Slot of {@code id}, or -1 when it is not live. */
    public int slotOf(int id) {
        int s = Arrays.binarySearch(ids, id);
        return s >= 0 ? s : -1;
    }

    public boolean contains(int id) { return slotOf(id) >= 0; }

    /** This set without the given ids (ids that are not live are an error). */
    public ExpertSet without(int... removed) {
        int[] sorted = removed.clone();
        Arrays.sort(sorted);
        for (int id : sorted) {
            if (!contains(id)) throw new IllegalArgumentException("expert " + id + " is not live in " + this);
        }
        int[] kept = Arrays.stream(ids).filter(id -> Arrays.binarySearch(sorted, id) < 0).toArray();
        return new ExpertSet(kept, nextId);
    }

    /** This set with one new expert whose id is {@link #nextId()}. */
    public ExpertSet withNew() {
        int[] grown = Arrays.copyOf(ids, ids.length + 1);
        grown[ids.length] = nextId;
        return new ExpertSet(grown, nextId + 1);
    }

    @Override public boolean equals(Object o) {
        return o instanceof ExpertSet other && other.nextId == nextId && Arrays.equals(other.ids, ids);
    }

    @Override public int hashCode() { return 31 * Arrays.hashCode(ids) + nextId; }

    @Override public String toString() { return "ExpertSet" + Arrays.toString(ids) + "(next=" + nextId + ")"; }
}
