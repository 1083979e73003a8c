package dev.sparkmoe.driver.run;

import dev.sparkmoe.worker.state.TrainingState;
import dev.sparkmoe.worker.train.StepMetrics;

/**
 * How a job trains, behind one interface: on the Spark engine ({@link SparkTraining}) or in one
 * process ({@link SingleProcessTraining}). The job loop, progress, metrics, validation schedule
 * and checkpoints do not depend on which.
 */
interface Training extends AutoCloseable {
    /** Runs optimiser step {@code step}. */
    StepMetrics step(long step);

    /** Mean validation cross-entropy (nats per token) of the current parameters. */
    double validate();

    /** The run's state after the steps done so far, for a checkpoint. */
    TrainingState capture(long completedSteps);

    /** One line for the log: where and how this trains. */
    String describe();

    @Override
    void close();
}
