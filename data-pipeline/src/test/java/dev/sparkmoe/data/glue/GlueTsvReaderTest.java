package dev.sparkmoe.data.glue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GlueTsvReaderTest {
    private static final Configuration CONF = new Configuration();

    @TempDir
    java.nio.file.Path tmp;

    private GlueData read(GlueTask task, GlueSplit split, String content) throws IOException {
        Path root = GlueFixtures.write(tmp, task.folder(), task.fileName(split), content);
        return GlueTsvReader.read(root, task, split, CONF, true);
    }

    @Test
    void colaHasNoHeaderAndFourColumns() throws IOException {
        GlueData d = read(GlueTask.COLA, GlueSplit.TRAIN, GlueFixtures.COLA_TRAIN);
        assertEquals(3, d.size());
        assertEquals(GlueExample.classified(1, "They drank the pub.", null, 0), d.examples().get(1));
        assertEquals(1, d.examples().get(2).label());
        GlueData t = read(GlueTask.COLA, GlueSplit.TEST, GlueFixtures.COLA_TEST);
        assertEquals(GlueExample.unlabelled(1, "The car honked down the road.", null), t.examples().get(1));
    }

    @Test
    void singleSentenceAndPairTasks() throws IOException {
        GlueData sst = read(GlueTask.SST2, GlueSplit.TRAIN, GlueFixtures.SST2_TRAIN);
        assertEquals(List.of(0, 0, 1), sst.examples().stream().map(GlueExample::label).toList());
        assertEquals("that loves its characters ", sst.examples().get(2).textA());
        assertEquals(0, read(GlueTask.SST2, GlueSplit.TEST, GlueFixtures.SST2_TEST).examples().get(0).index());

        GlueData mrpc = read(GlueTask.MRPC, GlueSplit.TRAIN, GlueFixtures.MRPC_TRAIN); // BOM before "Quality"
        assertEquals(GlueExample.classified(0, "Amrozi accused his brother.",
                "Referring to him only as \" the witness \", Amrozi accused.", 1), mrpc.examples().get(0));
        assertEquals("Common Stock.", read(GlueTask.MRPC, GlueSplit.TEST, GlueFixtures.MRPC_TEST).examples().get(0).textB());

        GlueData qqp = read(GlueTask.QQP, GlueSplit.TRAIN, GlueFixtures.QQP_TRAIN);
        assertEquals(402555, qqp.examples().get(1).index());
        assertEquals("How do you control your \"horniness?", qqp.examples().get(1).textB()); // QUOTE_NONE
        assertEquals("Find me a \"good\" book?", read(GlueTask.QQP, GlueSplit.TEST, GlueFixtures.QQP_TEST)
                .examples().get(0).textB());

        assertEquals(List.of(0, 1), read(GlueTask.QNLI, GlueSplit.DEV, GlueFixtures.QNLI_DEV).examples().stream()
                .map(GlueExample::label).toList());
        assertEquals(1, read(GlueTask.RTE, GlueSplit.TRAIN, GlueFixtures.RTE_TRAIN).examples().get(0).label());
        assertEquals(List.of(1, 0), read(GlueTask.WNLI, GlueSplit.TRAIN, GlueFixtures.WNLI_TRAIN).examples().stream()
                .map(GlueExample::label).toList());
        GlueData ax = read(GlueTask.AX, GlueSplit.TEST, GlueFixtures.AX);
        assertEquals("The cat did not sit on the mat.", ax.examples().get(0).textB());
    }

    @Test
    void stsbScoresAreFloats() throws IOException {
        GlueData d = read(GlueTask.STSB, GlueSplit.DEV, GlueFixtures.STSB_DEV);
        assertEquals(4.75f, d.examples().get(1).score());
        assertEquals(GlueExample.NO_LABEL, d.examples().get(1).label());
        GlueExample t = read(GlueTask.STSB, GlueSplit.TEST, GlueFixtures.STSB_TEST).examples().get(0);
        assertTrue(Float.isNaN(t.score()) && !t.hasLabel());
    }

    @Test
    void mnliTrainDevAndTestHaveTheirOwnColumns() throws IOException {
        GlueData train = read(GlueTask.MNLI, GlueSplit.TRAIN, GlueFixtures.MNLI_TRAIN);
        assertEquals(List.of(1, 0), train.examples().stream().map(GlueExample::label).toList());
        assertEquals("you know \"during the season", train.examples().get(1).textA());
        GlueData dev = read(GlueTask.MNLI, GlueSplit.DEV_MATCHED, GlueFixtures.MNLI_DEV);
        assertEquals(List.of(1, 2), dev.examples().stream().map(GlueExample::label).toList());
        GlueData mm = read(GlueTask.MNLI, GlueSplit.DEV_MISMATCHED, GlueFixtures.MNLI_DEV);
        assertEquals(2, mm.size());
        GlueExample test = read(GlueTask.MNLI, GlueSplit.TEST_MISMATCHED, GlueFixtures.MNLI_TEST).examples().get(0);
        assertEquals("He spoke.", test.textB());
        assertTrue(!test.hasLabel());
    }

    @Test
    void nliTestFilesHaveNoLabel() throws IOException {
        String pair = "index\tsentence1\tsentence2\n0\tA man sleeps.\tA person rests.\n";
        for (GlueTask t : new GlueTask[] {GlueTask.RTE, GlueTask.WNLI}) {
            assertEquals(List.of(GlueExample.unlabelled(0, "A man sleeps.", "A person rests.")),
                    read(t, GlueSplit.TEST, pair).examples(), t.toString());
        }
        GlueData q = read(GlueTask.QNLI, GlueSplit.TEST, "index\tquestion\tsentence\n7\tWho?\tHe did.\n");
        assertEquals(List.of(GlueExample.unlabelled(7, "Who?", "He did.")), q.examples());
    }

    @Test
    void taskFolderItselfMayBeGiven() throws IOException {
        GlueFixtures.write(tmp, "RTE", "train.tsv", GlueFixtures.RTE_TRAIN);
        GlueData d = GlueTsvReader.read(new Path(tmp.resolve("RTE").toUri()), GlueTask.RTE, GlueSplit.TRAIN, CONF, true);
        assertEquals(1, d.size());
    }

    @Test
    void registryNamesUnknownTasksAndSplits() {
        assertEquals(GlueTask.SST2, GlueTask.of("sst-2"));
        assertEquals(GlueTask.STSB, GlueTask.of("STS_B"));
        assertEquals(GlueTask.MNLI, GlueTask.of("MNLI"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GlueTask.of("squad"));
        assertTrue(e.getMessage().contains("'squad'") && e.getMessage().contains("CoLA, SST-2"), e.getMessage());
        IllegalArgumentException s = assertThrows(IllegalArgumentException.class, () -> GlueTask.MNLI.fileName(GlueSplit.DEV));
        assertTrue(s.getMessage().contains("DEV_MATCHED"), s.getMessage());
        assertEquals(List.of("entailment", "neutral", "contradiction"), GlueTask.MNLI.labels());
        assertNull(GlueTask.COLA.parquetTextB());
    }

    @Test
    void missingFileNamesThePaths() {
        FileNotFoundException e = assertThrows(FileNotFoundException.class,
                () -> GlueTsvReader.read(new Path(tmp.toUri()), GlueTask.QNLI, GlueSplit.DEV, CONF, false));
        assertTrue(e.getMessage().contains("QNLI/dev.tsv"), e.getMessage());
    }
}
