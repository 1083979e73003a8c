package dev.sparkmoe.worker.engine;

import dev.sparkmoe.routing.RoutingRecord;
import dev.sparkmoe.worker.spark.EngineKryoRegistrator;
import org.apache.spark.SparkConf;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.SerializerInstance;
import org.junit.jupiter.api.Test;
import scala.reflect.ClassTag$;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A partition's active-expert histograms travel with its result, through Kryo as the engine configures it. */
class PartitionResultTest {

    private static PartitionResult result() {
        RoutingRecord r0 = new RoutingRecord(new int[]{0, 1}, new long[]{3, 4}, new double[2], 1, 5, 0);
        RoutingRecord r1 = new RoutingRecord(new int[]{0, 2}, new long[]{5, 0}, new double[2], 0, 5, 0);
        return new PartitionResult(3, new float[][]{{1f, 2f}}, 0.5, 0.01, 5, new RoutingRecord[]{r0, r1},
                new long[]{7, 5}, new long[]{0, 0}, new long[]{1, 0}, new long[][]{{1, 2, 2}, {0, 5}}, 5, null);
    }

    @Test
    void keepsEachLayersHistogram() {
        PartitionResult r = result();
        assertArrayEquals(new long[]{1, 2, 2}, r.activeHistogram(0));
        assertArrayEquals(new long[]{0, 5}, r.activeHistogram(1));
        assertTrue(PartitionResult.empty(1).isEmpty());
    }

    @Test
    void survivesKryoWithRegistrationRequired() {
        SparkConf conf = new SparkConf().set("spark.kryo.registrationRequired", "true")
                .set("spark.kryo.registrator", EngineKryoRegistrator.class.getName());
        SerializerInstance kryo = new KryoSerializer(conf).newInstance();
        PartitionResult back = roundTrip(kryo, result());
        assertEquals(3, back.partition());
        assertArrayEquals(new long[]{1, 2, 2}, back.activeHistogram(0));
        assertArrayEquals(new long[]{0, 5}, back.activeHistogram(1));
        assertEquals(1, roundTrip(kryo, PartitionResult.empty(1)).partition());
    }

    private static PartitionResult roundTrip(SerializerInstance kryo, PartitionResult r) {
        scala.reflect.ClassTag<PartitionResult> tag = ClassTag$.MODULE$.apply(PartitionResult.class);
        return kryo.deserialize(kryo.serialize(r, tag), tag);
    }
}
