package dev.sparkmoe.driver.engine;

import dev.sparkmoe.routing.Param;
import dev.sparkmoe.worker.engine.DenseSnapshot;
import dev.sparkmoe.worker.engine.EngineStages;
import dev.sparkmoe.worker.engine.ExpertGradNorms;
import dev.sparkmoe.worker.engine.ExpertOutputBlock;
import dev.sparkmoe.worker.engine.ExpertShard;
import dev.sparkmoe.worker.engine.ExpertState;
import dev.sparkmoe.worker.engine.DataPartitionState;
import dev.sparkmoe.worker.engine.PartitionBatch;
import dev.sparkmoe.worker.engine.PartitionResult;
import dev.sparkmoe.worker.engine.StepTotals;
import dev.sparkmoe.worker.engine.Blocks;
import dev.sparkmoe.worker.train.Evaluation;
import dev.sparkmoe.worker.engine.TokenBlock;
import dev.sparkmoe.worker.model.MoETransformer;
import dev.sparkmoe.worker.optim.AdamW;
import dev.sparkmoe.worker.optim.GradientClipping;
import dev.sparkmoe.worker.optim.LrSchedule;
import dev.sparkmoe.worker.spark.DataPartitioner;
import dev.sparkmoe.worker.spark.EngineTasks;
import dev.sparkmoe.worker.spark.ExpertKey;
import dev.sparkmoe.worker.state.ControllerState;
import dev.sparkmoe.worker.state.ModelStates;
import dev.sparkmoe.worker.state.TrainingState;
import dev.sparkmoe.worker.spark.FaultInjection;
import dev.sparkmoe.worker.spark.Resident;
import dev.sparkmoe.worker.train.ControllerEvent;
import dev.sparkmoe.worker.train.ExpertController;
import dev.sparkmoe.worker.train.NonFiniteLossException;
import dev.sparkmoe.worker.train.StepMetrics;
import dev.sparkmoe.worker.train.TrainerConfig;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The expert-parallel training step on Spark (DESIGN.md, "One training step on Spark";
 * docs/spark-engine.md). One step is one Spark job of {@code 4M+1} stages for {@code M} MoE layers:
 * <pre>
 * broadcast dense snapshot s ─► data stage 0 ─dispatch─► expert stage 0 ─combine─► data stage 1 ─► … data stage M (loss,
 * backward) ─► … expert stage 2M-1 (backward of layer 0) ─combine─► data stage 2M: dense gradients, records
 * collect: partition results + expert gradient norms ─► driver: global clip, AdamW on dense params, controller
 * experts s+1 = update stage on each expert partition (clip factor and lr from the driver), computed by step s+1's first expert stage
 * </pre>
 * The driver holds the dense parameters and routers (a {@link MoETransformer} without experts)
 * and their optimiser, and orchestrates; the math runs in {@code worker}'s task functions
 * ({@link EngineTasks}). It computes what {@code ReferenceTrainer} computes with the data
 * partitions as routing groups.
 */
public final class SparkEngine {
    private final JavaSparkContext sc;
    private final MoETransformer model;
    private final TrainerConfig config;
    private final StepBatches data;
    private final ExpertController controller;
    private final FaultInjection faults;
    private final EngineStages stages;
    private final AdamW optimizer;
    private final AdamW.Settings adam;
    private final LrSchedule schedule;
    private final ExpertCluster experts;
    private final DataPartitioner dataPartitioner;
    private final int rebalanceEvery;
    private final long seed;
    private final List<JavaRDD<?>> live = new ArrayList<>();      // this step's cached RDDs
    private final List<JavaRDD<?>> retiring = new ArrayList<>();  // last step's, dropped once this step's experts are cut
    private Broadcast<DenseSnapshot> retiringDense;
    private long stepsDone;

