package dev.sparkmoe.data.glue;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import org.apache.spark.SparkConf;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.SerializerInstance;
import org.junit.jupiter.api.Test;
import scala.reflect.ClassTag$;

/** What crosses a Spark shuffle or task boundary survives Kryo with registration required. */
class GlueKryoTest {
    private static final String CLASSES = String.join(",", GlueExample.class.getName(), GlueBatch.class.getName(),
            GlueEvaluation.class.getName(), ConfusionMatrix.class.getName(), ScoreCorrelation.class.getName(),
            GlueTask.class.getName(), GlueSplit.class.getName());

    private static <T> T roundTrip(T value) {
        SerializerInstance k = new KryoSerializer(new SparkConf().set("spark.kryo.registrationRequired", "true")
                .set("spark.kryo.classesToRegister", CLASSES)).newInstance();
        ByteBuffer bytes = k.serialize(value, ClassTag$.MODULE$.apply(Object.class));
        return k.deserialize(bytes, ClassTag$.MODULE$.apply(Object.class));
    }

    @Test
    void examplesBatchesAndEvaluationsSurviveKryo() {
        GlueExample e = GlueExample.classified(3, "a", "b", 1);
        assertEquals(e, roundTrip(e));
        GlueBatch b = new GlueBatch(1, 3, new int[] {3, 7, 4}, new int[] {1, 1, 1}, new int[3], new int[] {3},
                new int[] {1}, new float[] {Float.NaN}, new int[] {3});
        assertArrayEquals(b.tokenIds(), roundTrip(b).tokenIds());
        GlueEvaluation ev = new GlueEvaluation(GlueTask.QQP, GlueSplit.DEV).add(1, 1).add(0, 1);
        assertEquals(ev.metrics(), roundTrip(ev).metrics());
        GlueEvaluation st = new GlueEvaluation(GlueTask.STSB, GlueSplit.DEV).addScore(1, 2).addScore(3, 3.5f);
        assertEquals(st.metrics(), roundTrip(st).metrics());
    }
}
