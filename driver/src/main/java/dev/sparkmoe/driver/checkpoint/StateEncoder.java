package dev.sparkmoe.driver.checkpoint;

import dev.sparkmoe.routing.ExpertSet;
import dev.sparkmoe.routing.RoutingRecord;
import dev.sparkmoe.worker.engine.ExpertState;
import dev.sparkmoe.worker.moe.Expert;
import dev.sparkmoe.worker.state.ControllerState;
import dev.sparkmoe.worker.state.DenseTensor;
import dev.sparkmoe.worker.state.PlacementState;
import dev.sparkmoe.worker.state.TrainingState;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns a {@link TrainingState} into its {@link Manifest}, writing every array through a
 * {@link TensorWriter} on the way. Tensor names: {@code dense.NN.<param>[.m|.v]},
 * {@code moeL.expertI.<weights|biases>[.m|.v]}, {@code controller.moeL.window.unroutedSum},
 * {@code placement.moeL.load.unroutedSum}. The inverse is {@link StateDecoder}.
 */
final class StateEncoder {
    private final TensorWriter tensors;

    StateEncoder(TensorWriter tensors) {
        this.tensors = tensors;
    }

    /** The manifest of {@code state}; its tensors are written when this returns. */
    Manifest encode(TrainingState state, String configHash) {
        List<Manifest.Registry> layers = new ArrayList<>();
        for (int l = 0; l < state.expertSets().size(); l++) {
            ExpertSet set = state.expertSets().get(l);
            layers.add(new Manifest.Registry(l, set.ids(), set.nextId()));
        }
        List<Manifest.Dense> dense = new ArrayList<>();
        for (int i = 0; i < state.dense().size(); i++) dense.add(dense(i, state.dense().get(i)));
        List<Manifest.Expert> experts = new ArrayList<>();
        for (ExpertState e : state.experts()) experts.add(expert(e));
        Manifest.Placement placement = placement(state.placement());
        List<Manifest.ControllerLayer> controller = new ArrayList<>();
        for (int l = 0; l < state.controller().layers().size(); l++) {
            ControllerState.Layer c = state.controller().layers().get(l);
            controller.add(new Manifest.ControllerLayer(record("controller.moe" + l + ".window", c.window()), c.lastUsed()));
        }
        return new Manifest(CheckpointFormat.VERSION, state.step(), configHash,
                new Manifest.Rng(state.seed(), state.nextStep()), state.optimizerSteps(), layers, dense, experts,
                placement, controller, tensors.entries());
    }

    private Manifest.Dense dense(int index, DenseTensor t) {
        String base = String.format(Locale.ROOT, "dense.%02d.%s", index, t.name());
        long[] shape = t.shape();
        return new Manifest.Dense(t.name(), shape, tensors.floats(base, t.values(), shape),
                tensors.floatsOrNull(base + ".m", t.m(), shape), tensors.floatsOrNull(base + ".v", t.v(), shape));
    }

    private Manifest.Expert expert(ExpertState e) {
        String base = Expert.name(e.layer(), e.id());
        long[] w = {e.weights().length};
        long[] b = {e.biases().length};
        return new Manifest.Expert(e.layer(), e.id(), e.dModel(), e.ffnDim(),
                tensors.floats(base + ".weights", e.weights(), w), tensors.floats(base + ".biases", e.biases(), b),
                tensors.floatsOrNull(base + ".weights.m", e.weightsM(), w),
                tensors.floatsOrNull(base + ".weights.v", e.weightsV(), w),
                tensors.floatsOrNull(base + ".biases.m", e.biasesM(), b),
                tensors.floatsOrNull(base + ".biases.v", e.biasesV(), b));
    }

    private Manifest.Placement placement(PlacementState p) {
        List<Manifest.PlacementLayer> layers = new ArrayList<>();
        for (int l = 0; l < p.layers().size(); l++) {
            PlacementState.Layer layer = p.layers().get(l);
            layers.add(new Manifest.PlacementLayer(layer.partitionOf(),
                    record("placement.moe" + l + ".load", layer.loadSinceLastPlacement())));
        }
        return new Manifest.Placement(p.partitions(), layers);
    }

    private Manifest.Record record(String base, RoutingRecord r) {
        if (r == null) return null;
        return new Manifest.Record(r.expertIds(), r.tokensPerExpert(), tensors.doubles(base + ".unroutedSum", r.unroutedSum()),
                r.unroutedCount(), r.tokens(), r.droppedAssignments());
    }
}
