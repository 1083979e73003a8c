package dev.sparkmoe.data.glue;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GlueSubmissionTest {
    private static final Configuration CONF = new Configuration();

    @TempDir
    java.nio.file.Path tmp;

    @Test
    void fileNamesOfAllElevenSubmissions() {
        List<String> names = new ArrayList<>();
        for (GlueTask t : GlueTask.values()) {
            for (GlueSplit s : t.splits()) {
                if (!s.labelled()) {
                    names.add(GlueSubmission.fileName(t, s));
                }
            }
        }
        assertEquals(List.of("CoLA.tsv", "SST-2.tsv", "MRPC.tsv", "STS-B.tsv", "QQP.tsv", "MNLI-m.tsv", "MNLI-mm.tsv",
                "QNLI.tsv", "RTE.tsv", "WNLI.tsv", "AX.tsv"), names);
    }

    @Test
    void labelsAreWrittenAsGlueSpellingsAndReadBack() throws IOException {
        Path dir = new Path(tmp.resolve("submission").toUri());
        int[] idx = {0, 1, 2};
        int[] pred = {0, 2, 1};
        Path f = GlueSubmission.write(dir, GlueTask.MNLI, GlueSplit.TEST_MISMATCHED, idx, pred, CONF);
        assertEquals("MNLI-mm.tsv", f.getName());
        assertEquals("index\tprediction\n0\tentailment\n1\tcontradiction\n2\tneutral\n",
                Files.readString(tmp.resolve("submission/MNLI-mm.tsv")));
        GlueSubmission.Predictions p = GlueSubmission.read(f, GlueTask.MNLI, CONF);
        assertArrayEquals(idx, p.indices());
        assertArrayEquals(pred, p.labels());

        Path cola = GlueSubmission.write(dir, GlueTask.COLA, GlueSplit.TEST, new int[] {5, 6}, new int[] {1, 0}, CONF);
        assertEquals("index\tprediction\n5\t1\n6\t0\n", Files.readString(tmp.resolve("submission/CoLA.tsv")));
        assertArrayEquals(new int[] {1, 0}, GlueSubmission.read(cola, GlueTask.COLA, CONF).labels());
        assertTrue(!Files.exists(tmp.resolve("submission/CoLA.tsv.tmp")));
    }

    @Test
    void stsbScoresRoundTrip() throws IOException {
        Path dir = new Path(tmp.toUri());
        float[] scores = {0f, 3.2f, 4.987654f, 1e-5f};
        Path f = GlueSubmission.writeScores(dir, GlueTask.STSB, GlueSplit.TEST, new int[] {0, 1, 2, 3}, scores, CONF);
        assertEquals("STS-B.tsv", f.getName());
        assertArrayEquals(scores, GlueSubmission.read(f, GlueTask.STSB, CONF).scores());
    }

    @Test
    void badPredictionsAreRefused() throws IOException {
        Path dir = new Path(tmp.toUri());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GlueSubmission.write(dir, GlueTask.RTE, GlueSplit.TEST, new int[] {7}, new int[] {2}, CONF));
        assertTrue(e.getMessage().contains("example 7") && e.getMessage().contains("[0, 2)"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> GlueSubmission.writeScores(dir, GlueTask.STSB, GlueSplit.TEST, new int[] {0}, new float[] {Float.NaN}, CONF));
        Files.writeString(tmp.resolve("QNLI.tsv"), "index\tprediction\n0\tentailment\n1\tmaybe\n");
        IOException r = assertThrows(IOException.class,
                () -> GlueSubmission.read(new Path(tmp.resolve("QNLI.tsv").toUri()), GlueTask.QNLI, CONF));
        assertTrue(r.getMessage().contains("QNLI.tsv:3") && r.getMessage().contains("'maybe'"), r.getMessage());
    }
}
