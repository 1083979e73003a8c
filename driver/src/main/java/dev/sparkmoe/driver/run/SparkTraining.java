package dev.sparkmoe.driver.run;

import dev.sparkmoe.driver.config.EngineSettings;
import dev.sparkmoe.driver.engine.EngineSparkConf;
import dev.sparkmoe.driver.engine.SparkEngine;
import dev.sparkmoe.driver.engine.StepBatches;
import dev.sparkmoe.worker.state.TrainingState;
import dev.sparkmoe.worker.train.StepMetrics;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

import java.util.Locale;

/**
 * Training on the Spark engine ({@code engine.kind = spark}): owns the Spark context it starts
 * and the engine's steps and evaluations.
 */
final class SparkTraining implements Training {
    private final JavaSparkContext sc;
    private final SparkEngine engine;
    private final StepBatches valid;
    private final int evalBatches;
    private final String description;

    SparkTraining(JavaSparkContext sc, SparkEngine engine, StepBatches train, StepBatches valid, int evalBatches,
                  int expertPartitions) {
        this.sc = sc;
        this.engine = engine;
        this.valid = valid;
        this.evalBatches = evalBatches;
        this.description = String.format(Locale.ROOT, "Spark engine on %s (application %s): %d data partitions, %d expert partitions",
                sc.master(), sc.sc().applicationId(), train.partitions(), expertPartitions);
    }

    /**
     * The job's Spark context: the master and settings {@code spark-submit} gave (it passes them
     * as system properties, which {@link SparkConf} reads), else {@code engine.master}; Spark's
     * console progress bar off, so it does not fight the job's progress lines; and the engine's
     * settings ({@link EngineSparkConf}).
     */
    static JavaSparkContext context(EngineSettings settings, String appName) {
        SparkConf conf = new SparkConf().setAppName(appName);
        conf.setIfMissing("spark.master", settings.master());
        conf.setIfMissing("spark.ui.showConsoleProgress", "false");
        if (conf.get("spark.master").startsWith("local")) conf.setIfMissing("spark.driver.host", "127.0.0.1");
        return new JavaSparkContext(EngineSparkConf.apply(conf));
    }

    /** Partitions for a setting where 0 means Spark's default parallelism. */
    static int partitions(JavaSparkContext sc, int configured) {
        return configured > 0 ? configured : Math.max(1, sc.defaultParallelism());
    }

    @Override public StepMetrics step(long step) { return engine.step(step); }

    @Override public double validate() { return engine.evaluate(valid, evalBatches); }

    @Override public TrainingState capture(long completedSteps) {
        if (completedSteps != engine.stepsDone()) {
            throw new IllegalStateException("capture after " + completedSteps + " steps, but the engine has run " + engine.stepsDone());
        }
        return engine.capture();
    }

    @Override public String describe() { return description; }

    SparkEngine engine() { return engine; }

    @Override public void close() { sc.stop(); }
}
