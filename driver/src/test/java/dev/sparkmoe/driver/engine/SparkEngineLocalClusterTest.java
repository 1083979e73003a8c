package dev.sparkmoe.driver.engine;

import dev.sparkmoe.driver.testing.LocalCluster;
import dev.sparkmoe.routing.TopAnyConfig;
import dev.sparkmoe.worker.spark.FaultInjection;
import dev.sparkmoe.worker.train.StepMetrics;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * The engine across separate executor JVMs ({@code local-cluster[2,1,1024]}): the same
 * parameters as in {@code local[2]}, and the same again when the JVM of an executor holding
 * an expert partition is killed with SIGKILL in the middle of a step (DESIGN.md, "Surviving a
 * lost executor").
 */
class SparkEngineLocalClusterTest {
    static final int STEPS = 6, KILL_AT_STEP = 3;

    @Test
    void sameParametersAsLocalModeAndAfterAnExecutorIsKilled() throws Exception {
        EngineFixture.Run local = run(EngineFixture.conf("local[2]", "engine-local"), false);
        EngineFixture.Run cluster = run(clusterConf("engine-local-cluster"), false);
        assertSameParameters(local, cluster, "local-cluster vs local[2]");
        EngineFixture.Run killed = run(clusterConf("engine-executor-killed"), true);
        assertSameParameters(local, killed, "executor killed mid-step vs undisturbed");
        assertEquals(local.events().toString(), killed.events().toString());
    }

    private static SparkConf clusterConf(String app) {
        SparkConf conf = LocalCluster.conf(app);
        return EngineSparkConf.apply(conf.set("spark.driver.host", "127.0.0.1").set("spark.task.maxFailures", "8"));
    }

    /** Runs the engine; with {@code kill}, kills an executor holding expert partition 0 during step {@value KILL_AT_STEP}. */
    private static EngineFixture.Run run(SparkConf conf, boolean kill) throws Exception {
        JavaSparkContext sc = new JavaSparkContext(conf);
        try {
            if (conf.get("spark.master").startsWith("local-cluster")) LocalCluster.awaitExecutors(sc, 2, Duration.ofSeconds(90));
            StepBatches data = new PackedStepBatches(sc, EngineFixture.tokens(), 3, EngineFixture.SEED, EngineFixture.B);
            SparkEngine engine = EngineFixture.newEngine(sc, TopAnyConfig.defaults(), STEPS, data, 2, true, true,
                    FaultInjection.NONE);
            AtomicReference<String> killedExecutor = new AtomicReference<>();
            List<CompletableFuture<Void>> kills = new ArrayList<>();
            if (kill) {
                sc.sc().addSparkListener(new SparkListener() {
                    @Override
                    public void onStageSubmitted(SparkListenerStageSubmitted e) {
                        if (killedExecutor.get() == null && e.stageInfo().name().startsWith("step " + KILL_AT_STEP + " · expert stage 1")) {
                            String victim = LocalCluster.executorsWithCachedPartition(engine.cluster().states(), 0).get(0);
                            killedExecutor.set(victim);
                            kills.add(CompletableFuture.runAsync(() -> LocalCluster.kill(victim)));
                        }
                    }
                });
            }
            List<StepMetrics> metrics = new ArrayList<>();
            for (long s = 0; s < STEPS; s++) metrics.add(engine.step(s));
            if (kill) {
                assertNotNull(killedExecutor.get(), "an executor was killed during step " + KILL_AT_STEP);
                for (CompletableFuture<Void> k : kills) k.get();
                System.out.println("killed executor " + killedExecutor.get() + " during step " + KILL_AT_STEP + "; step times "
                        + metrics.stream().map(m -> String.format("%.1fs", m.seconds())).toList());
            }
            return EngineFixture.collect(engine, metrics);
        } finally {
            sc.stop();
        }
    }

    private static void assertSameParameters(EngineFixture.Run expected, EngineFixture.Run got, String what) {
        assertEquals(expected.params().keySet(), got.params().keySet(), what);
        for (Map.Entry<String, float[]> e : expected.params().entrySet()) {
            assertArrayEquals(e.getValue(), got.params().get(e.getKey()), what + ": " + e.getKey());
        }
    }
}
