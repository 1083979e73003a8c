package dev.sparkmoe.worker.state;

import dev.sparkmoe.routing.ExpertSet;
import dev.sparkmoe.routing.Param;
import dev.sparkmoe.worker.engine.Blocks;
import dev.sparkmoe.worker.engine.ExpertState;
import dev.sparkmoe.worker.model.ModelConfig;
import dev.sparkmoe.worker.model.MoETransformer;
import dev.sparkmoe.worker.moe.InProcessDispatcher;
import dev.sparkmoe.worker.moe.MoELayer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Moves a {@link MoETransformer}'s parameters and AdamW moments into and out of
 * {@link TrainingState}'s plain values, bit for bit. Used on the driver (Spark engine) or in the
 * single process; blocks on nothing but ND4J copies. Models must be float32: checkpoints are.
 */
public final class ModelStates {
    private ModelStates() {}

    /** Copies of the model's data-parallel parameters ({@link MoETransformer#denseParams()} order) and their moments. */
    public static List<DenseTensor> dense(MoETransformer model) {
        List<DenseTensor> out = new ArrayList<>();
        for (Param p : model.denseParams()) {
            requireFloat(p);
            if (p.numSlots() > 2) {
                throw new IllegalArgumentException("param " + p.name() + ": expected at most 2 optimiser slots (AdamW m, v), got "
                        + p.numSlots());
            }
            float[] m = p.numSlots() > 0 ? Blocks.floats(p.slot(0)) : new float[0];
            float[] v = p.numSlots() > 1 ? Blocks.floats(p.slot(1)) : new float[0];
            out.add(new DenseTensor(p.name(), p.value().shape(), Blocks.floats(p.value()), m, v));
        }
        return out;
    }

    /** Each MoE layer's live experts, in layer order. */
    public static List<ExpertSet> expertSets(MoETransformer model) {
        List<ExpertSet> out = new ArrayList<>();
        for (MoELayer m : model.moeLayers()) out.add(m.liveExperts());
        return out;
    }

    /** Every expert the model's MoE layers host (all of them in the single-process trainer), by layer then id. */
    public static List<ExpertState> hostedExperts(MoETransformer model) {
        List<ExpertState> out = new ArrayList<>();
        for (MoELayer m : model.moeLayers()) {
            for (int id : m.experts().ids()) out.add(ExpertState.of(m.experts().get(id)));
        }
        return out;
    }

    /**
     * A float32 model in {@code state}'s shape: built from {@code state.seed()} with
     * {@code state}'s expert sets (so routers have their live rows and next ids), then its dense
     * parameters and moments overwritten from {@code state}, and, when {@code hostExperts}, every
     * expert restored from its {@link ExpertState}. The Spark engine's driver model passes
     * {@code hostExperts = false} and ships {@link TrainingState#experts()} to its partitions.
     */
    public static MoETransformer rebuild(ModelConfig config, TrainingState state, boolean hostExperts) {
        MoETransformer model = new MoETransformer(config, state.seed(), DataType.FLOAT, InProcessDispatcher::new,
                state.expertSets(), hostExperts);
        restoreDense(model, state.dense());
        if (hostExperts) {
            for (MoELayer m : model.moeLayers()) {
                for (ExpertState e : state.expertsOf(m.layerIndex())) m.experts().put(e.toExpert(DataType.FLOAT));
            }
        }
        return model;
    }

    /**
     * Overwrites the model's data-parallel parameters and their AdamW moments in place (layers
     * keep their views of the dense buffers). A tensor without moments leaves the param's slots
     * at zero, which AdamW cannot tell from slots it has not created yet.
     *
     * @throws IllegalArgumentException when the count, a name or a shape differs, naming the parameter
     */
    public static void restoreDense(MoETransformer model, List<DenseTensor> dense) {
        List<Param> params = model.denseParams();
        if (params.size() != dense.size()) {
            throw new IllegalArgumentException("expected " + params.size() + " dense tensors (MoETransformer.denseParams()), got "
                    + dense.size());
        }
        for (int i = 0; i < params.size(); i++) {
            Param p = params.get(i);
            DenseTensor t = dense.get(i);
            requireFloat(p);
            if (!p.name().equals(t.name()) || !Arrays.equals(p.value().shape(), t.shape())) {
                throw new IllegalArgumentException("dense param " + i + ": the model has " + p.name()
                        + Arrays.toString(p.value().shape()) + ", the state " + t.name() + Arrays.toString(t.shape()));
            }
            Blocks.copyInto(t.values(), p.value());
            restoreSlots(p, t);
        }
    }

    private static void restoreSlots(Param p, DenseTensor t) {
        int slots = Math.max(p.numSlots(), t.slots());
        for (int s = 0; s < slots; s++) {
            INDArray slot = p.slot(s);
            float[] saved = s == 0 ? t.m() : s == 1 ? t.v() : new float[0];
            if (saved.length == 0) slot.assign(0);
            else Blocks.copyInto(saved, slot);
        }
    }

    private static void requireFloat(Param p) {
        if (p.value().dataType() != DataType.FLOAT) {
            throw new IllegalArgumentException("param " + p.name() + " is " + p.value().dataType()
                    + ": training states hold float32 models only");
        }
    }
}
