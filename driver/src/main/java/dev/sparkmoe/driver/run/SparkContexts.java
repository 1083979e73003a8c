package dev.sparkmoe.driver.run;

import dev.sparkmoe.driver.engine.EngineSparkConf;
import org.apache.spark.SparkConf;

/**
 * The SparkContext of a spark-moe job, wherever it was launched from. Under {@code spark-submit}
 * the master, deploy mode, properties file and {@code --conf} settings arrive as {@code spark.*}
 * system properties, which {@code new SparkConf()} reads: those are kept. Launched with plain
 * {@code java} ({@code scripts/spark-moe}, tests), nothing sets a master and the job runs in
 * {@code local[*]}. Either way the engine's own settings ({@link EngineSparkConf}: Kryo with
 * registration required, its registrators) are applied, so no launcher can forget them.
 */
public final class SparkContexts {
    /** The master when none is given: every core of this machine, in this JVM. */
    public static final String DEFAULT_MASTER = "local[*]";

    private SparkContexts() {}

    /**
     * The configuration a job's context is built from: {@code spark.*} system properties, then
     * the defaults below for what they leave unset, then the engine's settings. Driver side;
     * creates nothing.
     */
    public static SparkConf conf(String appName) {
        return conf(new SparkConf(), appName);
    }

    /** {@link #conf(String)} on top of {@code base} instead of the system properties. */
    public static SparkConf conf(SparkConf base, String appName) {
        return conf(base, appName, DEFAULT_MASTER);
    }

    /**
     * {@link #conf(SparkConf, String)} with {@code defaultMaster} when nothing set one. A local
     * master binds the driver to 127.0.0.1: everything runs in this JVM, and a machine whose
     * host name does not resolve would otherwise fail to start.
     */
    public static SparkConf conf(SparkConf base, String appName, String defaultMaster) {
        base.setIfMissing("spark.master", defaultMaster);
        if (base.get("spark.master").startsWith("local[") || base.get("spark.master").equals("local")) {
            base.setIfMissing("spark.driver.host", "127.0.0.1");
        }
        base.setIfMissing("spark.app.name", appName);
        // The job prints its own progress line per step; Spark's console progress bar would
        // overwrite it mid-line.
        base.setIfMissing("spark.ui.showConsoleProgress", "false");
        return EngineSparkConf.apply(base);
    }
}
