package dev.sparkmoe.driver.engine;

import dev.sparkmoe.routing.RouterConfig;
import dev.sparkmoe.routing.TopAnyConfig;
import dev.sparkmoe.worker.model.MoETransformer;
import dev.sparkmoe.worker.spark.FaultInjection;
import dev.sparkmoe.worker.train.StepMetrics;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.apache.hadoop.conf.Configuration;
import dev.sparkmoe.driver.checkpoint.CheckpointStore;
import dev.sparkmoe.driver.config.CheckpointSettings;
import dev.sparkmoe.worker.state.ModelStates;
import dev.sparkmoe.worker.state.TrainingState;
import dev.sparkmoe.worker.train.ControllerEvent;
import dev.sparkmoe.worker.train.ExpertController;

import java.util.ArrayList;
import java.util.List;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Invariant 2 for resumes: an engine rebuilt from a checkpoint written after step k (driver
 * model, experts, placement, optimiser count, controller), even on a different number of expert
 * partitions, continues with parameters and controller events bit-identical to the run that
 * never stopped.
 */
class SparkEngineResumeTest {
    static final int STEPS = 9, STOP_AFTER = 4;
    static JavaSparkContext sc;

    @BeforeAll
    static void start() {
        sc = new JavaSparkContext(EngineFixture.conf("local[2]", "engine-resume"));
    }

    @AfterAll
    static void stop() {
        sc.stop();
    }

    @Test
    void resumedEngineOnOtherExpertPartitionsMatchesAnUninterruptedRun(@TempDir Path dir) {
        RouterConfig router = TopAnyConfig.defaults();
        StepBatches data = new PackedStepBatches(sc, EngineFixture.tokens(), 3, EngineFixture.SEED, EngineFixture.B);
        EngineFixture.Run straight = EngineFixture.engine(sc, router, STEPS, data, 2, true, true, FaultInjection.NONE);
        assertTrue(straight.events().size() >= 2, "the controller acts before and after the resume: " + straight.events());

        CheckpointStore store = new CheckpointStore(dir.toUri().toString(), new Configuration(), "test config",
                new CheckpointSettings(2, 2));
        SparkEngine first = EngineFixture.newEngine(sc, router, STEPS, data, 2, true, true, FaultInjection.NONE);
        for (long s = 0; s < STOP_AFTER; s++) {
            first.step(s);
            if (store.due(s + 1, STEPS)) store.save(first.capture());
        }

        TrainingState saved = store.latest(false).state();                     // read back from disk
        assertEquals(STOP_AFTER, saved.step());
        MoETransformer model = ModelStates.rebuild(EngineFixture.model(router), saved, false);
        ExpertController controller = EngineFixture.controller(true);
        controller.restore(saved.controller());
        SparkEngine resumed = new SparkEngine(sc, model, EngineFixture.SEED, EngineFixture.trainer(STEPS), data,
                new EngineLayout(3, 0.5, 4), controller, FaultInjection.NONE, saved);
        assertEquals(STOP_AFTER, resumed.stepsDone());
        List<StepMetrics> metrics = new ArrayList<>();
        for (long s = STOP_AFTER; s < STEPS; s++) metrics.add(resumed.step(s));
        EngineFixture.Run continued = EngineFixture.collect(resumed, metrics);

        assertEquals(0.0, EngineFixture.maxRelativeDifference(continued, straight), "bit-identical after the resume");
        List<ControllerEvent> after = straight.events().stream().filter(e -> e.step() >= STOP_AFTER).toList();
        assertEquals(after.toString(), continued.events().toString(), "the same controller events after the resume");
        assertTrue(!after.isEmpty(), "an event after the resume: " + straight.events());
        for (int i = 0; i < metrics.size(); i++) {
            assertEquals(straight.metrics().get(STOP_AFTER + i).loss(), metrics.get(i).loss(), 0.0);
        }
        assertEquals(3, resumed.placement().values().stream().distinct().count(), "experts spread over 3 partitions now");
    }
}
