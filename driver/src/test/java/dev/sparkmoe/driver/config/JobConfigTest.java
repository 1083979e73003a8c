package dev.sparkmoe.driver.config;

import dev.sparkmoe.routing.AttentionKConfig;
import dev.sparkmoe.routing.TopAnyConfig;
import dev.sparkmoe.routing.TopKConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.File;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JobConfigTest {

    @Test
    void defaultsLoadAndDescribeTheMainJob() {
        JobConfig c = JobConfig.load(null, List.of());
        assertInstanceOf(TopAnyConfig.class, c.router());
        assertTrue(c.data().embedded());
        assertTrue(c.controller().enabled());
        assertEquals(8192, c.model(8192).vocabSize());
        assertTrue(c.render().contains("spark-moe"));
        assertTrue(c.engine().spark(), "the main job trains on the Spark engine");
        assertEquals(new EngineSettings("spark", "local[*]", 0, 0, 0.5, 0), c.engine());
    }

    @Test
    void overridesAndJobFilesApplyInOrder() {
        JobConfig c = JobConfig.load(new File("../conf/tiny.conf"), List.of("router.kind=topk", "router.topk.k=1"));
        assertEquals(new TopKConfig(1, 1.25, true, 0.01, 0.001), c.router());
        assertEquals(64, c.model(100).dModel());
        assertEquals(200, c.trainer().steps());
        assertInstanceOf(AttentionKConfig.class, JobConfig.load(null, List.of("router.kind=attnk")).router());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "router.kind=switch                  | router.kind = \"switch\": must be one of topk, topany, attnk",
            "router.kind=topk;router.topk.k=9    | router.k = 9: must be <= the number of experts (8)",
            "model.heads=3                       | model.heads = 3: must divide model.dModel (128)",
            "model.moeBlocks=[1,7]               | model.moeBlocks = [1, 7]: must be ascending block indices in [0, 4)",
            "model.experts=0                     | moe.experts = 0: a MoE layer needs at least 1 expert",
            "optim.lr=-1                         | optim.lr = -1.0: must be > 0",
            "controller.maxExperts=0             | controller.maxExperts = 0: must be >= controller.minExperts (1)",
            "data.variant=xml                    | data.variant = \"xml\": must be tokens or raw",
            "train.steps=0                       | train.steps = 0: must be >= 1",
            "train.steps=20                      | optim.warmupSteps = 40: must be in [0, train.steps = 20]",
            "model.dModle=64                     | unknown configuration key(s) [model.dModle]",
            "train.batchSize=lots                | train.batchSize has type STRING rather than NUMBER",
            "router.kind                         | override 'router.kind': expected key=value",
            "engine.kind=yarn                    | engine.kind = \"yarn\": must be spark or single",
            "engine.master=\"\"                  | engine.master = \"\": must name a Spark master",
            "engine.dataPartitions=-1            | engine.dataPartitions = -1: must be >= 0",
            "engine.expertPartitions=-2          | engine.expertPartitions = -2: must be >= 0",
            "engine.placementTolerance=-0.5      | engine.placementTolerance = -0.5: must be >= 0",
            "engine.rebalanceEvery=-1            | engine.rebalanceEvery = -1: must be >= 0",
            "checkpoint.every=-1                 | checkpoint.every = -1: must be >= 0 (0: only at the end of training)",
            "checkpoint.keep=0                   | checkpoint.keep = 0: must be >= 1",
            "checkpoint.keep=all                 | checkpoint.keep has type STRING rather than NUMBER",
    })
    void badValuesFailNamingKeyValueAndWhatIsAllowed(String overrides, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> JobConfig.load(null, List.of(overrides.split(";"))));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void checkpointKeysHaveDefaultsAndOverrides() {
        assertEquals(new CheckpointSettings(100, 3), JobConfig.load(null, List.of()).checkpoint());
        CheckpointSettings c = JobConfig.load(null, List.of("checkpoint.every=0", "checkpoint.keep=1")).checkpoint();
        assertEquals(new CheckpointSettings(0, 1), c);
        assertTrue(c.due(12, 12) && !c.due(5, 12), "every = 0: only at the end");
        CheckpointSettings every5 = new CheckpointSettings(5, 2);
        assertEquals(List.of(5L, 10L, 12L), java.util.stream.LongStream.rangeClosed(0, 12).filter(s -> every5.due(s, 12))
                .boxed().toList());
    }

    @Test
    void missingJobFileIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> JobConfig.load(new File("no/such.conf"), List.of()));
        assertTrue(e.getMessage().contains("no/such.conf"), e.getMessage());
    }

    /** Every shipped job file loads and validates (with the corpus a user must name). */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"tiny.conf", "wikitext2.conf", "wikitext103.conf"})
    void shippedJobFilesAreValid(String file) {
        JobConfig c = JobConfig.load(new File("../conf/" + file), List.of("data.corpus=\"/data/wikitext\""));
        assertTrue(c.trainer().steps() > 0 && c.engine().spark(), file);
    }

    @Test
    void theCheckpointHashIgnoresWhereAndHowARunIsSpread() {
        String base = JobConfig.load(null, List.of()).renderForCheckpoint();
        assertEquals(base, JobConfig.load(null, List.of("run.dir=/elsewhere", "engine.expertPartitions=5",
                "checkpoint.every=7", "train.logEvery=3", "train.evalEvery=50")).renderForCheckpoint());
        assertTrue(!base.equals(JobConfig.load(null, List.of("optim.lr=1e-3")).renderForCheckpoint()));
        assertTrue(!base.equals(JobConfig.load(null, List.of("train.steps=500")).renderForCheckpoint()));
    }
}
