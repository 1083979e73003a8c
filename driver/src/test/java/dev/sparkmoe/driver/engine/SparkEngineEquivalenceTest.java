package dev.sparkmoe.driver.engine;

import dev.sparkmoe.routing.AttentionKConfig;
import dev.sparkmoe.routing.RouterConfig;
import dev.sparkmoe.routing.TopAnyConfig;
import dev.sparkmoe.routing.TopKConfig;
import dev.sparkmoe.worker.spark.FaultInjection;
import dev.sparkmoe.worker.train.ControllerEvent;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import dev.sparkmoe.worker.train.LayerStats;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import dev.sparkmoe.worker.model.MoETransformer;
import dev.sparkmoe.worker.moe.InProcessDispatcher;
import dev.sparkmoe.worker.train.ReferenceTrainer;
import org.nd4j.linalg.api.buffer.DataType;
import java.util.ArrayList;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Invariant 1 (DESIGN.md): 20 steps of the Spark engine in {@code local[2]}, with 3 data
 * partitions and 2 expert partitions, give the single-process trainer's parameters (same config,
 * seed and batches, the data partitions as routing groups) within a relative difference of 1e-5,
 * for every router, and with the controller adding and pruning experts.
 */
class SparkEngineEquivalenceTest {
    static final int STEPS = 20, DATA_PARTITIONS = 3, EXPERT_PARTITIONS = 2;
    static JavaSparkContext sc;

    @BeforeAll
    static void start() {
        sc = new JavaSparkContext(EngineFixture.conf("local[2]", "engine-equivalence"));
    }

    @AfterAll
    static void stop() {
        sc.stop();
    }

    static Stream<RouterConfig> routers() {
        return Stream.of(new TopKConfig(2, 1.25, true, 0.01, 0.001), TopAnyConfig.defaults(),
                new AttentionKConfig(1.0, 1, 0, 1.25, 0.01, 0.001, false));
    }

    @ParameterizedTest
    @MethodSource("routers")
    void engineMatchesTheReferenceTrainer(RouterConfig router) {
        StepBatches data = new PackedStepBatches(sc, EngineFixture.tokens(), DATA_PARTITIONS, EngineFixture.SEED, EngineFixture.B);
        EngineFixture.Run ref = EngineFixture.reference(router, STEPS, data, false, false);
        EngineFixture.Run spark = EngineFixture.engine(sc, router, STEPS, data, EXPERT_PARTITIONS, false, false, FaultInjection.NONE);
        double diff = EngineFixture.maxRelativeDifference(spark, ref);
        System.out.printf("%s: max relative parameter difference after %d steps %.3g%n", router.kind(), STEPS, diff);
        assertTrue(diff < 1e-5, router.kind() + ": max relative difference " + diff);
        for (int s = 0; s < STEPS; s++) {
            assertEquals(ref.metrics().get(s).loss(), spark.metrics().get(s).loss(), 1e-5, "loss at step " + s);
            for (int l = 0; l < ref.metrics().get(s).layers().size(); l++) {
                LayerStats a = ref.metrics().get(s).layers().get(l), b = spark.metrics().get(s).layers().get(l);
                assertArrayEquals(a.activeHistogram(), b.activeHistogram(), "activated-experts histogram, step " + s + " layer " + l);
                assertArrayEquals(a.tokensPerExpert(), b.tokensPerExpert(), "load, step " + s + " layer " + l);
                assertArrayEquals(a.expertIds(), b.expertIds());
                assertEquals(a.dropped(), b.dropped());
            }
        }
        assertTrue(spark.metrics().get(STEPS - 1).loss() < spark.metrics().get(0).loss() - 0.3, "the engine learns");
    }

    @Test
    void bothEnginesApplyTheSameControllerEvents() {
        RouterConfig router = TopAnyConfig.defaults();
        StepBatches data = new PackedStepBatches(sc, EngineFixture.tokens(), DATA_PARTITIONS, EngineFixture.SEED, EngineFixture.B);
        EngineFixture.Run ref = EngineFixture.reference(router, STEPS, data, true, true);
        EngineFixture.Run spark = EngineFixture.engine(sc, router, STEPS, data, EXPERT_PARTITIONS, true, true, FaultInjection.NONE);
        List<ControllerEvent> events = ref.events();
        assertTrue(events.stream().anyMatch(e -> e.added().length > 0), "the controller added experts: " + events);
        assertTrue(events.stream().anyMatch(e -> e.removed().length > 0), "the controller pruned experts: " + events);
        assertEquals(events.toString(), spark.events().toString());
        double diff = EngineFixture.maxRelativeDifference(spark, ref);
        System.out.printf("controller run: %d events, max relative parameter difference %.3g%n", events.size(), diff);
        assertTrue(diff < 1e-5, "max relative difference " + diff);
    }

    @Test
    void evaluationMatchesTheReferenceTrainersAfterControllerEvents() {
        RouterConfig router = TopAnyConfig.defaults();
        int steps = 8, batches = 3;
        StepBatches data = new PackedStepBatches(sc, EngineFixture.tokens(), DATA_PARTITIONS, EngineFixture.SEED, EngineFixture.B);
        PackedStepBatches valid = PackedStepBatches.consecutive(sc, EngineFixture.tokens(), DATA_PARTITIONS, EngineFixture.B);

        MoETransformer model = new MoETransformer(EngineFixture.model(router), EngineFixture.SEED, DataType.FLOAT,
                InProcessDispatcher::new);
        EngineFixture.forceControllerEvents(model);
        ReferenceTrainer reference = new ReferenceTrainer(model, EngineFixture.trainer(steps), data::reference,
                EngineFixture.controller(true));
        reference.run(0, m -> { });
        SparkEngine engine = EngineFixture.newEngine(sc, router, steps, data, EXPERT_PARTITIONS, true, true, FaultInjection.NONE);
        List<ControllerEvent> events = new ArrayList<>();
        for (long s = 0; s < steps; s++) events.addAll(engine.step(s).events());
        assertTrue(!events.isEmpty(), "the controller changed the experts before the evaluation");

        double expected = ReferenceTrainer.evaluate(model, valid::reference, batches);
        double actual = engine.evaluate(valid, batches);
        System.out.printf("evaluation: reference %.7f, engine %.7f%n", expected, actual);
        assertEquals(expected, actual, 1e-5 * expected);
        assertEquals(actual, engine.evaluate(valid, batches), 0.0, "evaluation changes nothing");
        engine.step(steps);                                            // training goes on after an evaluation
    }
}
