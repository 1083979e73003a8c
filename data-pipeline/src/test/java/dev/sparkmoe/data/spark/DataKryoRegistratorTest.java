package dev.sparkmoe.data.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sparkmoe.data.SkipReport;
import dev.sparkmoe.data.domainbed.DomainImages;
import dev.sparkmoe.data.domainbed.ImageBlock;
import dev.sparkmoe.data.domainbed.ImageOptions;
import dev.sparkmoe.data.domainbed.LodoSplit;
import dev.sparkmoe.data.glue.GlueBatch;
import dev.sparkmoe.data.glue.GlueEvaluation;
import dev.sparkmoe.data.glue.GlueExample;
import dev.sparkmoe.data.glue.GlueSplit;
import dev.sparkmoe.data.glue.GlueTask;
import dev.sparkmoe.data.glue.ScoreCorrelation;
import dev.sparkmoe.data.text.Vocabulary;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.SerializerInstance;
import org.junit.jupiter.api.Test;
import scala.reflect.ClassTag$;

/** Every registered type survives Spark's Kryo with registration required (no SparkContext needed). */
class DataKryoRegistratorTest {
    private final SerializerInstance kryo = new KryoSerializer(SparkTestSupport.conf("kryo")).newInstance();

    @SuppressWarnings("unchecked")
    private <T> T roundTrip(T value) {
        ByteBuffer b = kryo.serialize(value, ClassTag$.MODULE$.apply(Object.class));
        return (T) kryo.deserialize(b, ClassTag$.MODULE$.apply(Object.class));
    }

    @Test
    void recordsRoundTrip() {
        SkipReport skips = new SkipReport(Map.of("non-utf8", 3L, "x", 1L), Map.of("non-utf8", "f@7: byte 0xFF"));
        assertEquals(skips, roundTrip(skips));
        Vocabulary v = Vocabulary.of(List.of("<pad>", "<unk>", "<eos>", "<cls>", "<sep>", "<mask>", "the", "é"));
        Vocabulary v2 = roundTrip(v);
        assertEquals(v, v2);
        assertEquals(7, v2.id("é"));
        assertEquals(new LineRange(2, 10, 20), roundTrip(new LineRange(2, 10, 20)));

        PieceIds p = roundTrip(new PieceIds(1, 3, new int[] {4, 5, 6}, 1, 2, 1, skips));
        assertArrayEquals(new int[] {4, 5, 6}, p.ids());
        assertEquals(skips, p.skips());
        assertEquals(List.of(1, 3, 1L, 2L, 1L), List.of(p.piece(), p.length(), p.unknown(), p.lines(), p.paragraphs()));

        TokenBlocks tb = roundTrip(new TokenBlocks(5, 2, 1, new int[] {1, 2, 3, 4}));
        assertEquals(List.of(5L, 2, 1), List.of(tb.firstBlock(), tb.count(), tb.seqLen()));
        assertArrayEquals(new int[] {1, 2, 3, 4}, tb.ids());

        TokenBatch bt = roundTrip(new TokenBatch(1, 8, new int[] {3}, new int[] {9}, 1, new int[] {7, 8}));
        assertArrayEquals(new int[] {7, 8}, bt.ids());
        assertArrayEquals(new int[] {9}, bt.blocks());

        FeatureRow r = roundTrip(new FeatureRow(new float[] {1.5f, -2f}, 3, 4));
        assertArrayEquals(new float[] {1.5f, -2f}, r.x());
        assertEquals(List.of(3, 4), List.of(r.label(), r.domain()));

        FeatureBlocks fb = roundTrip(new FeatureBlocks(7, 1, 2, new float[] {1, 2}, new int[] {5}, new int[] {6}));
        assertArrayEquals(new float[] {1, 2}, fb.x());
        assertArrayEquals(new int[] {6}, fb.domains());

        FeatureBatch fbt = roundTrip(new FeatureBatch(0, 4, new int[] {2}, new int[] {7}, 2, new float[] {1, 2},
                new int[] {5}, new int[] {6}));
        assertArrayEquals(new int[] {7}, fbt.indices());
        assertArrayEquals(new float[] {1, 2}, fbt.x());

        LineChunk c = roundTrip(new LineChunk(new String[] {"a.parquet"}, new int[] {0, 0}, new long[] {0, 1},
                new int[] {0, 2}, new int[] {2, -1}, new byte[] {'h', 'i'}));
        assertArrayEquals(new int[] {2, -1}, c.lengths());
        assertArrayEquals(new long[] {0, 1}, c.rows());
        assertEquals("a.parquet", c.files()[0]);
        assertArrayEquals(new byte[] {'h', 'i'}, c.data());
    }

