package dev.sparkmoe.worker.state;

import dev.sparkmoe.worker.engine.ExpertState;
import dev.sparkmoe.worker.model.ModelConfig;
import dev.sparkmoe.worker.model.MoETransformer;
import dev.sparkmoe.worker.moe.InProcessDispatcher;
import org.nd4j.linalg.api.buffer.DataType;

import java.util.ArrayList;
import java.util.List;

/**
 * The first state of a fine-tuning run: a pretrained model's parameters under a new head, with
 * fresh optimiser state, as a {@link TrainingState} at step 0 that the reference trainer and the
 * Spark engine start from like a checkpoint.
 *
 * <p>The head is bound after every other dense parameter ({@code MoETransformer}), so the
 * pretrained dense buffers are a prefix of the fine-tuned model's: the prefix is copied, the
 * head keeps its initial values from {@code seed}. Routers and experts (the live experts the
 * pretraining ended with, its controller's additions included) are copied whole. AdamW moments,
 * placement and the controller's windows start empty: fine-tuning is a new optimisation.
 */
public final class FineTuning {
    private static final float[] NONE = new float[0];

    private FineTuning() {}

    /**
     * @param pretrained a checkpoint of the pretrained model (any step)
     * @param target     the pretrained shape with the new head ({@code ModelConfig.withHead})
     * @param seed       the fine-tuning seed: the head's initial values, new experts, batches
     * @throws IllegalArgumentException naming the parameter when the pretrained state does not fit {@code target}
     */
    public static TrainingState start(TrainingState pretrained, ModelConfig target, long seed) {
        MoETransformer fresh = new MoETransformer(target, seed, DataType.FLOAT, InProcessDispatcher::new,
                pretrained.expertSets(), false);
        List<DenseTensor> initial = ModelStates.dense(fresh);
        if (initial.size() != pretrained.dense().size()) {
            throw new IllegalArgumentException("the pretrained model has " + pretrained.dense().size()
                    + " dense tensors, the fine-tuned model " + initial.size() + ": different numbers of MoE layers");
        }
        List<DenseTensor> dense = new ArrayList<>();
        for (int i = 0; i < initial.size(); i++) {
            DenseTensor to = initial.get(i);
            DenseTensor from = pretrained.dense().get(i);
            boolean buffer = i < 2;   // the two flat buffers may grow by the head; routers must match exactly
            if (!to.name().equals(from.name()) || from.values().length > to.values().length
                    || (!buffer && from.values().length != to.values().length)) {
                throw new IllegalArgumentException("pretrained dense tensor " + i + " (" + from + ") does not fit the fine-tuned "
                        + to + ": was it pretrained with the same model.dModel, blocks, vocabulary and seqLen?");
            }
            float[] values = to.values().clone();
            System.arraycopy(from.values(), 0, values, 0, from.values().length);
            dense.add(new DenseTensor(to.name(), to.shape(), values, NONE, NONE));
        }
        List<ExpertState> experts = new ArrayList<>();
        for (ExpertState e : pretrained.experts()) {
            experts.add(new ExpertState(e.layer(), e.id(), e.dModel(), e.ffnDim(), e.weights(), e.biases(),
                    NONE, NONE, NONE, NONE));
        }
        return new TrainingState(0, seed, 0, dense, pretrained.expertSets(), experts, PlacementState.NONE,
                ControllerState.EMPTY);
    }
}
