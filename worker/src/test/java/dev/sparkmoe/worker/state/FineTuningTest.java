package dev.sparkmoe.worker.state;

import dev.sparkmoe.routing.TopKConfig;
import dev.sparkmoe.worker.engine.ExpertState;
import dev.sparkmoe.worker.model.ModelConfig;
import dev.sparkmoe.worker.model.ModelHead;
import dev.sparkmoe.worker.model.MoETransformer;
import dev.sparkmoe.worker.model.TokenBatch;
import dev.sparkmoe.worker.moe.InProcessDispatcher;
import dev.sparkmoe.worker.nn.ClassificationHead.Pooling;
import dev.sparkmoe.worker.train.ReferenceTrainer;
import dev.sparkmoe.worker.train.TrainerConfig;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A pretrained language model's parameters under a classification head, with fresh optimiser state. */
class FineTuningTest {
    static final ModelConfig LM = new ModelConfig(13, 6, 8, 2, 12, 10, 2, new int[]{1}, 3,
            new TopKConfig(2, 0, true, 0.05, 0.01), true);

    @Test
    void copiesThePretrainedPrefixRoutersAndExpertsAndStartsTheOptimiserAfresh() {
        TrainingState pretrained = pretrained();
        ModelConfig target = LM.withHead(ModelHead.classification(3, Pooling.MEAN));
        TrainingState start = FineTuning.start(pretrained, target, 99);

        assertEquals(0, start.nextStep());
        assertEquals(0, start.optimizerSteps());
        assertEquals(99, start.seed());
        for (int i = 0; i < start.dense().size(); i++) {
            DenseTensor from = pretrained.dense().get(i);
            DenseTensor to = start.dense().get(i);
            assertArrayEquals(from.values(), Arrays.copyOf(to.values(), from.values().length), to.name());
            assertEquals(0, to.slots(), to.name());
        }
        assertTrue(start.dense().get(0).values().length > pretrained.dense().get(0).values().length, "the head is appended");
        for (int e = 0; e < start.experts().size(); e++) {
            ExpertState from = pretrained.experts().get(e);
            ExpertState to = start.experts().get(e);
            assertArrayEquals(from.weights(), to.weights());
            assertFalse(to.hasMoments());
        }
        // the state builds a classifier that runs
        MoETransformer classifier = ModelStates.rebuild(target, start, true);
        TokenBatch batch = TokenBatch.sentences(2, 6, new int[]{3, 5, 7, 4, 0, 0, 3, 8, 9, 4, 2, 1},
                new boolean[]{false, false, false, false, true, true, false, false, false, false, false, false},
                new int[]{1, 2}, null);
        assertEquals(2, classifier.predict(batch).outputs().rows());
    }

    @Test
    void aModelOfAnotherShapeIsRefusedWithTheParameterNamed() {
        ModelConfig wider = new ModelConfig(13, 6, 16, 2, 12, 10, 2, new int[]{1}, 3,
                new TopKConfig(2, 0, true, 0.05, 0.01), true).withHead(ModelHead.classification(2, Pooling.MEAN));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FineTuning.start(pretrained(), wider, 1));
        assertTrue(e.getMessage().contains("dense.decayed") || e.getMessage().contains("router"), e.getMessage());
    }

    private static TrainingState pretrained() {
        MoETransformer model = new MoETransformer(LM, 7, DataType.FLOAT, InProcessDispatcher::new);
        TrainerConfig cfg = new TrainerConfig(7, 2, 2, 1e-2, 1e-3, 0, 0.01, 0.9, 0.95, 1e-8, 1.0, 0, 1);
        ReferenceTrainer trainer = new ReferenceTrainer(model, cfg,
                s -> TokenBatch.ofWindows(new int[][]{{1, 4, 2, 9, 0, 3, 5}, {7, 7, 5, 10, 2, 6, 12}}), null);
        trainer.run(0, m -> {});
        return trainer.capture(2);
    }
}
