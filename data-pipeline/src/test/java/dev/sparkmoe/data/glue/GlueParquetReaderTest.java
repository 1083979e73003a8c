package dev.sparkmoe.data.glue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparkmoe.data.BadRecordException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GlueParquetReaderTest {
    private static SparkSession spark;

    @TempDir
    static java.nio.file.Path tmp;

    @BeforeAll
    static void start() {
        spark = SparkSession.builder().master("local[1]").appName("glue-parquet-test")
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "1").getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    /** Writes rows as one parquet file at {@code hub/<config>/<name>} (the hubs' layout). */
    private static Path writeHubFile(String config, String name, StructType schema, List<Row> rows) throws IOException {
        java.nio.file.Path out = tmp.resolve("spark-" + config + "-" + name);
        spark.createDataFrame(rows, schema).coalesce(1).write().parquet(out.toString());
        java.nio.file.Path part;
        try (var s = Files.list(out)) {
            part = s.filter(p -> p.getFileName().toString().endsWith(".parquet")).findFirst().orElseThrow();
        }
        java.nio.file.Path dir = Files.createDirectories(tmp.resolve("hub").resolve(config));
        Files.move(part, dir.resolve(name));
        return new Path(tmp.resolve("hub").toUri());
    }

    private static StructType pairSchema(String a, String b, boolean floatLabel) {
        return new StructType().add(a, DataTypes.StringType).add(b, DataTypes.StringType)
                .add("label", floatLabel ? DataTypes.FloatType : DataTypes.LongType).add("idx", DataTypes.IntegerType);
    }

    @Test
    void readsHubLayoutCountsBadRowsAndSortsByIdx() throws IOException {
        Path hub = writeHubFile("mnli", "validation_matched-00000-of-00001.parquet",
                pairSchema("premise", "hypothesis", false), Arrays.asList(
                        RowFactory.create("He said \"hi.", "He spoke.", 0L, 1),
                        RowFactory.create("A cat sat.", "A dog sat.", 2L, 0),
                        RowFactory.create("Bad label.", "x", 3L, 2),
                        RowFactory.create(null, "No premise.", 1L, 3)));
        GlueData d = GlueParquetReader.read(spark, hub, GlueTask.MNLI, GlueSplit.DEV_MATCHED, false);
        assertEquals(List.of(GlueExample.classified(0, "A cat sat.", "A dog sat.", 2),
                GlueExample.classified(1, "He said \"hi.", "He spoke.", 0)), d.examples());
        assertEquals(1, d.skips().count(GlueTsvReader.UNPARSABLE_LABEL));
        assertEquals(1, d.skips().count(GlueTsvReader.MALFORMED_ROW));
        BadRecordException e = assertThrows(BadRecordException.class,
                () -> GlueParquetReader.read(spark, hub, GlueTask.MNLI, GlueSplit.DEV_MATCHED, true));
        assertTrue(e.getMessage().contains("validation_matched-00000-of-00001.parquet:3")
                && e.getMessage().contains("[0, 3)"), e.getMessage());
    }

    @Test
    void singleSentenceScoresAndTestSplits() throws IOException {
        Path hub = writeHubFile("stsb", "validation-00000-of-00001.parquet", pairSchema("sentence1", "sentence2", true),
                List.of(RowFactory.create("A man.", "A person.", 4.25f, 0)));
        assertEquals(4.25f, GlueParquetReader.read(spark, hub, GlueTask.STSB, GlueSplit.DEV, true).examples().get(0).score());

        StructType single = new StructType().add("sentence", DataTypes.StringType).add("label", DataTypes.LongType)
                .add("idx", DataTypes.IntegerType);
        writeHubFile("cola", "test-00000-of-00001.parquet", single, List.of(RowFactory.create("Bill whistled.", -1L, 0)));
        GlueData t = GlueParquetReader.read(spark, hub, GlueTask.COLA, GlueSplit.TEST, true);
        assertEquals(List.of(GlueExample.unlabelled(0, "Bill whistled.", null)), t.examples());
    }

    @Test
    void missingSplitAndMissingColumnAreNamed() throws IOException {
        Path hub = writeHubFile("rte", "train-00000-of-00001.parquet", pairSchema("premise", "hypothesis", false),
                List.of(RowFactory.create("a", "b", 0L, 0)));
        FileNotFoundException nf = assertThrows(FileNotFoundException.class,
                () -> GlueParquetReader.read(spark, hub, GlueTask.RTE, GlueSplit.DEV, true));
        assertTrue(nf.getMessage().contains("rte/validation-*.parquet"), nf.getMessage());
        IOException e = assertThrows(IOException.class,
                () -> GlueParquetReader.read(spark, hub, GlueTask.RTE, GlueSplit.TRAIN, true));
        assertTrue(e.getMessage().contains("no column 'sentence1'"), e.getMessage());
    }
    @Test
    void taskDataLoadsTheAskedSplitsAndNamesAMissingOne() throws IOException {
        StructType schema = pairSchema("sentence1", "sentence2", false);
        writeHubFile("wnli", "train-00000-of-00001.parquet", schema,
                List.of(RowFactory.create("A man sleeps.", "A man rests.", 0L, 0)));
        Path hub = writeHubFile("wnli", "validation-00000-of-00001.parquet", schema,
                List.of(RowFactory.create("It rains.", "It is dry.", 1L, 0)));
        GlueTaskData data = GlueTaskData.loadParquet(spark, GlueTask.WNLI, hub,
                List.of(GlueSplit.TRAIN, GlueSplit.DEV), true);
        assertEquals(List.of(GlueExample.classified(0, "It rains.", "It is dry.", 1)), data.split(GlueSplit.DEV).examples());
        assertEquals(List.of(GlueSplit.DEV), data.labelledEvaluationSplits());
        java.io.FileNotFoundException e = assertThrows(java.io.FileNotFoundException.class,
                () -> GlueTaskData.loadParquet(spark, GlueTask.WNLI, hub, GlueTask.WNLI.splits(), true));
        assertTrue(e.getMessage().startsWith("GLUE WNLI TEST: expected parquet files test-*.parquet under "),
                e.getMessage());
    }
}
