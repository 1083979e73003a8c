package dev.sparkmoe.driver.run;

import dev.sparkmoe.driver.engine.StepBatches;
import dev.sparkmoe.worker.state.TrainingState;
import dev.sparkmoe.worker.train.Evaluation;
import dev.sparkmoe.worker.train.ReferenceTrainer;
import dev.sparkmoe.worker.train.StepMetrics;
import org.apache.spark.api.java.JavaSparkContext;

/** Training in this JVM with the reference trainer ({@code engine.kind = single}). */
final class SingleProcessTraining implements Training {
    private final ReferenceTrainer trainer;

    SingleProcessTraining(ReferenceTrainer trainer) {
        this.trainer = trainer;
    }

    @Override public StepMetrics step(long step) { return trainer.step(step); }

    @Override public Evaluation evaluate(StepBatches batches, int count) {
        return ReferenceTrainer.evaluation(trainer.model(), batches::reference, count);
    }

    @Override public TrainingState capture(long completedSteps) { return trainer.capture(completedSteps); }

    @Override public String describe() { return "single process (reference trainer)"; }

    @Override public JavaSparkContext sparkContext() { return null; }

    @Override public int dataPartitions() { return 1; }

    @Override public void close() {}
}
