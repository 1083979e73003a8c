package dev.sparkmoe.worker.state;

import dev.sparkmoe.routing.RoutingRecord;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything the {@link dev.sparkmoe.worker.train.ExpertController} carries from one step to the
 * next, per MoE layer: the record window being merged and the last step each expert was used.
 * What a checkpoint saves so that a resumed run's controller makes exactly the add/prune
 * decisions of a run that never stopped (its configuration and schedule come from the job
 * config, not from here). Immutable.
 *
 * @param layers one entry per MoE layer in layer order; empty before the controller's first step
 */
public record ControllerState(List<Layer> layers) {

    /** A controller that has not seen a step yet. */
    public static final ControllerState EMPTY = new ControllerState(List.of());

    public ControllerState {
        for (int l = 0; l < layers.size(); l++) {
            if (layers.get(l) == null) throw new IllegalArgumentException("controller state: layer " + l + " is null");
        }
        layers = List.copyOf(layers);
    }

    /**
     * One MoE layer's controller state.
     *
     * @param window   the routing record merged over the current window's steps so far; null when
     *                 no step of a window has been recorded since the last update point (which is
     *                 not the same as an empty record: at an update point a null window decides nothing)
     * @param lastUsed expert id → last step at which it had {@code R_E > 0}; ids never used are absent
     */
    public record Layer(RoutingRecord window, Map<Integer, Long> lastUsed) {
        public Layer {
            lastUsed = lastUsed == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(lastUsed));
        }
    }
}
