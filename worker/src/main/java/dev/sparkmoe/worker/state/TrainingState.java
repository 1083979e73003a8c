package dev.sparkmoe.worker.state;

import dev.sparkmoe.routing.ExpertSet;
import dev.sparkmoe.worker.engine.ExpertState;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * A training run between two steps: everything a trainer needs to continue bit-identically to
 * a run that never stopped, and nothing it can recompute. Every random choice of the project
 * derives from {@code (seed, step, partition, layer, expert)} (DESIGN.md invariant 2), so the
 * random-number state is the run seed and the next step; batches are a function of the step.
 *
 * <p>Filled by the single-process trainer ({@code ReferenceTrainer.capture}) or the Spark engine
 * (driver model's dense parameters, collected {@link ExpertState}s, its placement) and written by
 * the driver's checkpoint store. Immutable; the constructor checks that the experts are exactly
 * the live experts of {@link #expertSets} and sorts them by (layer, id), so two states with the
 * same content are {@code equals} (floats compared bitwise).
 *
 * @param step           steps completed; the next step to run (its batch, its learning rate)
 * @param seed           the run seed the model was built from (new experts are seeded from it)
 * @param optimizerSteps AdamW's step count {@code t} (bias correction of the next update uses {@code t + 1})
 * @param dense          the data-parallel parameters in {@code MoETransformer.denseParams()} order
 * @param expertSets     each MoE layer's live experts (ids in slot order) and next id
 * @param experts        every live expert with its AdamW moments
 * @param placement      expert partitions (Spark engine) or {@link PlacementState#NONE}
 * @param controller     the expert controller's state, {@link ControllerState#EMPTY} without one
 */
public record TrainingState(long step, long seed, long optimizerSteps, List<DenseTensor> dense,
                            List<ExpertSet> expertSets, List<ExpertState> experts, PlacementState placement,
                            ControllerState controller) {

    public TrainingState {
        if (step < 0) throw new IllegalArgumentException("training state: step = " + step + ": must be >= 0");
        if (optimizerSteps < 0) {
            throw new IllegalArgumentException("training state: optimizerSteps = " + optimizerSteps + ": must be >= 0");
        }
        dense = List.copyOf(dense);
        expertSets = List.copyOf(expertSets);
        List<ExpertState> sorted = new ArrayList<>(experts);
        sorted.sort(Comparator.comparingInt(ExpertState::layer).thenComparingInt(ExpertState::id));
        experts = List.copyOf(sorted);
        if (placement == null || controller == null) {
            throw new IllegalArgumentException("training state: placement and controller must not be null (use NONE / EMPTY)");
        }
        requireExpertsMatchSets(expertSets, experts);
        requirePlacementMatchesSets(expertSets, placement);
    }

    /** The step the resumed run starts with; the random-number state is {@code (seed, nextStep)}. */
    public long nextStep() { return step; }

    /** The experts of MoE layer {@code layer}, ascending id. */
    public List<ExpertState> expertsOf(int layer) {
        return experts.stream().filter(e -> e.layer() == layer).toList();
    }

    private static void requireExpertsMatchSets(List<ExpertSet> sets, List<ExpertState> experts) {
        for (int l = 0; l < sets.size(); l++) {
            int layer = l;
            int[] have = experts.stream().filter(e -> e.layer() == layer).mapToInt(ExpertState::id).toArray();
            if (!Arrays.equals(have, sets.get(l).ids())) {
                throw new IllegalArgumentException("training state: layer " + l + " has live experts "
                        + Arrays.toString(sets.get(l).ids()) + " but expert states for " + Arrays.toString(have));
            }
        }
        for (ExpertState e : experts) {
            if (e.layer() >= sets.size()) {
                throw new IllegalArgumentException("training state: expert state for layer " + e.layer() + " but only "
                        + sets.size() + " MoE layers");
            }
        }
    }

    private static void requirePlacementMatchesSets(List<ExpertSet> sets, PlacementState placement) {
        if (placement.layers().isEmpty()) return;
        if (placement.layers().size() != sets.size()) {
            throw new IllegalArgumentException("training state: placement of " + placement.layers().size()
                    + " layers for " + sets.size() + " MoE layers");
        }
        for (int l = 0; l < sets.size(); l++) {
            Map<Integer, Integer> of = placement.layers().get(l).partitionOf();
            int[] placed = of.keySet().stream().mapToInt(Integer::intValue).toArray();
            if (!Arrays.equals(placed, sets.get(l).ids())) {
                throw new IllegalArgumentException("training state: layer " + l + " places experts " + Arrays.toString(placed)
                        + " but its live experts are " + Arrays.toString(sets.get(l).ids()));
            }
        }
    }
}
