package dev.sparkmoe.worker.state;

import dev.sparkmoe.routing.RoutingRecord;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where the Spark engine keeps each expert, as a checkpoint saves it: per MoE layer, expert id →
 * expert partition, and the routing load recorded since the layer was last placed (placement
 * re-balances by that load, so a resumed run needs it to place as the original did). The
 * single-process trainer has no placement: {@link #NONE}. Immutable.
 *
 * @param partitions expert partitions {@code P >= 1}, or 0 for {@link #NONE}
 * @param layers     one entry per MoE layer in layer order; empty for {@link #NONE}
 */
public record PlacementState(int partitions, List<Layer> layers) {

    /** No placement (single process). */
    public static final PlacementState NONE = new PlacementState(0, List.of());

    public PlacementState {
        if (partitions < 0) throw new IllegalArgumentException("placement: partitions = " + partitions + ": must be >= 0");
        if (partitions == 0 && !layers.isEmpty()) {
            throw new IllegalArgumentException("placement: " + layers.size() + " layers placed on 0 partitions");
        }
        for (int l = 0; l < layers.size(); l++) {
            Layer layer = layers.get(l);
            if (layer == null) throw new IllegalArgumentException("placement: layer " + l + " is null");
            for (Map.Entry<Integer, Integer> e : layer.partitionOf().entrySet()) {
                if (e.getValue() < 0 || e.getValue() >= partitions) {
                    throw new IllegalArgumentException("placement: layer " + l + " expert " + e.getKey() + " on partition "
                            + e.getValue() + ": must be in [0, " + partitions + ")");
                }
            }
        }
        layers = List.copyOf(layers);
    }

    /**
     * One MoE layer's placement.
     *
     * @param partitionOf          live expert id → expert partition, every live expert once
     * @param loadSinceLastPlacement the layer's routing records merged since it was last placed, or null
     */
    public record Layer(Map<Integer, Integer> partitionOf, RoutingRecord loadSinceLastPlacement) {
        public Layer {
            partitionOf = Collections.unmodifiableMap(new TreeMap<>(partitionOf));
        }
    }
}
