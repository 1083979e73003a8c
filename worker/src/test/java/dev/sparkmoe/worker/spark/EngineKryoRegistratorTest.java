package dev.sparkmoe.worker.spark;

import dev.sparkmoe.worker.engine.ExpertOutputBlock;
import dev.sparkmoe.worker.engine.ExpertState;
import dev.sparkmoe.worker.engine.TokenBlock;
import dev.sparkmoe.worker.moe.Expert;
import dev.sparkmoe.worker.optim.AdamW;
import org.apache.spark.SparkConf;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.SerializerInstance;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import scala.reflect.ClassTag$;

import java.nio.ByteBuffer;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Every registered type survives Spark's Kryo with registration required (no SparkContext needed). */
class EngineKryoRegistratorTest {
    private final SerializerInstance kryo = new KryoSerializer(EngineSparkTest.conf("kryo")).newInstance();

    @SuppressWarnings("unchecked")
    private <T> T roundTrip(T value) {
        ByteBuffer b = kryo.serialize(value, ClassTag$.MODULE$.apply(Object.class));
        return (T) kryo.deserialize(b, ClassTag$.MODULE$.apply(Object.class));
    }

    @Test
    void recordsRoundTrip() {
        Expert fresh = Expert.create(1, 4, 3, 5, 9, DataType.FLOAT);
        ExpertState s = ExpertState.of(fresh);
        assertEquals(s, roundTrip(s));
        fresh.weights().grad().assign(Nd4j.rand(DataType.FLOAT, fresh.weights().length()));
        new AdamW(0.9, 0.99, 1e-8, 0.0).step(List.of(fresh.weights()), List.of(fresh.biases()), 0.1);
        ExpertState trained = ExpertState.of(fresh);
        assertEquals(trained, roundTrip(trained));
        assertEquals(new ExpertKey(2, 7), roundTrip(new ExpertKey(2, 7)));
        TokenBlock t = new TokenBlock(3, 1, 4, new int[]{0, 5}, new float[]{1, -2, 3.5f, Float.NaN, 0, -0f}, 3);
        assertEquals(t, roundTrip(t));
        ExpertOutputBlock o = new ExpertOutputBlock(3, 1, 4, new float[]{1, 2, 3}, 3);
        assertEquals(o, roundTrip(o));
        ExpertKey[] keys = roundTrip(new ExpertKey[]{new ExpertKey(0, 1), new ExpertKey(1, 0)});
        assertArrayEquals(new ExpertKey[]{new ExpertKey(0, 1), new ExpertKey(1, 0)}, keys);
        TokenBlock[] blocks = roundTrip(new TokenBlock[]{t});
        assertEquals(t, blocks[0]);
    }

    @Test
    void exampleSetsRoundTrip() {
        dev.sparkmoe.worker.train.ExampleSet images = dev.sparkmoe.worker.train.ExampleSet.images(5, 4,
                new float[]{1, 2, 3, 4, 5, 6, 7, 8}, new int[]{3, 1});
        dev.sparkmoe.worker.model.TokenBatch b = roundTrip(images).batch(new int[]{1, 0});
        assertArrayEquals(new float[]{5, 6, 7, 8, 1, 2, 3, 4}, b.pixels());
        assertArrayEquals(images.batch(new int[]{1, 0}).targets(), b.targets());
        dev.sparkmoe.worker.train.ExampleSet sentences = dev.sparkmoe.worker.train.ExampleSet.sentences(2,
                new int[]{4, 5, 6, 0}, new boolean[]{false, false, false, true}, new int[]{1, 0}, null);
        assertArrayEquals(sentences.batch(new int[]{1}).inputs(), roundTrip(sentences).batch(new int[]{1}).inputs());
    }

    @Test
    void chainsWithAnotherRegistratorInTheSameList() {
        SparkConf conf = EngineSparkTest.conf("kryo-chain").set("spark.kryo.registrator",
                EngineKryoRegistrator.class.getName() + "," + EngineKryoRegistrator.class.getName());
        SerializerInstance twice = new KryoSerializer(conf).newInstance();
        ExpertKey k = new ExpertKey(0, 3);
        ByteBuffer b = twice.serialize(k, ClassTag$.MODULE$.apply(Object.class));
        assertEquals(k, twice.deserialize(b, ClassTag$.MODULE$.apply(Object.class)));
    }
}