    /**
     * @param model          the driver's model: dense parameters and routers, experts not hosted
     *                       ({@code hostExperts = false}), initialised from the run seed
     * @param seed           the run seed (new experts are initialised from it)
     * @param layout         expert partitions and when to re-place experts by recorded load
     * @param controller     the adaptive add/prune process, or null to keep the experts fixed
     * @param faults         failures to inject (tests), or {@link FaultInjection#NONE}
     */
    public SparkEngine(JavaSparkContext sc, MoETransformer model, long seed, TrainerConfig config, StepBatches data,
                       EngineLayout layout, ExpertController controller, FaultInjection faults) {
        this(sc, model, seed, config, data, layout, controller, faults, null);
    }

    /**
     * An engine that continues a checkpointed run: {@code model} (built with
     * {@code ModelStates.rebuild(config, restored, false)}) and {@code controller} (restored)
     * already hold the checkpoint's dense and controller state; the experts are shipped to the
     * expert partitions placement picks (their saved ones where those still exist).
     *
     * @param restored the checkpoint, or null for a fresh run
     */
    public SparkEngine(JavaSparkContext sc, MoETransformer model, long seed, TrainerConfig config, StepBatches data,
                       EngineLayout layout, ExpertController controller, FaultInjection faults, TrainingState restored) {
        if (!model.moeLayers().isEmpty() && model.moeLayers().get(0).experts().size() > 0) {
            throw new IllegalArgumentException("the driver model must not host experts (build it with hostExperts = false)");
        }
        this.sc = sc;
        this.model = model;
        this.config = config;
        this.data = data;
        this.controller = controller;
        this.faults = faults;
        this.stages = new EngineStages(model.moeLayers().size());
        this.optimizer = new AdamW(config.beta1(), config.beta2(), config.adamEps(), config.weightDecay());
        this.adam = new AdamW.Settings(config.beta1(), config.beta2(), config.adamEps(), config.weightDecay());
        this.schedule = new LrSchedule(config.peakLr(), config.minLr(), config.warmupSteps(), config.steps());
        this.experts = restored == null
                ? new ExpertCluster(sc, model, layout.expertPartitions(), layout.placementTolerance(), seed)
                : new ExpertCluster(sc, model, layout.expertPartitions(), layout.placementTolerance(), seed,
                        restored.experts(), restored.placement());
        this.dataPartitioner = new DataPartitioner(data.partitions());
        this.rebalanceEvery = layout.rebalanceEvery();
        this.seed = seed;
        if (restored != null) {
            optimizer.setStepCount(restored.optimizerSteps());
            stepsDone = restored.step();
        }
    }

    /** Runs step {@code step}: one Spark job, then the driver's update. */
    public StepMetrics step(long step) {
        long start = System.nanoTime();
        double lr = schedule.lr(step);
        Broadcast<DenseSnapshot> dense = sc.broadcast(DenseSnapshot.of(model, step));
        sc.setJobGroup("spark-moe-step-" + step, "step " + step + ": forward and backward", false);

        Pass pass = pass(stages, step, data.batch(step), dense, faults, live);
        name(step, StageKind.DATA.label(stages.lastDataStage()) + ": results");
        List<Object> collected = pass.results().union(pass.shard().map(EngineTasks.gradNorms())).collect();
        JavaRDD<Resident<ExpertShard>> shard = pass.shard();
        long jobDone = System.nanoTime();

        StepTotals totals = reduce(step, collected);
        double scale = GradientClipping.scaleFor(totals.gradNorm(), config.clipNorm());
        GradientClipping.scale(model.denseParams(), scale);
        List<Param> plain = new ArrayList<>(model.denseParams());
        plain.remove(model.denseDecayed());
        optimizer.step(List.of(model.denseDecayed()), plain, lr);

        name(step, "update experts");
        JavaRDD<ExpertState> updated = shard.mapPartitions(
                EngineTasks.update(lr, scale, optimizer.stepCount(), adam, step, faults), true);
        List<ControllerEvent> events = controller == null ? List.of()
                : controller.afterStep(step, model.moeLayers(), totals.records());
        boolean rebalance = rebalanceEvery > 0 && (step + 1) % rebalanceEvery == 0;
        experts.next(updated, events, totals.records(), model, rebalance);
        retire(dense);
        sc.clearJobGroup();
        stepsDone = step + 1;
        double seconds = (System.nanoTime() - start) / 1e9;
        return new StepMetrics(step, totals.crossEntropy(), totals.aux(), lr, totals.gradNorm(), totals.tokens(), seconds,
                totals.layers(), events);
    }

