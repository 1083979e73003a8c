package dev.sparkmoe.worker.train;

import dev.sparkmoe.routing.ControllerConfig;
import dev.sparkmoe.routing.ExpertPolicy;
import dev.sparkmoe.routing.LayerChange;
import dev.sparkmoe.routing.RoutingRecord;
import dev.sparkmoe.routing.UpdateSchedule;
import dev.sparkmoe.worker.state.ControllerState;
import dev.sparkmoe.worker.moe.MoELayer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * DynMoE's adaptive process for the single-process trainer (ROUTING.md §4): after each step
 * it merges the step's routing record of every MoE layer into the current record window, and
 * at each update point of the schedule asks {@link ExpertPolicy} what to prune and add, then
 * applies it to the layers. The policy is pure (routing module); this class holds the window
 * and each expert's last step of use, and is all the state the process has ({@link #snapshot},
 * {@link #restore} for checkpoints).
 */
public final class ExpertController {
    private final ControllerConfig config;
    private final UpdateSchedule schedule;
    private final List<RoutingRecord> windows = new ArrayList<>();
    private final List<Map<Integer, Long>> lastUsed = new ArrayList<>();

    public ExpertController(ControllerConfig config, UpdateSchedule schedule) {
        this.config = config;
        this.schedule = schedule;
    }

    /**
     * Records step {@code step} of every layer and, at an update point, changes the experts.
     *
     * @return the events applied (empty between update points)
     */
    public List<ControllerEvent> afterStep(long step, List<MoELayer> layers) {
        List<RoutingRecord> records = new ArrayList<>();
        for (MoELayer layer : layers) records.add(layer.lastRouting().record());
        return afterStep(step, layers, records);
    }

    /**
     * Records step {@code step} from records gathered elsewhere (the Spark engine's driver merges
     * every data partition's record of a layer, in partition order) and, at an update point,
     * changes the layers' experts.
     *
     * @param records each layer's record of the step, in layer order
     * @return the events applied (empty between update points)
     */
    public List<ControllerEvent> afterStep(long step, List<MoELayer> layers, List<RoutingRecord> records) {
        if (records.size() != layers.size()) {
            throw new IllegalArgumentException("expected one record per MoE layer (" + layers.size() + "), got " + records.size());
        }
        while (windows.size() < layers.size()) {
            windows.add(null);
            lastUsed.add(null);
        }
        List<ControllerEvent> events = new ArrayList<>();
        for (MoELayer layer : layers) {
            int l = layer.layerIndex();
            RoutingRecord rec = records.get(l);
            lastUsed.set(l, ExpertPolicy.markUsed(lastUsed.get(l), rec, step));
            if (schedule.isRecording(step)) windows.set(l, windows.get(l) == null ? rec : windows.get(l).merge(rec));
            if (schedule.isUpdatePoint(step) && windows.get(l) != null) {
                ControllerEvent e = apply(step, layer, ExpertPolicy.decide(layer.liveExperts(), windows.get(l),
                        lastUsed.get(l), config));
                if (e != null) events.add(e);
                windows.set(l, null);
            }
        }
        return events;
    }

    /** The state a checkpoint saves: each layer's current window and last-used steps (copies). */
    public ControllerState snapshot() {
        List<ControllerState.Layer> layers = new ArrayList<>();
        for (int l = 0; l < windows.size(); l++) layers.add(new ControllerState.Layer(windows.get(l), lastUsed.get(l)));
        return new ControllerState(layers);
    }

    /**
     * Replaces this controller's state with {@code state} (a checkpoint's), so that the next
     * {@link #afterStep} continues the window it was in. Call before the first step of a resumed run.
     */
    public void restore(ControllerState state) {
        windows.clear();
        lastUsed.clear();
        for (ControllerState.Layer layer : state.layers()) {
            windows.add(layer.window());
            lastUsed.add(new HashMap<>(layer.lastUsed()));
        }
    }

    private static ControllerEvent apply(long step, MoELayer layer, LayerChange change) {
        if (change.isEmpty()) return null;
        int[] removed = change.removedIds();
        if (removed.length > 0) layer.removeExperts(removed);
        int[] added = change.addExpert() ? new int[]{layer.addExpert(change.addedGate())} : new int[0];
        if (added.length > 0 && added[0] != change.addedId()) {
            throw new IllegalStateException("layer " + layer.layerIndex() + " added expert " + added[0]
                    + " but the policy planned id " + change.addedId());
        }
        return new ControllerEvent(step, layer.layerIndex(), removed, added, String.join("; ", change.reasons()));
    }

}
