package dev.sparkmoe.driver.run;

import dev.sparkmoe.driver.config.EngineSettings;
import dev.sparkmoe.driver.engine.SparkEngine;
import dev.sparkmoe.driver.engine.StageTimes;
import dev.sparkmoe.driver.engine.StepBatches;
import dev.sparkmoe.worker.state.TrainingState;
import dev.sparkmoe.worker.train.Evaluation;
import dev.sparkmoe.worker.train.StepMetrics;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

import java.util.Locale;
import java.util.concurrent.TimeoutException;

/**
 * Training on the Spark engine ({@code engine.kind = spark}): owns the Spark context it starts
 * and the engine's steps and evaluations.
 */
final class SparkTraining implements Training {
    private final JavaSparkContext sc;
    private final SparkEngine engine;
    private final int dataPartitions;
    private final String description;
    private final StageTimes times = new StageTimes();
    private final boolean ownsContext;      // false: a shared context outlives this training

    SparkTraining(JavaSparkContext sc, SparkEngine engine, StepBatches train, int expertPartitions) {
        this(sc, engine, train, expertPartitions, true);
    }

    SparkTraining(JavaSparkContext sc, SparkEngine engine, StepBatches train, int expertPartitions, boolean ownsContext) {
        this.sc = sc;
        this.ownsContext = ownsContext;
        this.engine = engine;
        this.dataPartitions = train.partitions();
        sc.sc().addSparkListener(times);
        this.description = String.format(Locale.ROOT, "Spark engine on %s (application %s): %d data partitions, %d expert partitions",
                sc.master(), sc.sc().applicationId(), train.partitions(), expertPartitions);
    }

    /** The job's Spark context ({@link SparkContexts}), {@code engine.master} when no launcher named a master. */
    static JavaSparkContext context(EngineSettings settings, String appName) {
        return new JavaSparkContext(SparkContexts.conf(new SparkConf(), appName, settings.master()));
    }

    /** Partitions for a setting where 0 means Spark's default parallelism. */
    static int partitions(JavaSparkContext sc, int configured) {
        return configured > 0 ? configured : Math.max(1, sc.defaultParallelism());
    }

    /** Runs the step and adds where its time went ({@link StageTimes}) to its metrics. */
    @Override public StepMetrics step(long step) {
        times.reset();
        StepMetrics m = engine.step(step);
        try {
            // Stage completions reach listeners asynchronously; the step's last stages may still be queued.
            sc.sc().listenerBus().waitUntilEmpty(10_000);
        } catch (TimeoutException e) {
            return m;                                   // no breakdown for this step rather than a wrong one
        }
        return m.withStageSeconds(times.totals().breakdown(m.seconds()));
    }

    @Override public Evaluation evaluate(StepBatches batches, int count) { return engine.evaluation(batches, count); }

    @Override public TrainingState capture(long completedSteps) {
        if (completedSteps != engine.stepsDone()) {
            throw new IllegalStateException("capture after " + completedSteps + " steps, but the engine has run " + engine.stepsDone());
        }
        return engine.capture();
    }

    @Override public String describe() { return description; }

    SparkEngine engine() { return engine; }

    @Override public JavaSparkContext sparkContext() { return sc; }

    @Override public int dataPartitions() { return dataPartitions; }

    @Override public void close() {
        if (ownsContext) {
            sc.stop();
        } else {
            engine.release();                      // the shared context would otherwise keep its cached state
            sc.sc().removeSparkListener(times);    // the next training on the shared context adds its own
        }
    }
}
