package dev.sparkmoe.data.glue;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GlueResultsTest {
    private static final Configuration CONF = new Configuration();
    // gold vs predicted: TP = 4 (rows 0 2 5 7), FN = 1 (row 1), FP = 1 (row 4), TN = 2 (rows 3 6)
    private static final int[] GOLD = {1, 1, 1, 0, 0, 1, 0, 1};
    private static final int[] PRED = {1, 0, 1, 0, 1, 1, 0, 1};

    @TempDir
    java.nio.file.Path tmp;

    private static List<GlueExample> classified(int[] gold, boolean pair) {
        List<GlueExample> out = new ArrayList<>();
        for (int i = 0; i < gold.length; i++) {
            out.add(GlueExample.classified(i, "a" + i, pair ? "b" + i : null, gold[i]));
        }
        return out;
    }

    private static List<GlueExample> unlabelled(int... indices) {
        List<GlueExample> out = new ArrayList<>();
        for (int i : indices) {
            out.add(GlueExample.unlabelled(i, "a" + i, "b" + i));
        }
        return out;
    }

    @Test
    void colaMatthewsByHand() {
        Map<String, Double> m = GlueResults.ofLabels(GlueTask.COLA, GlueSplit.DEV, classified(GOLD, false), PRED).metrics();
        // (TP·TN − FP·FN) / sqrt((TP+FP)(TP+FN)(TN+FP)(TN+FN)) = (8 − 1) / sqrt(5·5·3·3) = 7/15
        assertEquals(List.of("mcc"), new ArrayList<>(m.keySet()));
        assertEquals(7.0 / 15, m.get("mcc"), 1e-12);
    }

    @Test
    void mrpcF1ThenAccuracyByHand() {
        Map<String, Double> m = GlueResults.ofLabels(GlueTask.MRPC, GlueSplit.DEV, classified(GOLD, true), PRED).metrics();
        // precision 4/5, recall 4/5 -> F1 0.8; accuracy 6/8
        assertEquals(List.of("f1", "accuracy"), new ArrayList<>(m.keySet()));
        assertEquals(0.8, m.get("f1"), 1e-12);
        assertEquals(0.75, m.get("accuracy"), 1e-12);
    }

    @Test
    void stsbPearsonAndSpearmanByHand() {
        float[] gold = {1, 2, 3, 4, 5};
        float[] pred = {0.5f, 0.4f, 10f, 3f, 20f};
        List<GlueExample> ex = new ArrayList<>();
        for (int i = 0; i < gold.length; i++) {
            ex.add(GlueExample.scored(i, "a", "b", gold[i]));
        }
        Map<String, Double> m = GlueResults.ofScores(GlueTask.STSB, GlueSplit.DEV, ex, pred).metrics();
        assertEquals(List.of("pearson", "spearman"), new ArrayList<>(m.keySet()));
        // deviations of gold: -2 -1 0 1 2 (sum of squares 10); of pred (mean 6.78): -6.28 -6.38 3.22 -3.78 13.22
        // covariance sum 41.6, pred sum of squares 279.568
        assertEquals(41.6 / Math.sqrt(10 * 279.568), m.get("pearson"), 1e-6);
        // ranks of pred: 2 1 4 3 5 against 1 2 3 4 5: 1 − 6·Σd² / (n(n²−1)) = 1 − 6·4/120 = 0.8
        assertEquals(0.8, m.get("spearman"), 1e-9);
    }

    @Test
    void mnliMatchedAndMismatchedEachTheirOwnAccuracy() {
        List<GlueExample> ex = classified(new int[] {0, 1, 2, 2}, true);
        int[] pred = {0, 1, 2, 0};
        assertEquals(Map.of("matched_accuracy", 0.75),
                GlueResults.ofLabels(GlueTask.MNLI, GlueSplit.DEV_MATCHED, ex, pred).metrics());
        assertEquals(Map.of("mismatched_accuracy", 0.75),
                GlueResults.ofLabels(GlueTask.MNLI, GlueSplit.DEV_MISMATCHED, ex, pred).metrics());
    }

    @Test
    void unlabelledTestSplitHasNoMetricsAndPartlyLabelledIsAnError() {
        GlueResults test = GlueResults.ofLabels(GlueTask.RTE, GlueSplit.TEST, unlabelled(0, 1), new int[] {0, 1});
        assertEquals(Map.of(), test.metrics());
        assertThrows(IllegalStateException.class, test::evaluation);
        List<GlueExample> mixed = new ArrayList<>(classified(new int[] {1}, true));
        mixed.addAll(unlabelled(7));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> GlueResults.ofLabels(GlueTask.RTE, GlueSplit.DEV, mixed, new int[] {1, 1}).metrics());
        assertTrue(e.getMessage().contains("example 7"), e.getMessage());
    }

    @Test
    void rejectsMismatchedPredictionsAndKinds() {
        List<GlueExample> ex = classified(GOLD, false);
        assertThrows(IllegalArgumentException.class, () -> GlueResults.ofLabels(GlueTask.COLA, GlueSplit.DEV, ex, new int[3]));
        assertThrows(IllegalArgumentException.class, () -> GlueResults.ofScores(GlueTask.COLA, GlueSplit.DEV, ex, new float[8]));
        assertThrows(IllegalArgumentException.class, () -> GlueResults.ofLabels(GlueTask.STSB, GlueSplit.DEV, ex, new int[8]));
        assertThrows(IllegalArgumentException.class, () -> GlueResults.ofLabels(GlueTask.COLA, GlueSplit.TEST_MATCHED, ex, PRED));
    }

    @Test
    void mnliMismatchedSubmissionHasHeaderIndexOrderAndLabelNames() throws IOException {
        Path dir = new Path(tmp.resolve("submit").toUri());
        List<GlueExample> ex = unlabelled(9, 3, 4); // the examples' order, not sorted
        Path file = GlueResults.ofLabels(GlueTask.MNLI, GlueSplit.TEST_MISMATCHED, ex, new int[] {2, 0, 1})
                .writeSubmission(dir, CONF);
        assertEquals("MNLI-mm.tsv", file.getName());
        assertEquals(List.of("index\tprediction", "9\tcontradiction", "3\tentailment", "4\tneutral"),
                Files.readAllLines(tmp.resolve("submit/MNLI-mm.tsv"), StandardCharsets.UTF_8));
        GlueSubmission.Predictions back = GlueSubmission.read(file, GlueTask.MNLI, CONF);
        assertArrayEquals(new int[] {9, 3, 4}, back.indices());
        assertArrayEquals(new int[] {2, 0, 1}, back.labels());
    }

    @Test
    void submissionsOfColaQnliAxAndStsbReadBack() throws IOException {
        Path dir = new Path(tmp.resolve("submit").toUri());
        Path cola = GlueResults.ofLabels(GlueTask.COLA, GlueSplit.TEST, unlabelled(0, 1), new int[] {1, 0})
                .writeSubmission(dir, CONF);
        assertEquals(List.of("index\tprediction", "0\t1", "1\t0"), Files.readAllLines(tmp.resolve("submit/CoLA.tsv")));
        assertArrayEquals(new int[] {1, 0}, GlueSubmission.read(cola, GlueTask.COLA, CONF).labels());
        GlueResults.ofLabels(GlueTask.QNLI, GlueSplit.TEST, unlabelled(0, 1), new int[] {1, 0}).writeSubmission(dir, CONF);
        assertEquals(List.of("index\tprediction", "0\tnot_entailment", "1\tentailment"),
                Files.readAllLines(tmp.resolve("submit/QNLI.tsv")));
        // AX, GLUE's diagnostic set, is predicted by the MNLI model and spelled with MNLI's labels
        GlueResults.ofLabels(GlueTask.AX, GlueSplit.TEST, unlabelled(0), new int[] {1}).writeSubmission(dir, CONF);
        assertEquals(List.of("index\tprediction", "0\tneutral"), Files.readAllLines(tmp.resolve("submit/AX.tsv")));
        Path stsb = GlueResults.ofScores(GlueTask.STSB, GlueSplit.TEST, unlabelled(5, 6), new float[] {4.25f, 0.5f})
                .writeSubmission(dir, CONF);
        GlueSubmission.Predictions back = GlueSubmission.read(stsb, GlueTask.STSB, CONF);
        assertArrayEquals(new int[] {5, 6}, back.indices());
        assertArrayEquals(new float[] {4.25f, 0.5f}, back.scores());
    }
}