    /**
     * Mean head loss of the current model over {@code count} batches, with evaluation routing
     * (top-any falls back to its best expert), as {@code ReferenceTrainer.evaluate} computes it.
     */
    public double evaluate(StepBatches batches, int count) {
        return evaluation(batches, count).loss();
    }

    /**
     * The mean head loss over {@code count} batches and, for a per-sequence head, its outputs
     * for every sequence, as {@code ReferenceTrainer.evaluation} computes them: one forward-only
     * Spark job per batch through the same dispatch, expert and combine stages as training, with
     * the experts the next step will start from.
     */
    public Evaluation evaluation(StepBatches batches, int count) {
        EngineStages forward = new EngineStages(stages.moeLayers(), true);
        Broadcast<DenseSnapshot> dense = sc.broadcast(DenseSnapshot.of(model, stepsDone));
        double weighted = 0;
        long counted = 0;
        float[][] outputs = new float[count][];
        List<JavaRDD<?>> cachedHere = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                sc.setJobGroup("spark-moe-eval-" + stepsDone + "-" + i, "evaluation after step " + stepsDone + ", batch " + i, false);
                List<Object> results = pass(forward, i, batches.batch(i), dense, FaultInjection.NONE, cachedHere).results().collect();
                double loss = 0;
                long batchCounted = 0;
                List<float[]> parts = new ArrayList<>();
                for (Object o : results) {
                    PartitionResult r = (PartitionResult) o;
                    loss += r.crossEntropy();
                    batchCounted += r.counted();
                    if (r.outputs() != null) parts.add(r.outputs());
                }
                weighted += loss * batchCounted;
                counted += batchCounted;
                outputs[i] = Blocks.concat(parts);
                unpersist(cachedHere);
            }
        } finally {
            sc.clearJobGroup();
            dense.destroy(false);
        }
        return new Evaluation(counted == 0 ? Double.NaN : weighted / counted, counted, outputs);
    }

    /** The driver's model (dense parameters and routers). */
    public MoETransformer model() { return model; }

    /** Steps completed (by this engine or the run it continues). */
    public long stepsDone() { return stepsDone; }

    /**
     * The run's state after the steps done, for a checkpoint: the driver model's dense
     * parameters and moments, the experts collected from their partitions (one job), their
     * placement and the controller's state.
     */
    public TrainingState capture() {
        return new TrainingState(stepsDone, seed, optimizer.stepCount(), ModelStates.dense(model),
                ModelStates.expertSets(model), collectExperts(), experts.placementState(),
                controller == null ? ControllerState.EMPTY : controller.snapshot());
    }

    /** Every live expert's expert partition now. */
    public Map<ExpertKey, Integer> placement() { return experts.placement(); }

    /** The current experts (version of the next step), computed on demand: for tests, checkpoints and evaluation. */
    public List<ExpertState> collectExperts() {
        return experts.states().collect();
    }

    /** The experts' placement and partitioner (for tests and reports). */
    ExpertCluster cluster() { return experts; }

    /**
     * Builds (without running) one pass over a batch: data stage 0, then for each expert stage
     * the dispatch shuffle, the expert stage and the combine shuffle back into the next data
     * stage. The results RDD ends with the last data stage's {@link PartitionResult}s.
     */
    private Pass pass(EngineStages st, long step, JavaRDD<PartitionBatch> batch, Broadcast<DenseSnapshot> dense,
                      FaultInjection f, List<JavaRDD<?>> cache) {
        name(step, "data stage 0: embed, forward to layer 0");
        JavaRDD<Resident<DataPartitionState>> state = cached(batch
                .mapPartitions(EngineTasks.startData(model.config(), st, dense, step, f), true), cache);
        JavaRDD<Resident<ExpertShard>> shard = null;
        JavaRDD<Object> results = null;
        for (int e = 0; e < st.expertStages(); e++) {
            name(step, StageKind.DATA.label(e) + " → dispatch, " + st.describe(e));
            JavaRDD<TokenBlock> sent = state.flatMapToPair(EngineTasks.dispatch(e)).partitionBy(experts.partitioner()).values();
            shard = cached(shard == null ? experts.states().zipPartitions(sent, EngineTasks.startShard(st, step, f))
                    : shard.zipPartitions(sent, EngineTasks.advanceShard(e, step, f)), cache);
            name(step, StageKind.EXPERT.label(e) + ": " + st.describe(e) + " → combine");
            JavaRDD<ExpertOutputBlock> back = shard.flatMapToPair(EngineTasks.combine(e)).partitionBy(dataPartitioner).values();
            name(step, StageKind.DATA.label(e + 1));
            if (e + 1 < st.lastDataStage()) {
                state = cached(state.zipPartitions(back, EngineTasks.advanceData(e + 1, step, f)), cache);
            } else {
                results = state.zipPartitions(back, EngineTasks.finishData(e + 1, step, f));
            }
        }
        return new Pass(results, shard);
    }

    /** A built pass: the last data stage's results and the last expert stage's shards. */
    private record Pass(JavaRDD<Object> results, JavaRDD<Resident<ExpertShard>> shard) {}

    private StepTotals reduce(long step, List<Object> collected) {
        List<PartitionResult> parts = new ArrayList<>();
        List<ExpertGradNorms> norms = new ArrayList<>();
        for (Object o : collected) {
            if (o instanceof PartitionResult r) parts.add(r);
            else norms.add((ExpertGradNorms) o);
        }
        StepTotals totals;
        try {
            totals = StepTotals.reduce(model, parts, norms);
        } catch (IllegalStateException e) {
            throw new NonFiniteLossException("non-finite gradient at step " + step + ": " + e.getMessage());
        }
        if (!Double.isFinite(totals.crossEntropy() + totals.aux())) {
            throw new NonFiniteLossException("non-finite loss at step " + step + " (cross-entropy " + totals.crossEntropy()
                    + ", aux " + totals.aux() + ")");
        }
        return totals;
    }

    /**
     * Last step's cached RDDs and dense broadcast can go once this step's job has computed (and
     * cut) the experts that depended on them; this step's stay until the next job has done the same.
     */
    private void retire(Broadcast<DenseSnapshot> dense) {
        unpersist(retiring);
        retiring.addAll(live);
        live.clear();
        experts.retireOlder();
        if (retiringDense != null) retiringDense.destroy(false);
        retiringDense = dense;
    }

    /**
     * Drops what this engine keeps on the cluster (cached step RDDs, expert versions, the dense
     * broadcast) when its Spark context outlives it, e.g. a sweep of trainings on one context.
     * Driver side; the engine takes no more steps afterwards.
     */
    public void release() {
        unpersist(live);
        unpersist(retiring);
        experts.release();
        if (retiringDense != null) retiringDense.destroy(false);
        retiringDense = null;
    }

    private static void unpersist(List<JavaRDD<?>> rdds) {
        for (JavaRDD<?> rdd : rdds) rdd.unpersist(false);
        rdds.clear();
    }

    private static <T> JavaRDD<T> cached(JavaRDD<T> rdd, List<JavaRDD<?>> cache) {
        rdd.persist(StorageLevel.MEMORY_ONLY());
        cache.add(rdd);
        return rdd;
    }

    /** Names the stages built next in the Spark UI (the call site of their RDDs). */
    private void name(long step, String what) {
        sc.setCallSite("step " + step + " · " + what);
    }
}
