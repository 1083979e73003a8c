package dev.sparkmoe.routing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The expert controller's add/prune policy (ROUTING.md §4, DynMoE's adaptive process), as pure
 * functions of one layer's live experts and its merged window record. Runs on the driver.
 * <ol>
 *   <li>Prune (when enabled): every live expert with {@code R_E = 0} over the window is removed,
 *       except that the layer keeps at least {@code minExperts}: among the unused experts, the
 *       most recently used ones stay (last step with {@code R_E > 0}; never used counts as
 *       oldest; ties go to the lower id).</li>
 *   <li>Add (when enabled): if {@code R_N > 0} and the layer has fewer than {@code maxExperts}
 *       experts after pruning, one expert is added with gate {@code R_S/‖R_S‖} (null, i.e. a
 *       fresh seeded gate, when {@code ‖R_S‖ = 0} or not finite) and id {@link ExpertSet#nextId()}.</li>
 * </ol>
 * A window that recorded no token at all changes nothing (there is no evidence that any expert
 * is unused); this is the project's choice, the specification is silent.
 */
public final class ExpertPolicy {
    private ExpertPolicy() {}

    /**
     * Decides one layer's change at an update point.
     *
     * @param live         the layer's live experts
     * @param window       the layer's record, merged over all partitions and the window's steps
     * @param lastUsedStep last step at which each expert id had {@code R_E > 0}; missing ids (or a
     *                     null map) count as never used
     */
    public static LayerChange decide(ExpertSet live, RoutingRecord window, Map<Integer, Long> lastUsedStep,
                                     ControllerConfig config) {
        if (window.tokens() == 0 && window.unroutedCount() == 0) {
            return LayerChange.none("window recorded no tokens: no change");
        }
        List<String> reasons = new ArrayList<>();
        int[] removed = config.pruneEnabled() ? prune(live, window, lastUsedStep, config, reasons) : new int[0];
        int after = live.size() - removed.length;
        if (!config.addEnabled() || window.unroutedCount() == 0) {
            if (reasons.isEmpty()) reasons.add("no change");
            return new LayerChange(removed, false, -1, null, reasons);
        }
        if (after >= config.maxExperts()) {
            reasons.add("not adding: R_N = " + window.unroutedCount() + " but the layer has " + after
                    + " experts = controller.maxExperts");
            return new LayerChange(removed, false, -1, null, reasons);
        }
        double[] gate = unitOrNull(window.unroutedSum());
        reasons.add("added expert " + live.nextId() + ": R_N = " + window.unroutedCount()
                + " tokens routed nowhere" + (gate == null ? "; ‖R_S‖ = 0, fresh gate" : "; gate R_S/‖R_S‖"));
        return new LayerChange(removed, true, live.nextId(), gate, reasons);
    }

    private static int[] prune(ExpertSet live, RoutingRecord window, Map<Integer, Long> lastUsedStep,
                               ControllerConfig config, List<String> reasons) {
        List<Integer> unused = new ArrayList<>();
        for (int id : live.ids()) if (window.tokensFor(id) == 0) unused.add(id);
        int removable = Math.max(0, live.size() - config.minExperts());
        int keep = Math.max(0, unused.size() - removable);
        // Most recently used first; never used is oldest; ties: lower id first.
        unused.sort((a, b) -> {
            int c = Long.compare(lastUsed(lastUsedStep, b), lastUsed(lastUsedStep, a));
            return c != 0 ? c : Integer.compare(a, b);
        });
        for (int i = 0; i < keep; i++) {
            int id = unused.get(i);
            long last = lastUsed(lastUsedStep, id);
            reasons.add("kept expert " + id + " despite R_E = 0: controller.minExperts = " + config.minExperts()
                    + " (last used " + (last == Long.MIN_VALUE ? "never" : "at step " + last) + ")");
        }
        int[] removed = unused.subList(keep, unused.size()).stream().mapToInt(Integer::intValue).sorted().toArray();
        for (int id : removed) reasons.add("pruned expert " + id + ": R_E = 0 over the window");
        return removed;
    }

    private static long lastUsed(Map<Integer, Long> lastUsedStep, int id) {
        if (lastUsedStep == null) return Long.MIN_VALUE;
        Long v = lastUsedStep.get(id);
        return v == null ? Long.MIN_VALUE : v;
    }

    private static double[] unitOrNull(double[] v) {
        double norm = 0;
        for (double x : v) norm += x * x;
        norm = Math.sqrt(norm);
        if (!(norm > 0) || !Double.isFinite(norm)) return null;
        double[] u = new double[v.length];
        for (int i = 0; i < v.length; i++) u[i] = v[i] / norm;
        return u;
    }

    /**
     * The last-used map after step {@code step} with record {@code stepRecord}: every id with
     * {@code R_E > 0} in the record is marked used at {@code step}. Returns a new map.
     */
    public static Map<Integer, Long> markUsed(Map<Integer, Long> lastUsedStep, RoutingRecord stepRecord, long step) {
        Map<Integer, Long> out = lastUsedStep == null ? new HashMap<>() : new HashMap<>(lastUsedStep);
        int[] ids = stepRecord.expertIds();
        long[] counts = stepRecord.tokensPerExpert();
        for (int i = 0; i < ids.length; i++) if (counts[i] > 0) out.put(ids[i], step);
        return out;
    }

    /** Ids of {@code live} with {@code R_E = 0} in {@code window}, ascending. */
    public static int[] unusedExperts(ExpertSet live, RoutingRecord window) {
        return Arrays.stream(live.ids()).filter(id -> window.tokensFor(id) == 0).toArray();
    }
}
