package dev.sparkmoe.data.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sparkmoe.data.SkipReport;
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
}
