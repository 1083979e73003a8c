package dev.sparkmoe.data.glue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GlueTaskDataTest {
    private static final Configuration CONF = new Configuration();

    @TempDir
    java.nio.file.Path tmp;

    @Test
    void loadsEveryMnliSplitFromATsvRoot() throws IOException {
        GlueFixtures.write(tmp, "MNLI", "train.tsv", GlueFixtures.MNLI_TRAIN);
        GlueFixtures.write(tmp, "MNLI", "dev_matched.tsv", GlueFixtures.MNLI_DEV);
        GlueFixtures.write(tmp, "MNLI", "dev_mismatched.tsv", GlueFixtures.MNLI_DEV);
        GlueFixtures.write(tmp, "MNLI", "test_matched.tsv", GlueFixtures.MNLI_TEST);
        Path root = GlueFixtures.write(tmp, "MNLI", "test_mismatched.tsv", GlueFixtures.MNLI_TEST);
        GlueTaskData data = GlueTaskData.load(GlueTask.MNLI, root, CONF, false);
        assertEquals(GlueTask.MNLI.splits(), data.splits());
        assertEquals(2, data.split(GlueSplit.TRAIN).size());
        assertTrue(data.split(GlueSplit.DEV_MATCHED).size() > 0);
        assertFalse(data.split(GlueSplit.TEST_MATCHED).examples().get(0).hasLabel());
        assertEquals(List.of(GlueSplit.DEV_MATCHED, GlueSplit.DEV_MISMATCHED), data.labelledEvaluationSplits());
        assertTrue(data.summary().contains("TEST_MISMATCHED"), data.summary());
        assertEquals(0, data.split(GlueSplit.TRAIN).skips().total());
    }

    @Test
    void keepsWhatTheReaderSkipped() throws IOException {
        Path root = GlueFixtures.write(tmp, "SST-2", "train.tsv", GlueFixtures.SST2_TRAIN + "bad row without label\n");
        GlueTaskData data = GlueTaskData.loadTsv(GlueTask.SST2, root, List.of(GlueSplit.TRAIN), CONF, false);
        assertEquals(List.of(GlueSplit.TRAIN), data.splits());
        assertEquals(1, data.split(GlueSplit.TRAIN).skips().count(GlueTsvReader.WRONG_COLUMN_COUNT));
        assertThrows(IllegalArgumentException.class, () -> data.split(GlueSplit.DEV));
    }

    @Test
    void aMissingFileNamesTheTaskTheSplitAndThePathsLookedFor() throws IOException {
        Path root = GlueFixtures.write(tmp, "RTE", "train.tsv", GlueFixtures.RTE_TRAIN);
        FileNotFoundException e = assertThrows(FileNotFoundException.class,
                () -> GlueTaskData.load(GlueTask.RTE, root, CONF, true));
        assertTrue(e.getMessage().startsWith("GLUE RTE DEV: expected the TSV file dev.tsv"), e.getMessage());
        assertTrue(e.getMessage().contains(new Path(new Path(root, "RTE"), "dev.tsv").toString()), e.getMessage());
        Path nowhere = new Path(tmp.resolve("nowhere").toUri());
        FileNotFoundException d = assertThrows(FileNotFoundException.class,
                () -> GlueTaskData.load(GlueTask.RTE, nowhere, CONF, true));
        assertTrue(d.getMessage().contains("data directory not found: " + nowhere), d.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> GlueTaskData.loadTsv(GlueTask.RTE, root, List.of(GlueSplit.DEV_MATCHED), CONF, true));
    }

    @Test
    void noDirectoryMeansTheEmbeddedTaskWithItsLabelledTest() throws IOException {
        GlueTaskData data = GlueTaskData.load(GlueTask.COLA, null, CONF, true);
        assertEquals(List.of(GlueSplit.TRAIN, GlueSplit.DEV, GlueSplit.TEST), data.splits());
        assertTrue(data.split(GlueSplit.TRAIN).size() > 1000);
        assertTrue(data.split(GlueSplit.TEST).examples().stream().allMatch(GlueExample::hasLabel));
        assertEquals(List.of(GlueSplit.DEV, GlueSplit.TEST), data.labelledEvaluationSplits());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GlueTaskData.load(GlueTask.SST2, null, CONF, true));
        assertTrue(e.getMessage().contains("SST-2 needs a data directory"), e.getMessage());
    }
}
