package dev.sparkmoe.data.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/** The settings every Spark test of this package runs with: local[2], no UI, Kryo with registration required. */
final class SparkTestSupport {
    private SparkTestSupport() {}

    static SparkConf conf(String app) {
        return new SparkConf()
                .setMaster("local[2]")
                .setAppName(app)
                .set("spark.ui.enabled", "false")
                .set("spark.sql.shuffle.partitions", "2")
                .set("spark.default.parallelism", "2")
                .set("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
                .set("spark.kryo.registrationRequired", "true")
                .set("spark.kryo.registrator", DataKryoRegistrator.class.getName())
                .set("spark.driver.host", "127.0.0.1")
                .set("spark.sql.adaptive.enabled", "false");
    }

    static SparkSession session(String app) {
        return SparkSession.builder().config(conf(app)).getOrCreate();
    }
}
