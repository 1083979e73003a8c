package dev.sparkmoe.driver.checkpoint;

import dev.sparkmoe.routing.ExpertSet;
import dev.sparkmoe.routing.RoutingRecord;
import dev.sparkmoe.worker.engine.ExpertState;
import dev.sparkmoe.worker.state.ControllerState;
import dev.sparkmoe.worker.state.DenseTensor;
import dev.sparkmoe.worker.state.PlacementState;
import dev.sparkmoe.worker.state.TrainingState;

import java.util.ArrayList;
import java.util.List;

/**
 * Rebuilds a {@link TrainingState} from a {@link Manifest}, reading (and so verifying) every
 * tensor it names through a {@link TensorReader}. The inverse of {@link StateEncoder}. A
 * manifest that is inconsistent with itself (a layer out of order, an expert of the wrong size)
 * fails here or in {@link TrainingState}'s checks; {@link CheckpointReader} reports either as
 * a corrupt checkpoint.
 */
final class StateDecoder {
    private final TensorReader tensors;
    private final String manifest;

    /** @param manifest the manifest's path, for messages */
    StateDecoder(TensorReader tensors, String manifest) {
        this.tensors = tensors;
        this.manifest = manifest;
    }

    TrainingState decode(Manifest m) {
        require(m.rng() != null && m.rng().nextStep() == m.step(), "rng.nextStep must equal step (" + m.step() + ")");
        List<ExpertSet> sets = new ArrayList<>();
        for (int l = 0; l < m.layers().size(); l++) {
            Manifest.Registry r = m.layers().get(l);
            require(r != null && r.layer() == l, "layers[" + l + "] must describe MoE layer " + l);
            sets.add(new ExpertSet(r.liveIds(), r.nextId()));
        }
        List<DenseTensor> dense = new ArrayList<>();
        for (Manifest.Dense d : m.dense()) {
            require(d != null && d.shape() != null, "dense entries must have a shape");
            dense.add(new DenseTensor(d.name(), d.shape(), tensors.floats(d.value(), d.shape()),
                    tensors.floatsOrEmpty(d.m(), d.shape()), tensors.floatsOrEmpty(d.v(), d.shape())));
        }
        List<ExpertState> experts = new ArrayList<>();
        for (Manifest.Expert e : m.experts()) experts.add(expert(e));
        List<ControllerState.Layer> controller = new ArrayList<>();
        for (Manifest.ControllerLayer c : m.controller()) {
            require(c != null, "controller entries must not be null");
            controller.add(new ControllerState.Layer(record(c.window()), c.lastUsed()));
        }
        return new TrainingState(m.step(), m.rng().seed(), m.optimizerSteps(), dense, sets, experts, placement(m.placement()),
                new ControllerState(controller));
    }

    private ExpertState expert(Manifest.Expert e) {
        require(e != null && e.dModel() >= 1 && e.ffnDim() >= 1, "experts need dModel >= 1 and ffnDim >= 1, got " + e);
        long[] w = {2L * e.dModel() * e.ffnDim()};
        long[] b = {(long) e.ffnDim() + e.dModel()};
        return new ExpertState(e.layer(), e.id(), e.dModel(), e.ffnDim(), tensors.floats(e.weights(), w),
                tensors.floats(e.biases(), b), tensors.floatsOrEmpty(e.weightsM(), w), tensors.floatsOrEmpty(e.weightsV(), w),
                tensors.floatsOrEmpty(e.biasesM(), b), tensors.floatsOrEmpty(e.biasesV(), b));
    }

    private PlacementState placement(Manifest.Placement p) {
        require(p != null && p.layers() != null, "placement must be present (partitions 0, layers [] when none)");
        List<PlacementState.Layer> layers = new ArrayList<>();
        for (Manifest.PlacementLayer l : p.layers()) {
            require(l != null && l.partitionOf() != null, "placement layers need partitionOf");
            layers.add(new PlacementState.Layer(l.partitionOf(), record(l.loadSinceLastPlacement())));
        }
        return new PlacementState(p.partitions(), layers);
    }

    private RoutingRecord record(Manifest.Record r) {
        if (r == null) return null;
        require(r.expertIds() != null && r.tokensPerExpert() != null, "routing records need expertIds and tokensPerExpert");
        int dModel = tensorLength(r.unroutedSum());
        return new RoutingRecord(r.expertIds(), r.tokensPerExpert(), tensors.doubles(r.unroutedSum(), dModel),
                r.unroutedCount(), r.tokens(), r.droppedAssignments());
    }

    /** The listed length of a 1-D tensor (the record's hidden size {@code D} is not stored twice). */
    private int tensorLength(String name) {
        return Math.toIntExact(tensors.listedLength(name));
    }

    private void require(boolean ok, String what) {
        if (!ok) throw new CorruptCheckpointException(manifest + ": " + what);
    }
}
