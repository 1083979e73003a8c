package dev.sparkmoe.driver.run;

import dev.sparkmoe.worker.state.TrainingState;
import dev.sparkmoe.worker.train.ReferenceTrainer;
import dev.sparkmoe.worker.train.StepMetrics;
import dev.sparkmoe.worker.train.TokenBatches;

/** Training in this JVM with the reference trainer ({@code engine.kind = single}). */
final class SingleProcessTraining implements Training {
    private final ReferenceTrainer trainer;
    private final TokenBatches valid;
    private final int evalBatches;

    SingleProcessTraining(ReferenceTrainer trainer, TokenBatches valid, int evalBatches) {
        this.trainer = trainer;
        this.valid = valid;
        this.evalBatches = evalBatches;
    }

    @Override public StepMetrics step(long step) { return trainer.step(step); }

    @Override public double validate() { return ReferenceTrainer.evaluate(trainer.model(), valid, evalBatches); }

    @Override public TrainingState capture(long completedSteps) { return trainer.capture(completedSteps); }

    @Override public String describe() { return "single process (reference trainer)"; }

    @Override public void close() {}
}
