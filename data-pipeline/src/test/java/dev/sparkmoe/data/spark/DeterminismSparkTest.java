package dev.sparkmoe.data.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparkmoe.data.text.Vocabulary;
import dev.sparkmoe.data.wikitext.EmbeddedCorpus;
import dev.sparkmoe.data.wikitext.WikiTextCorpus;
import dev.sparkmoe.data.wikitext.WikiTextSplit;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;

/**
 * Per-step samples are the same in two independent SparkContexts (different piece and partition
 * counts, steps asked in different orders), for token blocks and feature blocks.
 */
class DeterminismSparkTest {
    private static final long SEED = 1234;
    private static final int B = 8;

    @Test
    void tokenBatchesAgreeAcrossContextsAndCallOrders() throws IOException {
        WikiTextCorpus corpus = EmbeddedCorpus.open(new Configuration());
        Vocabulary vocab = corpus.buildVocabulary(WikiTextSplit.VALID, 1000, 1);
        long[] stepsA = {0, 1, 2, 3, 9};
        long[] stepsB = {9, 3, 0, 2, 1};
        List<int[][]> a = tokenRun(corpus, vocab, 2, 3, stepsA);
        List<int[][]> b = tokenRun(corpus, vocab, 5, 2, stepsB);
        for (int i = 0; i < stepsA.length; i++) {
            int j = indexOf(stepsB, stepsA[i]);
            for (int r = 0; r < B; r++) {
                assertArrayEquals(a.get(i)[r], b.get(j)[r], "step " + stepsA[i] + " row " + r);
            }
        }
    }

    private static List<int[][]> tokenRun(WikiTextCorpus corpus, Vocabulary vocab, int pieces, int partitions,
                                          long[] steps) throws IOException {
        try (JavaSparkContext sc = new JavaSparkContext(SparkTestSupport.conf("determinism-" + pieces))) {
            WikiTextTextSource src = WikiTextTextSource.open(sc, corpus.file(WikiTextSplit.VALID), pieces);
            TokenBlockRDD blocks = WikiTextSpark.tokenBlocks(src, corpus.tokenizer(), corpus.options(), vocab, 16,
                    partitions);
            List<int[][]> out = new ArrayList<>();
            for (long s : steps) {
                out.add(blocks.collectBatch(SEED, s, B));
            }
            return out;
        }
    }

    @Test
    void featureBlocksAreEvenAndSampledDeterministically() {
        int n = 47;
        int width = 5;
        List<FeatureRow> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            float[] x = new float[width];
            for (int j = 0; j < width; j++) {
                x[j] = i * 10 + j;
            }
            rows.add(new FeatureRow(x, i % 3, i % 2));
        }
        List<List<FeatureBatch>> runs = new ArrayList<>();
        int[][] parts = {{3, 4}, {2, 3}}; // {input slices, data partitions}
        for (int[] pc : parts) {
            try (JavaSparkContext sc = new JavaSparkContext(SparkTestSupport.conf("features-" + pc[1]))) {
                JavaRDD<FeatureRow> in = sc.parallelize(rows, pc[0]);
                FeatureBlockRDD fb = FeatureBlockRDD.of(in, pc[1]);
                assertEquals(width, fb.width());
                int min = Integer.MAX_VALUE;
                int max = 0;
                for (FeatureBlocks blk : fb.blocks().collect()) {
                    min = Math.min(min, blk.count());
                    max = Math.max(max, blk.count());
                    for (int i = 0; i < blk.count(); i++) {
                        long k = blk.firstRow() + i;
                        assertEquals(k * 10, blk.x()[i * width], "row " + k);
                        assertEquals(k % 3, blk.labels()[i]);
                        assertEquals(k % 2, blk.domains()[i]);
                    }
                }
                assertTrue(max - min <= 1, "sizes " + min + ".." + max);
                List<FeatureBatch> steps = new ArrayList<>();
                for (long s = 0; s < 6; s++) {
                    steps.addAll(fb.batch(SEED, s, 10).collect());
                }
                runs.add(steps);
                fb.unpersist();
            }
        }
        // Same (row -> example) for every step in both runs; every example drawn once in the first epoch.
        float[][] byRun = new float[2][6 * 10];
        for (int r = 0; r < 2; r++) {
            int step = -1;
            int lastPartition = Integer.MAX_VALUE;
            for (FeatureBatch fbt : runs.get(r)) {
                if (fbt.partition() <= lastPartition) {
                    step++;
                }
                lastPartition = fbt.partition();
                for (int i = 0; i < fbt.size(); i++) {
                    byRun[r][step * 10 + fbt.rows()[i]] = fbt.x()[i * width] / 10f;
                    assertEquals(fbt.indices()[i] % 3, fbt.labels()[i]);
                }
            }
        }
        assertArrayEquals(byRun[0], byRun[1]);
        boolean[] seen = new boolean[n];
        for (int g = 0; g < n; g++) {
            int k = (int) byRun[0][g];
            assertTrue(!seen[k], "example " + k + " twice in epoch 0");
            seen[k] = true;
        }
    }

    private static int indexOf(long[] a, long v) {
        for (int i = 0; i < a.length; i++) {
            if (a[i] == v) {
                return i;
            }
        }
        throw new AssertionError(v);
    }
}
