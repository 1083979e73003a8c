package dev.sparkmoe.driver.engine;

import dev.sparkmoe.routing.Param;
import dev.sparkmoe.routing.RouterConfig;
import dev.sparkmoe.routing.TopAnyConfig;
import dev.sparkmoe.worker.model.TransformerLM;
import dev.sparkmoe.worker.moe.InProcessDispatcher;
import dev.sparkmoe.worker.spark.FaultInjection;
import dev.sparkmoe.worker.train.StepMetrics;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Invariant 2 for resumes: an engine rebuilt from a run's state after step k (driver model,
 * experts, optimiser count), even on a different number of expert partitions, continues with
 * parameters bit-identical to the run that never stopped.
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
    void resumedEngineOnOtherExpertPartitionsMatchesAnUninterruptedRun() {
        RouterConfig router = TopAnyConfig.defaults();
        StepBatches data = new PackedStepBatches(sc, EngineFixture.tokens(), 3, EngineFixture.SEED, EngineFixture.B);
        EngineFixture.Run straight = EngineFixture.engine(sc, router, STEPS, data, 2, false, false, FaultInjection.NONE);

        SparkEngine first = EngineFixture.newEngine(sc, router, STEPS, data, 2, false, false, FaultInjection.NONE);
        for (long s = 0; s < STOP_AFTER; s++) first.step(s);
        SparkEngine.Restored saved = new SparkEngine.Restored(first.stepsDone(), first.optimizerSteps(),
                first.collectExperts(), first.placement());

        TransformerLM model = new TransformerLM(EngineFixture.model(router), EngineFixture.SEED + 1, DataType.FLOAT,
                InProcessDispatcher::new, null, false);                // other initial values: all must be restored
        copyDense(first.model(), model);
        SparkEngine resumed = new SparkEngine(sc, model, EngineFixture.SEED, EngineFixture.trainer(STEPS), data,
                new EngineLayout(3, 0.5, 4), null, FaultInjection.NONE, saved);
        assertEquals(STOP_AFTER, resumed.stepsDone());
        List<StepMetrics> metrics = new ArrayList<>();
        for (long s = STOP_AFTER; s < STEPS; s++) metrics.add(resumed.step(s));
        EngineFixture.Run continued = EngineFixture.collect(resumed, metrics);

        assertEquals(0.0, EngineFixture.maxRelativeDifference(continued, straight), "bit-identical after the resume");
        for (int i = 0; i < metrics.size(); i++) {
            assertEquals(straight.metrics().get(STOP_AFTER + i).loss(), metrics.get(i).loss(), 0.0);
        }
        assertEquals(3, resumed.placement().values().stream().distinct().count(), "experts spread over 3 partitions now");
        Map<?, Integer> before = saved.placement();
        assertEquals(before.size(), resumed.placement().size());
    }

    /** What a checkpoint restores into the driver model: dense values and AdamW slots. */
    private static void copyDense(TransformerLM from, TransformerLM to) {
        List<Param> src = from.denseParams();
        List<Param> dst = to.denseParams();
        for (int i = 0; i < src.size(); i++) {
            dst.get(i).value().assign(src.get(i).value());
            for (int k = 0; k < src.get(i).numSlots(); k++) dst.get(i).slot(k).assign(src.get(i).slot(k));
        }
    }
}
