package dev.sparkmoe.routing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which expert partition hosts each live expert of one MoE layer (ROUTING.md §4.4), and the
 * moves that produced it from the previous placement. An immutable value; computed on the
 * driver by the pure function {@link #place}.
 *
 * <p>Algorithm (deterministic):
 * <ol>
 *   <li>Removed experts are dropped; kept experts stay on their partition.</li>
 *   <li>New experts (ascending id; also experts whose old partition is outside
 *       {@code [0, P)}) go, one by one, to the partition with the least load, then the fewest
 *       experts, then the lowest index.</li>
 *   <li>While the most loaded partition exceeds {@code (1 + tolerance) · mean} load, one expert
 *       moves from the most to the least loaded partition (ties: lowest index): the expert
 *       whose move leaves the larger of the two partitions' loads smallest (ties: lower id),
 *       and only if that is strictly below the most loaded partition's load. Every move lowers
 *       the sum of squared loads, so this stops; each move is the one that evens out the pair
 *       best, so few experts move.</li>
 * </ol>
 * Load is the recorded {@code R_E} per expert; when every live expert's load is zero (no record
 * yet), every expert counts 1, which balances expert counts.
 */
public final class ExpertPlacement implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    /** One expert relocated from one partition to another ({@code from = -1}: was unplaced). */
    public record Move(int expertId, int fromPartition, int toPartition) implements java.io.Serializable {}

    private final int numPartitions;
    private final int[] ids;
    private final int[] partitions;
    private final List<Move> moves;
    private final int[] placedNew;

    private ExpertPlacement(int numPartitions, int[] ids, int[] partitions, List<Move> moves, int[] placedNew) {
        this.numPartitions = numPartitions;
        this.ids = ids;
        this.partitions = partitions;
        this.moves = List.copyOf(moves);
        this.placedNew = placedNew;
    }

    /** The initial placement of {@code liveIds} on {@code P} partitions (expert counts balanced). */
    public static ExpertPlacement initial(int[] liveIds, int numPartitions) {
        return place(Map.of(), liveIds, Map.of(), numPartitions, 0.0);
    }

    /**
     * Places one layer's live experts.
     *
     * @param current       the previous placement, id → partition; may lack new ids and hold removed ones
     * @param liveIds       the live expert ids
     * @param load          recorded load per id ({@code R_E}); missing ids have load 0
     * @param numPartitions {@code P >= 1}
     * @param tolerance     allowed imbalance, {@code >= 0}: rebalance when max > (1 + tolerance) · mean
     */
    public static ExpertPlacement place(Map<Integer, Integer> current, int[] liveIds, Map<Integer, Long> load,
                                        int numPartitions, double tolerance) {
        if (numPartitions < 1) throw new IllegalArgumentException("numPartitions = " + numPartitions + ": must be >= 1");
        if (!(tolerance >= 0) || Double.isInfinite(tolerance)) {
            throw new IllegalArgumentException("placement tolerance = " + tolerance + ": must be finite and >= 0");
        }
        int[] ids = liveIds.clone();
        Arrays.sort(ids);
        for (int i = 1; i < ids.length; i++) {
            if (ids[i] == ids[i - 1]) throw new IllegalArgumentException("duplicate live expert id " + ids[i]);
        }
        double[] w = loads(ids, load);
        int[] part = new int[ids.length];
        double[] partLoad = new double[numPartitions];
        int[] partCount = new int[numPartitions];
        List<Integer> toPlace = new ArrayList<>();
        for (int i = 0; i < ids.length; i++) {
            Integer p = current.get(ids[i]);
            if (p != null && p >= 0 && p < numPartitions) {
                part[i] = p;
                partLoad[p] += w[i];
                partCount[p]++;
            } else {
                toPlace.add(i);
            }
        }
        List<Move> moves = new ArrayList<>();
        List<Integer> placedNew = new ArrayList<>();
        for (int i : toPlace) {
            int best = 0;
            for (int p = 1; p < numPartitions; p++) {
                if (partLoad[p] < partLoad[best] || (partLoad[p] == partLoad[best] && partCount[p] < partCount[best])) best = p;
            }
            part[i] = best;
            partLoad[best] += w[i];
            partCount[best]++;
            Integer old = current.get(ids[i]);
            if (old == null) placedNew.add(ids[i]);
            else moves.add(new Move(ids[i], old, best));
        }
        rebalance(ids, w, part, partLoad, partCount, tolerance, current, moves);
        return new ExpertPlacement(numPartitions, ids, part, moves,
                placedNew.stream().mapToInt(Integer::intValue).toArray());
    }

    private static double[] loads(int[] ids, Map<Integer, Long> load) {
        double[] w = new double[ids.length];
        boolean allZero = true;
        for (int i = 0; i < ids.length; i++) {
            Long v = load.get(ids[i]);
            long l = v == null ? 0 : v;
            if (l < 0) throw new IllegalArgumentException("load of expert " + ids[i] + " = " + l + ": must be >= 0");
            w[i] = l;
            allZero &= l == 0;
        }
        if (allZero) Arrays.fill(w, 1.0);
        return w;
    }

    private static void rebalance(int[] ids, double[] w, int[] part, double[] partLoad, int[] partCount,
                                  double tolerance, Map<Integer, Integer> current, List<Move> moves) {
        int numPartitions = partLoad.length;
        double total = 0;
        for (double l : partLoad) total += l;
        double limit = (1 + tolerance) * total / numPartitions;
        while (true) {
            int hi = 0;
            int lo = 0;
            for (int p = 1; p < numPartitions; p++) {
                if (partLoad[p] > partLoad[hi]) hi = p;
                if (partLoad[p] < partLoad[lo]) lo = p;
            }
            if (partLoad[hi] <= limit || hi == lo) return;
            int pick = -1;
            double pickMax = partLoad[hi];
            for (int i = 0; i < ids.length; i++) {          // ascending id: ties keep the lower id
                if (part[i] != hi) continue;
                double pairMax = Math.max(partLoad[hi] - w[i], partLoad[lo] + w[i]);
                if (pairMax < pickMax) {
                    pick = i;
                    pickMax = pairMax;
                }
            }
            if (pick < 0) return;
            part[pick] = lo;
            partLoad[hi] -= w[pick];
            partLoad[lo] += w[pick];
            partCount[hi]--;
            partCount[lo]++;
            recordMove(moves, ids[pick], hi, lo, current);
        }
    }

    /** Adds or folds a move so the list holds one entry per expert, from its original partition. */
    private static void recordMove(List<Move> moves, int id, int from, int to, Map<Integer, Integer> current) {
        for (int m = 0; m < moves.size(); m++) {
            if (moves.get(m).expertId() == id) {
                Move prev = moves.remove(m);
                if (prev.fromPartition() != to) moves.add(m, new Move(id, prev.fromPartition(), to));
                return;
            }
        }
        Integer original = current.get(id);
        if (original == null) return;                          // a new expert re-placed: not a move
        moves.add(new Move(id, from, to));
    }

    public int numPartitions() { return numPartitions; }

    /** Live ids, ascending. */
    public int[] expertIds() { return ids.clone(); }

    /** Partition of expert {@code id}. */
    public int partitionOf(int id) {
        int i = Arrays.binarySearch(ids, id);
        if (i < 0) throw new IllegalArgumentException("expert " + id + " is not placed");
        return partitions[i];
    }

    /** Ids on partition {@code p}, ascending. */
    public int[] expertsOn(int p) {
        return java.util.stream.IntStream.range(0, ids.length).filter(i -> partitions[i] == p).map(i -> ids[i]).toArray();
    }

    /** id → partition, sorted by id. */
    public Map<Integer, Integer> asMap() {
        Map<Integer, Integer> m = new TreeMap<>();
        for (int i = 0; i < ids.length; i++) m.put(ids[i], partitions[i]);
        return Collections.unmodifiableMap(m);
    }

    /** Relocations of already-placed experts (their state moves between partitions). */
    public List<Move> moves() { return moves; }

    /** Experts placed for the first time, ascending. */
    public int[] placedNew() { return placedNew.clone(); }

    /** Summed load per partition under {@code load} (missing ids: 0). */
    public long[] partitionLoads(Map<Integer, Long> load) {
        long[] out = new long[numPartitions];
        for (int i = 0; i < ids.length; i++) out[partitions[i]] += load.getOrDefault(ids[i], 0L);
        return out;
    }

    @Override public boolean equals(Object o) {
        return o instanceof ExpertPlacement p && p.numPartitions == numPartitions && Arrays.equals(p.ids, ids)
                && Arrays.equals(p.partitions, partitions) && p.moves.equals(moves) && Arrays.equals(p.placedNew, placedNew);
    }

    @Override public int hashCode() {
        return ((numPartitions * 31 + Arrays.hashCode(ids)) * 31 + Arrays.hashCode(partitions)) * 31
                + moves.hashCode() * 31 + Arrays.hashCode(placedNew);
    }

    @Override public String toString() {
        return "ExpertPlacement{P=" + numPartitions + ", " + asMap() + ", moves=" + moves + "}";
    }
}
