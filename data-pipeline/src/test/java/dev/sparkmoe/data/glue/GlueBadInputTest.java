package dev.sparkmoe.data.glue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparkmoe.data.BadRecordException;
import dev.sparkmoe.data.SkipReport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GlueBadInputTest {
    private static final Configuration CONF = new Configuration();

    @TempDir
    java.nio.file.Path tmp;

    /** RTE dev: 2 good rows, then one of each skip reason. */
    private Path badRte() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("index\tsentence1\tsentence2\tlabel\n"
                + "0\tA dog runs.\tAn animal runs.\tentailment\n"
                + "\n"                                                   // line 3: empty
                + "2\tOnly two columns\n"                                // line 4: wrong count
                + "3\tA.\tB.\tmaybe\n"                                   // line 5: label
                + "x4\tA.\tB.\tentailment\n"                             // line 6: index
                + "5\tCaf").getBytes(StandardCharsets.UTF_8));
        out.write(0xE9);                                                 // line 7: Latin-1 é
        out.writeBytes("\tB.\tentailment\n6\tA cat.\tA pet.\tnot_entailment\n".getBytes(StandardCharsets.UTF_8));
        return GlueFixtures.write(tmp, "RTE", "dev.tsv", out.toByteArray());
    }

    @Test
    void lenientReadCountsEachReason() throws IOException {
        GlueData d = GlueTsvReader.read(badRte(), GlueTask.RTE, GlueSplit.DEV, CONF, false);
        assertEquals(2, d.size());
        assertEquals(6, d.examples().get(1).index());
        SkipReport s = d.skips();
        assertEquals(5, s.total());
        for (String r : new String[] {GlueTsvReader.EMPTY_LINE, GlueTsvReader.WRONG_COLUMN_COUNT,
                GlueTsvReader.UNPARSABLE_LABEL, GlueTsvReader.MALFORMED_ROW, GlueTsvReader.NON_UTF8}) {
            assertEquals(1, s.count(r), r + " in " + s);
        }
        assertTrue(s.firstPlace(GlueTsvReader.WRONG_COLUMN_COUNT).contains("dev.tsv:4: 2 tab-separated columns; expected 4"),
                s.toString());
        assertTrue(s.firstPlace(GlueTsvReader.UNPARSABLE_LABEL).contains("'maybe'")
                && s.firstPlace(GlueTsvReader.UNPARSABLE_LABEL).contains("[entailment, not_entailment]"), s.toString());
        assertTrue(s.firstPlace(GlueTsvReader.NON_UTF8).contains("dev.tsv:7: byte 0xE9 at byte column 6"), s.toString());
    }

    @Test
    void strictReadFailsAtTheFirstBadLine() throws IOException {
        Path root = badRte();
        BadRecordException e = assertThrows(BadRecordException.class,
                () -> GlueTsvReader.read(root, GlueTask.RTE, GlueSplit.DEV, CONF, true));
        assertEquals(3, e.line());
        assertEquals(GlueTsvReader.EMPTY_LINE, e.reason());
        assertTrue(e.getMessage().contains("RTE/dev.tsv:3"), e.getMessage());
    }

    @Test
    void badScoreAndBadColaLabel() throws IOException {
        Path root = GlueFixtures.write(tmp, "STS-B", "dev.tsv", GlueFixtures.STSB_DEV.replace("4.750", "n/a")
                .replace("5.000", "7.5"));
        GlueData d = GlueTsvReader.read(root, GlueTask.STSB, GlueSplit.DEV, CONF, false);
        assertEquals(2, d.skips().count(GlueTsvReader.UNPARSABLE_LABEL));
        assertTrue(d.skips().firstPlace(GlueTsvReader.UNPARSABLE_LABEL).contains("'score' (column 10)"), d.skips().toString());

        GlueFixtures.write(tmp, "CoLA", "train.tsv", "gj04\t2\t\tA sentence.\ngj04\t1\t\tA sentence\twith a tab.\n");
        BadRecordException e = assertThrows(BadRecordException.class,
                () -> GlueTsvReader.read(root, GlueTask.COLA, GlueSplit.TRAIN, CONF, true));
        assertTrue(e.getMessage().contains("CoLA/train.tsv:1") && e.getMessage().contains("'2' in column 2"), e.getMessage());
        GlueData c = GlueTsvReader.read(root, GlueTask.COLA, GlueSplit.TRAIN, CONF, false);
        assertEquals(0, c.size());
        assertEquals(1, c.skips().count(GlueTsvReader.WRONG_COLUMN_COUNT));
    }

    @Test
    void headerWithoutNeededColumnAndEmptyFileAreFatal() throws IOException {
        Path root = GlueFixtures.write(tmp, "MNLI", "dev_matched.tsv", GlueFixtures.MNLI_DEV.replace("gold_label", "gold"));
        IOException e = assertThrows(IOException.class,
                () -> GlueTsvReader.read(root, GlueTask.MNLI, GlueSplit.DEV_MATCHED, CONF, false));
        assertTrue(e.getMessage().contains("dev_matched.tsv:1") && e.getMessage().contains("no column 'gold_label'"),
                e.getMessage());
        GlueFixtures.write(tmp, "QQP", "dev.tsv", "");
        IOException empty = assertThrows(IOException.class,
                () -> GlueTsvReader.read(root, GlueTask.QQP, GlueSplit.DEV, CONF, false));
        assertTrue(empty.getMessage().contains("empty GLUE file") && empty.getMessage().contains("QQP/dev.tsv"),
                empty.getMessage());
    }
}
