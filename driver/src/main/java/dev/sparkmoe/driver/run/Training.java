package dev.sparkmoe.driver.run;

import dev.sparkmoe.driver.engine.StepBatches;
import org.apache.spark.api.java.JavaSparkContext;
import dev.sparkmoe.worker.state.TrainingState;
import dev.sparkmoe.worker.train.Evaluation;
import dev.sparkmoe.worker.train.StepMetrics;

/**
 * How a job trains, behind one interface: on the Spark engine ({@link SparkTraining}) or in one
 * process ({@link SingleProcessTraining}). The job loop, progress, metrics, validation schedule
 * and checkpoints do not depend on which.
 */
public interface Training extends AutoCloseable {
    /** Runs optimiser step {@code step}. */
    StepMetrics step(long step);

    /**
     * Evaluates the current parameters on {@code count} batches of {@code batches} (on the
     * engine through its data partitions, in one process through the reference batches): the
     * mean head loss and, for a per-sequence head, every sequence's outputs.
     */
    Evaluation evaluate(StepBatches batches, int count);

    /** The run's state after the steps done so far, for a checkpoint. */
    TrainingState capture(long completedSteps);

    /** One line for the log: where and how this trains. */
    String describe();

    /** The Spark context the engine runs on, or null in one process. */
    JavaSparkContext sparkContext();

    /** Data partitions of the engine's batches (routing groups); 1 in one process. */
    int dataPartitions();

    @Override
    void close();
}