    @Test
    void domainBedTypesRoundTrip() {
        ImageWork w = roundTrip(new ImageWork(2, new int[] {4, 9}));
        assertEquals(2, w.domain());
        assertArrayEquals(new int[] {4, 9}, w.indices());
        SkipReport skips = new SkipReport(Map.of("bad-image", 1L), Map.of("bad-image", "a.png: truncated"));
        ImageBlock b = roundTrip(new ImageBlock(1, 1, 1, 2, new int[] {3}, new int[] {5}, new float[] {0.5f, -1f},
                skips));
        assertEquals(List.of(1, 1, 1, 2), List.of(b.domain(), b.channels(), b.height(), b.width()));
        assertArrayEquals(new float[] {0.5f, -1f}, b.pixels());
        assertArrayEquals(new int[] {5}, b.labels());
        assertEquals(skips, b.skips());
        assertEquals(LodoPart.VAL, roundTrip(LodoPart.VAL));
        LodoSplit split = LodoSplit.of(new int[] {5, 4, 3}, 1, 0.4, 7);
        LodoSplit s2 = roundTrip(split);
        assertEquals(split.toString(), s2.toString());
        assertArrayEquals(split.val(2), s2.val(2));
        ImageOptions o = ImageOptions.raw(4, 3, 2);
        assertEquals(o, roundTrip(o));
        DomainImages d = new DomainImages("tiny", List.of("a", "b"), List.of("x"), 1, 1, 1,
                new float[][][] {{{1f}}, {{2f}, {3f}}}, new int[][] {{0}, {0, 0}}, SkipReport.EMPTY);
        DomainImages d2 = roundTrip(d);
        assertArrayEquals(new int[] {1, 2}, d2.domainSizes());
        assertEquals(3f, d2.image(1, 1)[0]);
    }

    @Test
    void glueTypesRoundTrip() {
        for (GlueExample e : List.of(GlueExample.classified(3, "a", "b", 1), GlueExample.scored(4, "x", "y", 2.5f),
                GlueExample.unlabelled(5, "z", null))) {
            assertEquals(e, roundTrip(e));
        }
        assertEquals(GlueTask.MNLI, roundTrip(GlueTask.MNLI));
        assertEquals(GlueSplit.DEV_MATCHED, roundTrip(GlueSplit.DEV_MATCHED));
        GlueBatch b = new GlueBatch(1, 3, new int[] {3, 7, 4}, new int[] {1, 1, 1}, new int[] {0, 0, 1},
                new int[] {3}, new int[] {1}, new float[] {Float.NaN}, new int[] {8});
        GlueBlocks gb = roundTrip(new GlueBlocks(11, b));
        assertEquals(11, gb.firstRow());
        assertArrayEquals(b.tokenIds(), gb.rows().tokenIds());
        assertArrayEquals(b.segments(), gb.rows().segments());
        assertArrayEquals(b.indices(), gb.rows().indices());
        assertEquals(Float.NaN, gb.rows().scores()[0]);
        GlueStepBatch sb = roundTrip(new GlueStepBatch(1, 4, new int[] {2}, new int[] {11}, b));
        assertEquals(List.of(1, 4), List.of(sb.partition(), sb.globalBatch()));
        assertArrayEquals(new int[] {11}, sb.positions());
        assertArrayEquals(b.mask(), sb.batch().mask());
        GluePredictions p = roundTrip(new GluePredictions(6, new int[] {-1}, new float[] {1.5f}));
        assertEquals(6, p.firstRow());
        assertArrayEquals(new float[] {1.5f}, p.scores());
        GlueEvaluation ev = new GlueEvaluation(GlueTask.MRPC, GlueSplit.DEV).add(1, 1).add(0, 1).add(0, 0);
        GlueEvaluation ev2 = roundTrip(ev);
        assertEquals(ev.metrics(), ev2.metrics());
        assertEquals(ev.confusionMatrix(), roundTrip(ev.confusionMatrix()));
        GlueEvaluation st = new GlueEvaluation(GlueTask.STSB, GlueSplit.DEV).addScore(1, 2).addScore(3, 3.5f)
                .addScore(4, 3f);
        assertEquals(st.metrics(), roundTrip(st).metrics());
        ScoreCorrelation sc = new ScoreCorrelation().add(1, 2).add(2, 1).add(3, 3);
        assertEquals(sc.spearman(), roundTrip(sc).spearman());
    }
}
