package dev.sparkmoe.data.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparkmoe.data.SkipReport;
import dev.sparkmoe.data.glue.EmbeddedGlue;
import dev.sparkmoe.data.glue.GlueBatch;
import dev.sparkmoe.data.glue.GlueData;
import dev.sparkmoe.data.glue.GlueEncoder;
import dev.sparkmoe.data.glue.GlueEvaluation;
import dev.sparkmoe.data.glue.GlueExample;
import dev.sparkmoe.data.glue.GlueSplit;
import dev.sparkmoe.data.glue.GlueSubmission;
import dev.sparkmoe.data.glue.GlueTask;
import dev.sparkmoe.data.text.WikiTextTokenizer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** GLUE splits as encoded blocks: deterministic batches for any P, one pass for evaluation (embedded CoLA dev). */
class GlueBlockRDDTest {
    private static final long SEED = 17;
    private static JavaSparkContext sc;
    private static GlueData dev;
    private static GlueEncoder encoder;
    private static GlueBatch reference; // the whole split encoded in one process, row k = example k

    @BeforeAll
    static void start() throws IOException {
        sc = new JavaSparkContext(SparkTestSupport.conf("glue-spark"));
        dev = EmbeddedGlue.read(GlueSplit.DEV, sc.hadoopConfiguration());
        encoder = new GlueEncoder(GlueEncoder.buildVocabulary(dev.examples(), WikiTextTokenizer.INSTANCE, 500, 2),
                WikiTextTokenizer.INSTANCE, 24);
        reference = encoder.encode(dev.examples());
    }

    @AfterAll
    static void stop() {
        sc.close();
    }

    @Test
    void batchesAreTheSameForTwoPartitionCountsAndCoverAnEpoch() {
        GlueBlockRDD two = GlueBlockRDD.of(sc, dev, encoder, 2);
        GlueBlockRDD three = GlueBlockRDD.of(sc.parallelize(dev.examples(), 5), GlueTask.COLA, GlueSplit.DEV,
                encoder, 3);
        int n = dev.size();
        assertEquals(n, two.size());
        assertEquals(n, three.size());
        int b = (n + 2) / 3; // three steps cover epoch 0
        boolean[] seen = new boolean[n];
        for (long step = 0; step < 3; step++) {
            GlueBatch x = two.collectBatch(SEED, step, b);
            GlueBatch y = three.collectBatch(SEED, step, b);
            assertArrayEquals(x.tokenIds(), y.tokenIds(), "step " + step);
            assertArrayEquals(x.indices(), y.indices(), "step " + step);
            for (int r = 0; r < b && step * b + r < n; r++) {
                int k = x.indices()[r]; // CoLA has no index column: the index is the row
                assertTrue(!seen[k], "row " + k + " twice in epoch 0");
                seen[k] = true;
                assertEquals(reference.labels()[k], x.labels()[r]);
                assertArrayEquals(row(reference, k), row(x, r), "row " + k);
            }
        }
        assertEquals(n, count(seen));
        GlueStepBatch part = three.batch(SEED, 5, 8).collect().get(1);
        assertEquals(1, part.partition());
        for (int i = 0; i < part.size(); i++) {
            assertEquals(part.positions()[i], part.batch().indices()[i]);
        }
        two.unpersist();
        three.unpersist();
    }

    @Test
    void evaluationOverEveryRowMergesLikeOneProcess() {
        GlueBlockRDD data = GlueBlockRDD.of(sc, dev, encoder, 3);
        GlueBlockRDD.Predictor model = chunk -> {
            GlueBatch g = chunk.rows();
            int[] labels = new int[g.batchSize()];
            for (int i = 0; i < labels.length; i++) {
                labels[i] = g.lengths()[i] % 2;
            }
            return new GluePredictions(chunk.firstRow(), labels, new float[labels.length]);
        };
        assertEquals(dev.size(), data.chunks(50).map(GlueBlocks::count).reduce(Integer::sum));
        GlueEvaluation got = data.evaluate(data.predict(model, 50));
        GlueEvaluation want = new GlueEvaluation(GlueTask.COLA, GlueSplit.DEV);
        for (int k = 0; k < dev.size(); k++) {
            want.add(reference.labels()[k], reference.lengths()[k] % 2);
        }
        assertEquals(want.confusionMatrix(), got.confusionMatrix());
        assertEquals(want.metrics(), got.metrics());

        GlueSubmission.Predictions p = data.collectPredictions(data.predict(model, 1000));
        for (int k = 0; k < dev.size(); k++) {
            assertEquals(k, p.indices()[k]);
            assertEquals(reference.lengths()[k] % 2, p.labels()[k]);
        }
        assertThrows(IllegalArgumentException.class, () -> data.evaluate(data.predict(model, 50).coalesce(1)));
        data.unpersist();
    }

    @Test
    void scoreEvaluationMergesInPartitionOrder() {
        List<GlueExample> ex = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            ex.add(GlueExample.scored(100 - i, "a b " + i, "c " + (i % 7), (i * 37 % 50) / 10f));
        }
        GlueData stsb = new GlueData(GlueTask.STSB, GlueSplit.DEV, "memory", ex, SkipReport.EMPTY);
        GlueBlockRDD data = GlueBlockRDD.of(sc, stsb, encoder, 3);
        GlueEvaluation got = data.evaluate(data.predict(chunk -> {
            float[] s = new float[chunk.count()];
            for (int i = 0; i < s.length; i++) {
                s[i] = chunk.rows().lengths()[i] * 0.3f;
            }
            int[] none = new int[s.length];
            Arrays.fill(none, -1);
            return new GluePredictions(chunk.firstRow(), none, s);
        }, 4));
        GlueBatch enc = encoder.encode(ex);
        GlueEvaluation want = new GlueEvaluation(GlueTask.STSB, GlueSplit.DEV);
        for (int k = 0; k < ex.size(); k++) {
            want.addScore(ex.get(k).score(), enc.lengths()[k] * 0.3f);
        }
        assertEquals(want.metrics(), got.metrics()); // bitwise: same pairs in the same order
        GlueSubmission.Predictions p = data.collectPredictions(data.predict(c -> new GluePredictions(c.firstRow(),
                new int[c.count()], new float[c.count()]), 8));
        assertEquals(61, p.indices()[0]);
        assertEquals(100, p.indices()[39]);
        data.unpersist();
    }

    private static int[] row(GlueBatch b, int r) {
        int s = b.seqLength();
        int[] out = new int[3 * s];
        System.arraycopy(b.tokenIds(), r * s, out, 0, s);
        System.arraycopy(b.mask(), r * s, out, s, s);
        System.arraycopy(b.segments(), r * s, out, 2 * s, s);
        return out;
    }

    private static int count(boolean[] a) {
        int c = 0;
        for (boolean v : a) {
            c += v ? 1 : 0;
        }
        return c;
    }
}
