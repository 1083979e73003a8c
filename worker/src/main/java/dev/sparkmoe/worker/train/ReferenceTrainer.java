package dev.sparkmoe.worker.train;

import dev.sparkmoe.worker.model.ModelConfig;
import dev.sparkmoe.worker.model.TokenBatch;
import dev.sparkmoe.worker.model.MoETransformer;
import dev.sparkmoe.worker.moe.MoELayer;
import dev.sparkmoe.worker.optim.AdamW;
import dev.sparkmoe.worker.optim.GradientClipping;
import dev.sparkmoe.worker.optim.LrSchedule;
import dev.sparkmoe.worker.state.ControllerState;
import dev.sparkmoe.worker.state.ModelStates;
import dev.sparkmoe.worker.state.PlacementState;
import dev.sparkmoe.worker.state.TrainingState;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The single-process trainer: the reference the Spark engine is held equal to. One step is
 * zero grads → forward (loss + aux) → backward → clip the global gradient norm → AdamW with
 * the scheduled learning rate → the expert controller on its schedule. A batch in several routing
 * groups runs as micro-batches ({@link MicroBatchedStep}), the computation the Spark engine
 * distributes. Takes a config and
 * returns results; reads no global state. {@link #capture} and {@link #resume} save and restore
 * its state between steps (checkpoints). Stops with {@link NonFiniteLossException} naming the
 * step and the layer when the loss or a gradient is not finite.
 */
public final class ReferenceTrainer {
    private final MoETransformer model;
    private final TrainerConfig config;
    private final TokenBatches train;
    private final AdamW optimizer;
    private final LrSchedule schedule;
    private final ExpertController controller;
    private final String workspace = "spark-moe-step-" + INSTANCES.incrementAndGet();
    private static final java.util.concurrent.atomic.AtomicLong INSTANCES = new java.util.concurrent.atomic.AtomicLong();

    /**
     * @param controller the adaptive add/prune process, or null to keep the experts fixed
     */
    public ReferenceTrainer(MoETransformer model, TrainerConfig config, TokenBatches train, ExpertController controller) {
        this.model = model;
        this.config = config;
        this.train = train;
        this.controller = controller;
        this.optimizer = new AdamW(config.beta1(), config.beta2(), config.adamEps(), config.weightDecay());
        this.schedule = new LrSchedule(config.peakLr(), config.minLr(), config.warmupSteps(), config.steps());
    }

    /**
     * A trainer that continues from {@code state} (a checkpoint's): the model rebuilt from it
     * with every expert hosted, AdamW's step count and the controller's windows restored. Running
     * it from {@code state.nextStep()} gives bit-identical parameters to the run that saved
     * {@code state} had it never stopped, given the same configs and batches.
     *
     * @param controller a new controller built from the same settings as the saved run's (its
     *                   state is replaced by the saved one), or null to keep the experts fixed
     *                   from here on (the saved controller state is then not used)
     */
    public static ReferenceTrainer resume(TrainingState state, ModelConfig modelConfig, TrainerConfig config,
                                          TokenBatches train, ExpertController controller) {
        MoETransformer model = ModelStates.rebuild(modelConfig, state, true);
        ReferenceTrainer trainer = new ReferenceTrainer(model, config, train, controller);
        trainer.optimizer.setStepCount(state.optimizerSteps());
        if (controller != null) controller.restore(state.controller());
        return trainer;
    }

    /**
     * The state after {@code completedSteps} steps (call between steps, after step
     * {@code completedSteps - 1}): copies of every parameter, moment and expert, AdamW's step
     * count and the controller's state. The model is not changed.
     */
    public TrainingState capture(long completedSteps) {
        return new TrainingState(completedSteps, model.seed(), optimizer.stepCount(), ModelStates.dense(model),
                ModelStates.expertSets(model), ModelStates.hostedExperts(model), PlacementState.NONE,
                controller == null ? ControllerState.EMPTY : controller.snapshot());
    }

    /** Runs one optimiser step on the batch of {@code step}. */
    public StepMetrics step(long step) {
        long start = System.nanoTime();
        TokenBatch batch = train.batch(step);
        double lr = schedule.lr(step);
        double gradNorm;
        MoETransformer.LossBreakdown loss;
        List<LayerStats> layers = new ArrayList<>();
        List<dev.sparkmoe.routing.RoutingRecord> records = new ArrayList<>();
        try (MemoryWorkspace ignored = StepWorkspace.open(workspace)) {
            model.zeroGrads();
            List<MicroBatchedStep.Routing> grouped = new ArrayList<>();
            loss = batch.groups() == 1 ? model.forward(batch, true) : MicroBatchedStep.run(model, batch, grouped);
            if (!Double.isFinite(loss.total())) {
                throw new NonFiniteLossException("non-finite loss at step " + step + " (cross-entropy " + loss.crossEntropy()
                        + ", aux " + loss.aux() + "): first non-finite output at " + model.locateNonFinite(batch));
            }
            if (grouped.isEmpty()) model.backward();
            try {
                gradNorm = GradientClipping.clipGlobalNorm(model.params(), config.clipNorm());
            } catch (IllegalStateException e) {
                throw new NonFiniteLossException("non-finite gradient at step " + step + ": " + e.getMessage());
            }
            optimizer.step(model.decayedParams(), model.plainParams(), lr);
            if (grouped.isEmpty()) {
                for (MoELayer m : model.moeLayers()) {
                    layers.add(LayerStats.of(m.lastRouting()));
                    records.add(m.lastRouting().record());
                }
            } else {
                layers.addAll(grouped.get(0).layers());
                records.addAll(grouped.get(0).records());
            }
        }
        // Outside the workspace: the controller creates parameters that outlive the step.
        List<ControllerEvent> events = controller == null ? List.of() : controller.afterStep(step, model.moeLayers(), records);
        double seconds = (System.nanoTime() - start) / 1e9;
        return new StepMetrics(step, loss.crossEntropy(), loss.aux(), lr, gradNorm, batch.tokens(), seconds, layers, events);
    }

    /** Runs every step from {@code firstStep} to the end, handing each step's metrics to {@code onStep}. */
    public void run(long firstStep, Consumer<StepMetrics> onStep) {
        for (long s = firstStep; s < config.steps(); s++) onStep.accept(step(s));
    }

    /**
     * Mean head loss over {@code batches} evaluation batches (evaluation routing: top-any
     * falls back to its best expert).
     */
    public static double evaluate(MoETransformer model, TokenBatches batches, int count) {
        return evaluation(model, batches, count).loss();
    }

    /**
     * The mean head loss over {@code count} evaluation batches, weighted by their counted
     * targets, and the head's outputs for every sequence when the head is per sequence.
     */
    public static Evaluation evaluation(MoETransformer model, TokenBatches batches, int count) {
        double sum = 0;
        long counted = 0;
        boolean perSequence = model.config().head().perSequence();
        float[][] outputs = new float[count][];
        for (int i = 0; i < count; i++) {
            TokenBatch b = batches.batch(i);
            try (MemoryWorkspace ignored = StepWorkspace.open()) {
                MoETransformer.Prediction p = model.predict(b);
                sum += p.loss().crossEntropy() * b.countedTargets();
                outputs[i] = perSequence ? p.outputs().castTo(DataType.FLOAT).dup('c').data().asFloat() : new float[0];
            }
            counted += b.countedTargets();
        }
        return new Evaluation(counted == 0 ? Double.NaN : sum / counted, counted, outputs);
    }

    public AdamW optimizer() { return optimizer; }
    public MoETransformer model() { return model; }
}
