package dev.sparkmoe.data.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparkmoe.data.SkipReport;
import dev.sparkmoe.data.lm.SequencePacker;
import dev.sparkmoe.data.text.Vocabulary;
import dev.sparkmoe.data.wikitext.EmbeddedCorpus;
import dev.sparkmoe.data.wikitext.TokenIds;
import dev.sparkmoe.data.wikitext.WikiTextCorpus;
import dev.sparkmoe.data.wikitext.WikiTextOptions;
import dev.sparkmoe.data.wikitext.WikiTextParquetFiles;
import dev.sparkmoe.data.wikitext.WikiTextSplit;
import dev.sparkmoe.data.wikitext.WikiTextVariant;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** WikiText on Spark against the single-process reader, on real files through Hadoop's FileSystem. */
class WikiTextSparkTest {
    private static final Configuration CONF = new Configuration();
    private static final int S = 32;

    private static SparkSession spark;
    private static JavaSparkContext sc;
    private static WikiTextCorpus corpus;
    private static Vocabulary vocab;

    @TempDir
    static java.nio.file.Path tmp;

    @BeforeAll
    static void start() throws IOException {
        spark = SparkTestSupport.session("WikiTextSparkTest");
        sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        corpus = EmbeddedCorpus.open(CONF);
        vocab = corpus.buildVocabulary(WikiTextSplit.TRAIN, 3000, 2);
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @Test
    void sparkVocabularyEqualsTheLocalOne() throws IOException {
        WikiTextTextSource src = WikiTextTextSource.open(sc, corpus.file(WikiTextSplit.TRAIN), 3);
        assertEquals(vocab, WikiTextSpark.buildVocabulary(src, corpus.tokenizer(), corpus.options(), 3000, 2));
        Vocabulary all = corpus.buildVocabulary(WikiTextSplit.TRAIN, Integer.MAX_VALUE, 1);
        assertEquals(all, WikiTextSpark.buildVocabulary(src, corpus.tokenizer(), corpus.options(), Integer.MAX_VALUE, 1));
    }

    @Test
    void blocksAreTheSequencePackersBlocksEvenlyPartitioned() throws IOException {
        TokenIds local = corpus.tokenIds(WikiTextSplit.VALID, vocab);
        SequencePacker packer = new SequencePacker(local.ids(), S);
        WikiTextTextSource src = WikiTextTextSource.open(sc, corpus.file(WikiTextSplit.VALID), 5);
        TokenBlockRDD blocks = WikiTextSpark.tokenBlocks(src, corpus.tokenizer(), corpus.options(), vocab, S, 3);
        try {
            assertEquals(local.length(), blocks.tokenCount());
            assertEquals(local.unknown(), blocks.unknownCount());
            assertEquals(packer.blockCount(), blocks.layout().items());
            List<TokenBlocks> parts = blocks.blocks().collect();
            assertEquals(3, parts.size());
            int min = Integer.MAX_VALUE;
            int max = 0;
            long next = 0;
            for (TokenBlocks tb : parts) {
                min = Math.min(min, tb.count());
                max = Math.max(max, tb.count());
                assertEquals(next, tb.firstBlock());
                for (int i = 0; i < tb.count(); i++) {
                    int[] row = new int[S + 1];
                    tb.copyBlock(i, row, 0);
                    assertArrayEquals(packer.block((int) next + i), row, "block " + (next + i));
                }
                next += tb.count();
            }
            assertTrue(max - min <= 1, "partition sizes " + min + ".." + max);
            for (long step : new long[] {4, 0, 11, 4}) {
                int[][] batch = blocks.collectBatch(7, step, 6);
                int[][] expected = packer.batch(7, step, 6);
                for (int b = 0; b < 6; b++) {
                    assertArrayEquals(expected[b], batch[b], "step " + step + " row " + b);
                }
            }
        } finally {
            blocks.unpersist();
        }
    }

    @Test
    void skipCountsReachTheDriver() throws IOException {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        byte[] lead = "stray text before any heading \n = = Orphan section = = \n".getBytes(StandardCharsets.UTF_8);
        text.write(lead, 0, lead.length);
        for (int a = 0; a < 30; a++) {
            String body = " = Article " + a + " = \n \n a b c " + a + " d e f . \n = broken = = \n"
                    + " = = Section = = \n g h i j k l m n o p . \n";
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            text.write(b, 0, b.length);
            text.write(new byte[] {' ', 'x', (byte) 0xFF, ' ', '\n'}, 0, 5);
        }
        java.nio.file.Path dir = tmp.resolve("bad");
        Files.createDirectories(dir);
        for (WikiTextSplit s : WikiTextSplit.values()) {
            Files.write(dir.resolve(s.fileName(WikiTextVariant.TOKENS)), text.toByteArray());
        }
        WikiTextCorpus bad = WikiTextCorpus.open(new Path(dir.toUri()), CONF);
        TokenIds local = bad.tokenIds(WikiTextSplit.TRAIN, vocab);
        WikiTextTextSource src = WikiTextTextSource.open(sc, bad.file(WikiTextSplit.TRAIN), 7);
        TokenBlockRDD blocks = WikiTextSpark.tokenBlocks(src, bad.tokenizer(), bad.options(), vocab, 4, 2);
        try {
            SkipReport skips = blocks.skips();
            assertEquals(local.skips().counts(), skips.counts());
            assertEquals(2, skips.count("before-first-heading"));
            assertEquals(30, skips.count("malformed-heading"));
            assertEquals(30, skips.count("non-utf8"));
            assertTrue(skips.firstPlace("non-utf8").contains("wiki.train.tokens@"), skips.toString());
            assertEquals(local.length(), blocks.tokenCount());
            int[][] expected = new SequencePacker(local.ids(), 4).batch(1, 3, 9);
            int[][] batch = blocks.collectBatch(1, 3, 9);
            for (int b = 0; b < 9; b++) {
                assertArrayEquals(expected[b], batch[b], "row " + b);
            }
        } finally {
            blocks.unpersist();
        }
        org.apache.spark.SparkException e = org.junit.jupiter.api.Assertions.assertThrows(
                org.apache.spark.SparkException.class, () -> WikiTextSpark.tokenBlocks(src, bad.tokenizer(),
                        bad.options().withStrict(true), vocab, 4, 2));
        assertTrue(e.getMessage().contains("wiki.train.tokens@") && e.getMessage().contains("expected"),
                e.getMessage());
    }

    @Test
    void parquetExportEqualsTheTextFile() throws IOException {
        java.nio.file.Path file = java.nio.file.Paths.get(corpus.file(WikiTextSplit.TEST).toUri());
        List<String> lines = List.of(new String(Files.readAllBytes(file), StandardCharsets.UTF_8).split("\n", -1));
        List<String> rows = lines.subList(0, lines.size() - 1); // the text ends with a line end: no row after it
        int half = rows.size() / 2;
        String out = tmp.resolve("parquet").toUri().toString();
        spark.createDataset(rows.subList(0, half), org.apache.spark.sql.Encoders.STRING()).toDF("text")
                .coalesce(1).write().parquet(out + "/train-00000-of-00002.parquet");
        spark.createDataset(rows.subList(half, rows.size()), org.apache.spark.sql.Encoders.STRING()).toDF("text")
                .coalesce(1).write().parquet(out + "/train-00001-of-00002.parquet");

        WikiTextParquet pq = WikiTextParquet.open(spark, out + "/*", "text", 3);
        try {
            WikiTextOptions o = corpus.options();
            assertEquals(corpus.buildVocabulary(WikiTextSplit.TEST, 500, 1),
                    WikiTextSpark.buildVocabulary(pq, corpus.tokenizer(), o, 500, 1));
            TokenIds local = corpus.tokenIds(WikiTextSplit.TEST, vocab);
            TokenIds single = WikiTextParquetFiles.tokenIds(new Path(out), CONF, "text", corpus.tokenizer(), o, vocab);
            assertArrayEquals(local.ids(), single.ids(), "parquet-hadoop reader == text reader");
            assertEquals(local.lines(), single.lines());
            assertEquals(corpus.buildVocabulary(WikiTextSplit.TEST, 500, 1),
                    WikiTextParquetFiles.buildVocabulary(new Path(out), CONF, "text", corpus.tokenizer(), o, 500, 1));
            TokenBlockRDD blocks = WikiTextSpark.tokenBlocks(pq, corpus.tokenizer(), o, vocab, S, 2);
            try {
                assertEquals(local.length(), blocks.tokenCount());
                SequencePacker packer = new SequencePacker(local.ids(), S);
                long next = 0;
                for (TokenBlocks tb : blocks.blocks().collect()) {
                    for (int i = 0; i < tb.count(); i++, next++) {
                        int[] row = new int[S + 1];
                        tb.copyBlock(i, row, 0);
                        assertArrayEquals(packer.block((int) next), row, "block " + next);
                    }
                }
                assertEquals(packer.blockCount(), next);
            } finally {
                blocks.unpersist();
            }
        } finally {
            pq.unpersist();
        }
    }

    @Test
    void nullParquetValuesAreCountedOnBothPaths() throws IOException {
        String out = tmp.resolve("nulls.parquet").toUri().toString();
        java.util.List<String> rows = java.util.Arrays.asList(" = A = ", null, " one two three four five six . ", "",
                null, " = = Sec = = ", " seven eight nine ten . ");
        spark.createDataset(rows, org.apache.spark.sql.Encoders.STRING()).toDF("text").coalesce(1).write().parquet(out);
        TokenIds single = WikiTextParquetFiles.tokenIds(new Path(out), CONF, "text", corpus.tokenizer(),
                corpus.options(), vocab);
        assertEquals(2, single.skips().count(WikiTextParquetFiles.NULL_TEXT), single.skips().toString());
        WikiTextParquet pq = WikiTextParquet.open(spark, out, "text", 2);
        TokenBlockRDD blocks = WikiTextSpark.tokenBlocks(pq, corpus.tokenizer(), corpus.options(), vocab, 2, 2);
        try {
            assertEquals(single.skips().counts(), blocks.skips().counts());
            assertEquals(single.length(), blocks.tokenCount());
            assertTrue(blocks.skips().firstPlace("null-text").contains("@1:"), blocks.skips().toString());
        } finally {
            blocks.unpersist();
            pq.unpersist();
        }
    }
}
