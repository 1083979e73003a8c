package dev.sparkmoe.driver.engine;

import dev.sparkmoe.routing.AttentionKConfig;
import dev.sparkmoe.routing.TopAnyConfig;
import dev.sparkmoe.routing.TopKConfig;
import dev.sparkmoe.worker.model.ModelConfig;
import dev.sparkmoe.worker.model.ModelHead;
import dev.sparkmoe.worker.model.ModelInput;
import dev.sparkmoe.worker.model.MoETransformer;
import dev.sparkmoe.worker.moe.InProcessDispatcher;
import dev.sparkmoe.worker.nn.ClassificationHead.Pooling;
import dev.sparkmoe.worker.spark.FaultInjection;
import dev.sparkmoe.worker.train.Evaluation;
import dev.sparkmoe.worker.train.ExampleSet;
import dev.sparkmoe.worker.train.ReferenceTrainer;
import dev.sparkmoe.worker.train.StepMetrics;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Invariant 1 for the per-sequence heads: the Spark engine in {@code local[2]} (3 data, 2 expert
 * partitions) and the single-process trainer give the same parameters and the same evaluation
 * outputs for a vision transformer on images (class-token pooling) and for classification and
 * regression of padded sentences (mean pooling), with DynMoE's controller adding and pruning.
 */
class SequenceHeadEquivalenceTest {
    static final int STEPS = 8, DATA_PARTITIONS = 3, EXPERT_PARTITIONS = 2, N = 60, BATCH = 12;
    static JavaSparkContext sc;

    @BeforeAll
    static void start() { sc = new JavaSparkContext(EngineFixture.conf("local[2]", "sequence-head-equivalence")); }

    @AfterAll
    static void stop() { sc.stop(); }

    @Test
    void visionTransformerOnImages() {
        ModelInput.Patches patches = new ModelInput.Patches(1, 8, 8, 4);
        ModelConfig cfg = new ModelConfig(1, patches.rows(), 16, 2, 32, 24, 2, new int[]{0, 1}, 4,
                TopAnyConfig.defaults(), false).withInput(patches, patches.rows())
                .withHead(ModelHead.classification(10, Pooling.FIRST));
        SplittableRandom rng = new SplittableRandom(3);
        float[] pixels = new float[N * 64];
        int[] labels = new int[N];
        for (int i = 0; i < N; i++) {
            labels[i] = rng.nextInt(10);
            for (int p = 0; p < 64; p++) pixels[i * 64 + p] = (float) (rng.nextDouble() + (p % 10 == labels[i] ? 1 : 0));
        }
        check(cfg, ExampleSet.images(patches.rows(), 64, pixels, labels), true);
    }

    @Test
    void classificationOfPaddedSentences() {
        ModelConfig cfg = new ModelConfig(20, 10, 16, 2, 32, 24, 2, new int[]{1}, 4,
                new TopKConfig(2, 1.25, true, 0.01, 0.001), true).withHead(ModelHead.classification(3, Pooling.MEAN));
        check(cfg, sentences(false), false);
    }

    @Test
    void regressionOfPaddedSentences() {
        ModelConfig cfg = new ModelConfig(20, 10, 16, 2, 32, 24, 2, new int[]{1}, 4,
                new AttentionKConfig(1.0, 1, 0, 1.25, 0.01, 0.001, false), true).withHead(ModelHead.regression(Pooling.MEAN));
        check(cfg, sentences(true), false);
    }

    private static ExampleSet sentences(boolean scored) {
        SplittableRandom rng = new SplittableRandom(5);
        int s = 10;
        int[] ids = new int[N * s];
        boolean[] pad = new boolean[N * s];
        int[] labels = new int[N];
        float[] scores = new float[N];
        for (int i = 0; i < N; i++) {
            int len = 3 + rng.nextInt(s - 2);
            int sum = 0;
            for (int t = 0; t < s; t++) {
                pad[i * s + t] = t >= len;
                ids[i * s + t] = t < len ? 1 + rng.nextInt(19) : 0;
                if (t < len) sum += ids[i * s + t];
            }
            labels[i] = i % 7 == 0 ? -1 : sum % 3;          // some unlabelled, like a test split
            scores[i] = i % 7 == 0 ? Float.NaN : sum / (float) len / 4f;
        }
        return scored ? ExampleSet.sentences(s, ids, pad, null, scores) : ExampleSet.sentences(s, ids, pad, labels, null);
    }

    private static void check(ModelConfig cfg, ExampleSet set, boolean controller) {
        ExampleStepBatches train = new ExampleStepBatches(sc, set, DATA_PARTITIONS,
                ExampleStepBatches.epochs(EngineFixture.SEED, set.size(), BATCH));
        ExampleStepBatches eval = new ExampleStepBatches(sc, set, DATA_PARTITIONS,
                ExampleStepBatches.consecutive(set.size(), 16));
        int evalBatches = ExampleStepBatches.batchesToCover(set.size(), 16);

        MoETransformer refModel = new MoETransformer(cfg, EngineFixture.SEED, DataType.FLOAT, InProcessDispatcher::new);
        ReferenceTrainer ref = new ReferenceTrainer(refModel, EngineFixture.trainer(STEPS), train::reference,
                EngineFixture.controller(controller));
        List<StepMetrics> refMetrics = new ArrayList<>();
        ref.run(0, refMetrics::add);

        MoETransformer driver = new MoETransformer(cfg, EngineFixture.SEED, DataType.FLOAT, InProcessDispatcher::new, null, false);
        SparkEngine engine = new SparkEngine(sc, driver, EngineFixture.SEED, EngineFixture.trainer(STEPS), train,
                new EngineLayout(EXPERT_PARTITIONS, 0.5, 4), EngineFixture.controller(controller), FaultInjection.NONE);
        List<StepMetrics> metrics = new ArrayList<>();
        for (long s = 0; s < STEPS; s++) metrics.add(engine.step(s));

        EngineFixture.Run spark = EngineFixture.collect(engine, metrics);
        double diff = EngineFixture.maxRelativeDifference(spark, new EngineFixture.Run(EngineFixture.params(refModel), refMetrics));
        assertTrue(diff < 1e-5, cfg.head() + ": max relative parameter difference " + diff);
        for (int s = 0; s < STEPS; s++) {
            assertEquals(refMetrics.get(s).loss(), metrics.get(s).loss(), 1e-5, "loss at step " + s);
            assertEquals(refMetrics.get(s).events().toString(), metrics.get(s).events().toString(), "controller events at step " + s);
        }

        Evaluation a = ReferenceTrainer.evaluation(refModel, eval::reference, evalBatches);
        Evaluation b = engine.evaluation(eval, evalBatches);
        assertEquals(a.counted(), b.counted());
        assertEquals(a.loss(), b.loss(), 1e-5 * Math.max(1, Math.abs(a.loss())));
        for (int i = 0; i < evalBatches; i++) {
            assertEquals(a.outputs()[i].length, b.outputs()[i].length, "outputs of evaluation batch " + i);
            assertArrayEquals(a.outputs()[i], b.outputs()[i], 1e-4f, "outputs of evaluation batch " + i);
        }
        train.close();
        eval.close();
    }
}
