package dev.sparkmoe.data.glue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GlueMetricsTest {
    private static final double EPS = 1e-9;

    /** TP=6, TN=3, FP=1, FN=2 (class 1 positive). */
    private static ConfusionMatrix binary() {
        ConfusionMatrix m = new ConfusionMatrix(2);
        for (int i = 0; i < 6; i++) {
            m.add(1, 1);
        }
        for (int i = 0; i < 3; i++) {
            m.add(0, 0);
        }
        m.add(0, 1);
        m.add(1, 0).add(1, 0);
        return m;
    }

    @Test
    void binaryMetricsByHand() {
        ConfusionMatrix m = binary();
        assertEquals(0.75, m.accuracy(), EPS);                             // 9 / 12
        assertEquals(0.8, m.f1(1), EPS);                                   // 12 / (12 + 1 + 2)
        assertEquals(16 / Math.sqrt(7.0 * 8 * 4 * 5), m.matthews(), EPS);  // (6·3 − 1·2) / sqrt(...)
    }

    @Test
    void matthewsMatchesScikitLearnExamples() {
        // sklearn docs: y_true = [+1, +1, +1, -1], y_pred = [+1, -1, +1, +1] -> -0.33...
        ConfusionMatrix m = new ConfusionMatrix(2).add(1, 1).add(1, 0).add(1, 1).add(0, 1);
        assertEquals(-1.0 / 3, m.matthews(), EPS);
        // all predictions one class: denominator 0 -> 0
        assertEquals(0, new ConfusionMatrix(2).add(0, 1).add(1, 1).matthews(), EPS);
        // 3 classes: y_true = [0,1,2,0,1,2], y_pred = [0,2,1,0,0,1]
        // c=2, s=6, p=(3,2,1), t=(2,2,2): (12 − 12) / ... = 0
        ConfusionMatrix k3 = new ConfusionMatrix(3).add(0, 0).add(1, 2).add(2, 1).add(0, 0).add(1, 0).add(2, 1);
        assertEquals(0, k3.matthews(), EPS);
        ConfusionMatrix perfect = new ConfusionMatrix(3).add(0, 0).add(1, 1).add(2, 2);
        assertEquals(1, perfect.matthews(), EPS);
    }

    @Test
    void correlationsByHandWithTies() {
        ScoreCorrelation c = new ScoreCorrelation();
        float[] x = {1, 2, 3, 4, 5};
        float[] y = {2, 4, 5, 4, 5};
        for (int i = 0; i < x.length; i++) {
            c.add(x[i], y[i]);
        }
        assertEquals(6 / Math.sqrt(60), c.pearson(), EPS);
        // ranks x = 1..5, y = (1, 2.5, 4.5, 2.5, 4.5): 7 / sqrt(10 · 9); scipy.stats.spearmanr -> 0.7378647873726218
        assertEquals(7 / Math.sqrt(90), c.spearman(), EPS);
        assertEquals(0.7378647873726218, c.spearman(), 1e-12);
        ScoreCorrelation t = new ScoreCorrelation().add(1, 1).add(2, 3).add(2, 2).add(3, 4);
        assertEquals(4.5 / Math.sqrt(22.5), t.spearman(), EPS); // spearmanr([1,2,2,3],[1,3,2,4]) = 0.9486832980505139
        assertTrue(Double.isNaN(new ScoreCorrelation().add(1, 2).add(1, 3).pearson()));
    }

    @Test
    void mergedPartitionsEqualOnePass() throws Exception {
        GlueEvaluation whole = new GlueEvaluation(GlueTask.MRPC, GlueSplit.DEV);
        GlueEvaluation p0 = new GlueEvaluation(GlueTask.MRPC, GlueSplit.DEV);
        GlueEvaluation p1 = new GlueEvaluation(GlueTask.MRPC, GlueSplit.DEV);
        int[][] pairs = {{1, 1}, {0, 0}, {1, 0}, {0, 1}, {1, 1}, {1, 1}, {0, 0}};
        for (int i = 0; i < pairs.length; i++) {
            whole.add(pairs[i][0], pairs[i][1]);
            (i % 2 == 0 ? p0 : p1).add(pairs[i][0], pairs[i][1]);
        }
        GlueEvaluation merged = roundTrip(p1).merge(roundTrip(p0));
        assertEquals(whole.metrics(), merged.metrics());
        assertEquals(List.of("f1", "accuracy"), List.copyOf(merged.metrics().keySet()));

        GlueEvaluation s0 = new GlueEvaluation(GlueTask.STSB, GlueSplit.DEV).addScore(1, 1.5f).addScore(4, 3f);
        GlueEvaluation s1 = new GlueEvaluation(GlueTask.STSB, GlueSplit.DEV).addScore(2.5f, 2f).addScore(5, 4.5f);
        Map<String, Double> m = roundTrip(s0).merge(s1).metrics();
        assertEquals(1.0, m.get("spearman"), EPS);
        assertTrue(m.get("pearson") > 0.9);
    }

    @Test
    void metricNamesPerTask() {
        assertEquals(List.of("mcc"), List.copyOf(new GlueEvaluation(GlueTask.COLA, GlueSplit.DEV).add(1, 1).metrics().keySet()));
        GlueEvaluation mm = new GlueEvaluation(GlueTask.MNLI, GlueSplit.DEV_MISMATCHED).add(2, 2).add(1, 0);
        assertEquals(Map.of("mismatched_accuracy", 0.5), mm.metrics());
        assertEquals(0.5, mm.score(), EPS);
        assertThrows(IllegalArgumentException.class, () -> new GlueEvaluation(GlueTask.RTE, GlueSplit.DEV_MATCHED));
        assertEquals(List.of("mcc"), List.copyOf(new GlueEvaluation(GlueTask.AX, GlueSplit.TEST).add(2, 2).metrics().keySet()));
        assertThrows(IllegalArgumentException.class, () -> new GlueEvaluation(GlueTask.QNLI, GlueSplit.DEV).add(2, 0));
    }

    private static GlueEvaluation roundTrip(GlueEvaluation e) throws IOException, ClassNotFoundException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(e);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (GlueEvaluation) in.readObject();
        }
    }
}
