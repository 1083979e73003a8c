package dev.sparkmoe.driver.engine;

import dev.sparkmoe.data.spark.DataKryoRegistrator;
import dev.sparkmoe.worker.spark.EngineKryoRegistrator;
import org.apache.spark.SparkConf;

/**
 * The Spark settings the engine relies on (docs/spark-engine.md, "Spark settings"), applied to
 * a user's {@link SparkConf} without overriding what they set explicitly, except where
 * correctness needs it.
 */
public final class EngineSparkConf {
    private EngineSparkConf() {}

    /** Adds the engine's settings to {@code conf} and returns it. */
    public static SparkConf apply(SparkConf conf) {
        // Correctness: every record that crosses a shuffle, a replica or a task result is
        // registered; an unregistered class is a bug to surface, not to Java-serialise quietly.
        conf.set("spark.serializer", "org.apache.spark.serializer.KryoSerializer");
        conf.set("spark.kryo.registrationRequired", "true");
        conf.set("spark.kryo.registrator", DataKryoRegistrator.class.getName() + "," + EngineKryoRegistrator.class.getName());
        // Token and expert blocks are a few MiB each.
        conf.setIfMissing("spark.kryoserializer.buffer.max", "512m");
        // ND4J's OpenMP threads fight Spark's task threads: one per task slot (DESIGN.md).
        conf.setIfMissing("spark.executorEnv.OMP_NUM_THREADS", "1");
        return conf;
    }
}
