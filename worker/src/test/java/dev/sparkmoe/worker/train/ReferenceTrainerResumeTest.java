package dev.sparkmoe.worker.train;

import dev.sparkmoe.routing.ControllerConfig;
import dev.sparkmoe.routing.Param;
import dev.sparkmoe.routing.TopAnyConfig;
import dev.sparkmoe.routing.UpdateSchedule;
import dev.sparkmoe.worker.model.ModelConfig;
import dev.sparkmoe.worker.model.TokenBatch;
import dev.sparkmoe.worker.model.MoETransformer;
import dev.sparkmoe.worker.moe.InProcessDispatcher;
import dev.sparkmoe.worker.state.TrainingState;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Capture and resume of the single-process trainer, in memory (the driver's tests add the files). */
class ReferenceTrainerResumeTest {
    static final int V = 32, S = 8, B = 8, SEED = 5, STEPS = 12, SPLIT = 5;

    static ModelConfig model() {
        return new ModelConfig(V, S, 16, 2, 32, 24, 3, new int[]{0, 2}, 4, TopAnyConfig.defaults(), true);
    }

    static TrainerConfig trainer() {
        return new TrainerConfig(SEED, STEPS, B, 1e-2, 1e-3, 2, 0.01, 0.9, 0.95, 1e-8, 1.0, 0, 0);
    }

    /** Update points after steps 2, 5, 8 and 11: the split at 5 falls inside a window (steps 3 and 4 recorded). */
    static ExpertController controller() {
        return new ExpertController(ControllerConfig.of(8), new UpdateSchedule(3, 0));
    }

    /** Runs that count up by a random stride, in two routing groups (the micro-batched path). */
    static TokenBatch batch(long step) {
        SplittableRandom rng = new SplittableRandom(1000 + step);
        int[][] w = new int[B][S + 1];
        for (int[] seq : w) {
            int start = rng.nextInt(V), stride = 1 + rng.nextInt(3);
            for (int i = 0; i < seq.length; i++) seq[i] = (start + i * stride) % V;
        }
        return TokenBatch.ofWindows(w).withEvenGroups(2);
    }

    /** A new model whose second MoE layer routes nothing at first, so the controller must add and prune. */
    static ReferenceTrainer fresh() {
        MoETransformer model = new MoETransformer(model(), SEED, DataType.FLOAT, InProcessDispatcher::new);
        for (Param p : model.moeLayers().get(1).router().params()) {
            if (p.name().equals("router.thresholds")) p.value().assign(2.0);
        }
        return new ReferenceTrainer(model, trainer(), ReferenceTrainerResumeTest::batch, controller());
    }

    private static void run(ReferenceTrainer t, long from, long to, List<ControllerEvent> events) {
        for (long s = from; s < to; s++) events.addAll(t.step(s).events());
    }

    @Test
    void resumedRunIsBitIdenticalToOneThatNeverStopped() {
        List<ControllerEvent> straightEvents = new ArrayList<>();
        ReferenceTrainer straight = fresh();
        run(straight, 0, STEPS, straightEvents);
        TrainingState expected = straight.capture(STEPS);

        List<ControllerEvent> splitEvents = new ArrayList<>();
        ReferenceTrainer first = fresh();
        run(first, 0, SPLIT, splitEvents);
        TrainingState saved = first.capture(SPLIT);
        assertTrue(saved.controller().layers().get(1).window() != null, "the split falls inside a record window");
        ReferenceTrainer second = ReferenceTrainer.resume(saved, model(), trainer(), ReferenceTrainerResumeTest::batch,
                controller());
        run(second, SPLIT, STEPS, splitEvents);

        assertTrue(straightEvents.stream().anyMatch(e -> e.step() < SPLIT), "events before the split: " + straightEvents);
        assertTrue(straightEvents.stream().anyMatch(e -> e.step() >= SPLIT), "events after the split: " + straightEvents);
        assertEquals(straightEvents.toString(), splitEvents.toString());
        assertEquals(expected, second.capture(STEPS), "parameters, moments, experts and controller state bitwise");
    }

    @Test
    void resumingWithoutTheOptimiserStepCountDiverges() {
        ReferenceTrainer first = fresh();
        run(first, 0, SPLIT, new ArrayList<>());
        TrainingState saved = first.capture(SPLIT);
        ReferenceTrainer straight = fresh();
        run(straight, 0, STEPS, new ArrayList<>());

        ReferenceTrainer forgetful = ReferenceTrainer.resume(saved, model(), trainer(), ReferenceTrainerResumeTest::batch, controller());
        forgetful.optimizer().setStepCount(0);     // as if AdamW's t had not been saved
        run(forgetful, SPLIT, STEPS, new ArrayList<>());
        assertNotEquals(straight.capture(STEPS).dense(), forgetful.capture(STEPS).dense());
    }

    @Test
    void captureBeforeTheFirstUpdateHasNoMoments() {
        TrainingState s = fresh().capture(0);
        assertEquals(0, s.optimizerSteps());
        assertTrue(s.dense().stream().allMatch(t -> t.slots() == 0));
        assertFalse(s.experts().stream().anyMatch(e -> e.hasMoments()));
        assertEquals(8, s.experts().size());
        assertEquals(SEED, s.seed());
    }
}
