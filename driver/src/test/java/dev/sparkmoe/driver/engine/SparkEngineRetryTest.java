package dev.sparkmoe.driver.engine;

import dev.sparkmoe.routing.TopAnyConfig;
import dev.sparkmoe.worker.spark.FaultInjection;
import dev.sparkmoe.worker.spark.FaultInjection.Fault;
import dev.sparkmoe.worker.spark.FaultInjection.Kind;
import org.apache.spark.ExceptionFailure;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Invariant 2 (DESIGN.md) under task retries: with the first attempt of chosen tasks failing
 * (dispatch side, expert forward and backward, combine side, the last data stage, the deferred
 * expert update) under {@code local[2,4]}, the run ends with parameters bit-identical to an
 * undisturbed run. The injected failures strike after the task's work is done, so each retry
 * meets partition state the first attempt already advanced.
 */
class SparkEngineRetryTest {
    static final int STEPS = 6;

    @Test
    void retriedTasksGiveBitIdenticalParameters() throws Exception {
        // M = 2 MoE layers: data stages 0..4, expert stages 0..3 (0, 1 forward; 2, 3 backward).
        List<Fault> faults = List.of(
                new Fault(2, Kind.DATA, 0, 1),      // dispatch side of layer 0
                new Fault(2, Kind.EXPERT, 0, 0),    // expert forward, layer 0 (the stage that also computes the update)
                new Fault(2, Kind.DATA, 1, 2),      // combine side of layer 0, dispatch of layer 1
                new Fault(3, Kind.EXPERT, 1, 1),    // expert forward, layer 1
                new Fault(3, Kind.DATA, 2, 0),      // loss and backward to layer 1's combine
                new Fault(3, Kind.EXPERT, 3, 0),    // expert backward, layer 0
                new Fault(4, Kind.DATA, 4, 1),      // the last data stage (results)
                new Fault(3, Kind.UPDATE, 0, 1));   // step 3's expert update, run inside step 4's job
        EngineFixture.Run clean = run("local[2]", FaultInjection.NONE, new AtomicInteger());
        AtomicInteger injected = new AtomicInteger();
        EngineFixture.Run retried = run("local[2,4]", new FaultInjection(faults), injected);
        assertEquals(faults.size(), injected.get(), "every fault struck once");
        assertEquals(clean.params().keySet(), retried.params().keySet());
        for (Map.Entry<String, float[]> e : clean.params().entrySet()) {
            assertArrayEquals(e.getValue(), retried.params().get(e.getKey()), e.getKey());
        }
        assertEquals(clean.events().toString(), retried.events().toString());
    }

    private static EngineFixture.Run run(String master, FaultInjection faults, AtomicInteger injected) throws Exception {
        JavaSparkContext sc = new JavaSparkContext(EngineFixture.conf(master, "engine-retry"));
        try {
            sc.sc().addSparkListener(new SparkListener() {
                @Override
                public void onTaskEnd(SparkListenerTaskEnd end) {
                    if (end.reason() instanceof ExceptionFailure f && f.description().contains("injected failure")) {
                        injected.incrementAndGet();
                    }
                }
            });
            StepBatches data = new PackedStepBatches(sc, EngineFixture.tokens(), 3, EngineFixture.SEED, EngineFixture.B);
            EngineFixture.Run run = EngineFixture.engine(sc, TopAnyConfig.defaults(), STEPS, data, 2, true, true, faults);
            sc.sc().listenerBus().waitUntilEmpty(60_000);
            return run;
        } finally {
            sc.stop();
        }
    }
}
