package dev.sparkmoe.worker.train;

import dev.sparkmoe.routing.AttentionKConfig;
import dev.sparkmoe.routing.ControllerConfig;
import dev.sparkmoe.routing.Param;
import dev.sparkmoe.routing.RouterConfig;
import dev.sparkmoe.routing.TopAnyConfig;
import dev.sparkmoe.routing.TopKConfig;
import dev.sparkmoe.routing.UpdateSchedule;
import dev.sparkmoe.worker.model.ModelConfig;
import dev.sparkmoe.worker.model.TokenBatch;
import dev.sparkmoe.worker.model.MoETransformer;
import dev.sparkmoe.worker.moe.InProcessDispatcher;
import dev.sparkmoe.worker.moe.MoELayer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReferenceTrainerTest {
    static final int V = 16, S = 8, B = 8;

    static Stream<RouterConfig> routers() {
        return Stream.of(new TopKConfig(2, 1.25, true, 0.01, 0.001), TopAnyConfig.defaults(),
                new AttentionKConfig(1.0, 1, 0, 0, 0.01, 0.001, false));
    }

    static ModelConfig model(RouterConfig router) {
        return new ModelConfig(V, S, 16, 2, 32, 24, 2, new int[]{1}, 4, router, true);
    }

    static TrainerConfig trainer(long steps) {
        return new TrainerConfig(3, steps, B, 1e-2, 1e-3, 2, 0.01, 0.9, 0.95, 1e-8, 1.0, 0, 0);
    }

    /** Sequences that count upward mod V from a random start: learnable from the previous token alone. */
    static TokenBatch counting(long step) {
        SplittableRandom rng = new SplittableRandom(step);
        int[][] w = new int[B][S + 1];
        for (int[] seq : w) {
            int start = rng.nextInt(V);
            for (int i = 0; i < seq.length; i++) seq[i] = (start + i) % V;
        }
        return TokenBatch.ofWindows(w);
    }

    @ParameterizedTest
    @MethodSource("routers")
    void learnsASimpleSequence(RouterConfig router) {
        MoETransformer model = new MoETransformer(model(router), 1, DataType.FLOAT, InProcessDispatcher::new);
        ReferenceTrainer trainer = new ReferenceTrainer(model, trainer(60), ReferenceTrainerTest::counting, null);
        List<StepMetrics> metrics = new ArrayList<>();
        trainer.run(0, metrics::add);
        double first = metrics.get(0).loss();
        double last = metrics.get(metrics.size() - 1).loss();
        assertEquals(Math.log(V), first, 0.3, "initial loss is about ln V");
        assertTrue(last < 0.25 * first, router.kind() + ": loss " + first + " -> " + last);
        assertTrue(ReferenceTrainer.evaluate(model, s -> counting(1000 + s), 2) < 0.25 * first);
    }

    @ParameterizedTest
    @MethodSource("routers")
    void sameSeedGivesBitIdenticalParameters(RouterConfig router) {
        List<float[]> a = trainAndDump(router, 6);
        List<float[]> b = trainAndDump(router, 6);
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) assertArrayEquals(a.get(i), b.get(i), "param " + i);
    }

    private static List<float[]> trainAndDump(RouterConfig router, long steps) {
        MoETransformer model = new MoETransformer(model(router), 9, DataType.FLOAT, InProcessDispatcher::new);
        ExpertController controller = new ExpertController(ControllerConfig.of(8), new UpdateSchedule(2, 1));
        new ReferenceTrainer(model, trainer(steps), ReferenceTrainerTest::counting, controller).run(0, m -> { });
        return model.params().stream().map(p -> p.value().dup().reshape(p.length()).toFloatVector()).toList();
    }

    @Test
    void controllerAddsAndPrunesExpertsAndTrainingGoesOn() {
        MoETransformer model = new MoETransformer(model(TopAnyConfig.defaults()), 2, DataType.FLOAT, InProcessDispatcher::new);
        MoELayer layer = model.moeLayers().get(0);
        // Make expert 0 unreachable and every other expert fire for nobody: thresholds above any cosine.
        for (Param p : layer.router().params()) {
            if (p.name().equals("router.thresholds")) p.value().assign(2.0);
        }
        ExpertController controller = new ExpertController(ControllerConfig.of(8), UpdateSchedule.everyStep());
        ReferenceTrainer trainer = new ReferenceTrainer(model, trainer(4), ReferenceTrainerTest::counting, controller);
        StepMetrics first = trainer.step(0);
        assertEquals(B * S, first.layers().get(0).unrouted(), "every token routed nowhere");
        assertEquals(1, first.events().size());
        ControllerEvent e = first.events().get(0);
        assertArrayEquals(new int[]{1, 2, 3}, e.removed(), "all unused; the most recently used (lowest id) is kept");
        assertArrayEquals(new int[]{4}, e.added());
        assertArrayEquals(new int[]{0, 4}, layer.liveExperts().ids());
        assertArrayEquals(new int[]{0, 4}, layer.experts().ids());
        StepMetrics second = trainer.step(1);
        assertTrue(second.layers().get(0).unrouted() < B * S, "the new expert's gate is the mean unrouted input");
        assertTrue(Double.isFinite(second.loss()));
    }

    @Test
    void nonFiniteLossStopsNamingStepAndBlock() {
        MoETransformer model = new MoETransformer(model(new TopKConfig(2, 0, true, 0, 0)), 2, DataType.FLOAT,
                InProcessDispatcher::new);
        model.moeLayers().get(0).experts().get(1).weights().value().assign(Float.NaN);
        model.moeLayers().get(0).experts().get(0).weights().value().assign(Float.NaN);
        ReferenceTrainer trainer = new ReferenceTrainer(model, trainer(2), ReferenceTrainerTest::counting, null);
        NonFiniteLossException ex = assertThrows(NonFiniteLossException.class, () -> trainer.step(0));
        assertTrue(ex.getMessage().contains("step 0"), ex.getMessage());
        assertTrue(ex.getMessage().contains("block 1"), ex.getMessage());
        assertFalse(ex.getMessage().contains("block 0"), ex.getMessage());
    }
}
