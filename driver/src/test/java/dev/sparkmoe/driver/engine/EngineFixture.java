package dev.sparkmoe.driver.engine;

import dev.sparkmoe.data.lm.SequencePacker;
import dev.sparkmoe.routing.ControllerConfig;
import dev.sparkmoe.routing.Param;
import dev.sparkmoe.routing.RouterConfig;
import dev.sparkmoe.routing.UpdateSchedule;
import dev.sparkmoe.worker.engine.ExpertState;
import dev.sparkmoe.worker.model.ModelConfig;
import dev.sparkmoe.worker.model.MoETransformer;
import dev.sparkmoe.worker.moe.Expert;
import dev.sparkmoe.worker.moe.InProcessDispatcher;
import dev.sparkmoe.worker.moe.MoELayer;
import dev.sparkmoe.worker.spark.FaultInjection;
import dev.sparkmoe.worker.train.ControllerEvent;
import dev.sparkmoe.worker.train.ExpertController;
import dev.sparkmoe.worker.train.ReferenceTrainer;
import dev.sparkmoe.worker.train.StepMetrics;
import dev.sparkmoe.worker.train.TrainerConfig;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.nd4j.linalg.api.buffer.DataType;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A small language model, a token stream and the two trainers (single-process reference and
 * Spark engine) set up identically, for the engine's equivalence, retry and executor-loss tests.
 */
final class EngineFixture {
    static final int V = 32, S = 8, B = 8, SEED = 5;

    private EngineFixture() {}

    static ModelConfig model(RouterConfig router) {
        return new ModelConfig(V, S, 16, 2, 32, 24, 3, new int[]{0, 2}, 4, router, true);
    }

    static TrainerConfig trainer(long steps) {
        return new TrainerConfig(SEED, steps, B, 1e-2, 1e-3, 2, 0.01, 0.9, 0.95, 1e-8, 1.0, 0, 0);
    }

    /** A stream with local structure (runs counting up by a random stride), deterministic. */
    static SequencePacker tokens() {
        SplittableRandom rng = new SplittableRandom(17);
        int[] ids = new int[4000];
        int i = 0;
        while (i < ids.length) {
            int start = rng.nextInt(V);
            int stride = 1 + rng.nextInt(3);
            int len = 5 + rng.nextInt(20);
            for (int k = 0; k < len && i < ids.length; k++) ids[i++] = (start + k * stride) % V;
        }
        return new SequencePacker(ids, S);
    }

    static SparkConf conf(String master, String app) {
        return EngineSparkConf.apply(new SparkConf().setMaster(master).setAppName(app)
                .set("spark.ui.enabled", "false")
                .set("spark.driver.host", "127.0.0.1")
                .set("spark.task.maxFailures", "4"));
    }

    static ExpertController controller(boolean on) {
        return on ? new ExpertController(ControllerConfig.of(8), new UpdateSchedule(3, 2)) : null;
    }

    /** Makes a layer's top-any thresholds unreachable, so the controller must act (same on every model). */
    static void forceControllerEvents(MoETransformer model) {
        MoELayer layer = model.moeLayers().get(1);
        for (Param p : layer.router().params()) if (p.name().equals("router.thresholds")) p.value().assign(2.0);
    }

    /** Runs the single-process trainer on the engine's batches (data partitions as routing groups). */
    static Run reference(RouterConfig router, long steps, StepBatches data, boolean controller, boolean force) {
        MoETransformer model = new MoETransformer(model(router), SEED, DataType.FLOAT, InProcessDispatcher::new);
        if (force) forceControllerEvents(model);
        ReferenceTrainer t = new ReferenceTrainer(model, trainer(steps), data::reference, controller(controller));
        List<StepMetrics> metrics = new ArrayList<>();
        t.run(0, metrics::add);
        return new Run(params(model), metrics);
    }

    /** A model hosting its experts (the single-process trainer's): every parameter by name. */
    static Map<String, float[]> params(MoETransformer model) {
        Map<String, float[]> params = new LinkedHashMap<>();
        for (Param p : model.denseParams()) params.put(qualified(model, p), flat(p));
        for (MoELayer m : model.moeLayers()) {
            for (int id : m.experts().ids()) {
                Expert e = m.experts().get(id);
                params.put(Expert.name(m.layerIndex(), id) + ".weights", flat(e.weights()));
                params.put(Expert.name(m.layerIndex(), id) + ".biases", flat(e.biases()));
            }
        }
        return params;
    }

    /** Runs the Spark engine. */
    static Run engine(JavaSparkContext sc, RouterConfig router, long steps, StepBatches data, int expertPartitions,
                      boolean controller, boolean force, FaultInjection faults) {
        SparkEngine engine = newEngine(sc, router, steps, data, expertPartitions, controller, force, faults);
        List<StepMetrics> metrics = new ArrayList<>();
        for (long s = 0; s < steps; s++) metrics.add(engine.step(s));
        return collect(engine, metrics);
    }

    /** A Spark engine set up as {@link #reference} sets up the single-process trainer. */
    static SparkEngine newEngine(JavaSparkContext sc, RouterConfig router, long steps, StepBatches data, int expertPartitions,
                                 boolean controller, boolean force, FaultInjection faults) {
        MoETransformer model = new MoETransformer(model(router), SEED, DataType.FLOAT, InProcessDispatcher::new, null, false);
        if (force) forceControllerEvents(model);
        return new SparkEngine(sc, model, SEED, trainer(steps), data, new EngineLayout(expertPartitions, 0.5, 4),
                controller(controller), faults);
    }

    /** The engine's parameters (driver model and collected experts) and the metrics of its steps. */
    static Run collect(SparkEngine engine, List<StepMetrics> metrics) {
        MoETransformer model = engine.model();
        Map<String, float[]> params = new LinkedHashMap<>();
        for (Param p : model.denseParams()) params.put(qualified(model, p), flat(p));
        List<ExpertState> experts = new ArrayList<>(engine.collectExperts());
        experts.sort((a, b) -> a.layer() != b.layer() ? Integer.compare(a.layer(), b.layer()) : Integer.compare(a.id(), b.id()));
        for (ExpertState s : experts) {
            params.put(Expert.name(s.layer(), s.id()) + ".weights", s.weights());
            params.put(Expert.name(s.layer(), s.id()) + ".biases", s.biases());
        }
        return new Run(params, metrics);
    }

    /** Router param names repeat per layer; qualify them by their position. */
    private static String qualified(MoETransformer model, Param p) {
        return model.denseParams().indexOf(p) + ":" + p.name();
    }

    private static float[] flat(Param p) {
        return p.value().dup().reshape(p.length()).toFloatVector();
    }

    /** Parameters by name and per-step metrics of one run. */
    record Run(Map<String, float[]> params, List<StepMetrics> metrics) {
        List<ControllerEvent> events() {
            List<ControllerEvent> out = new ArrayList<>();
            for (StepMetrics m : metrics) out.addAll(m.events());
            return out;
        }
    }

    /**
     * The largest relative difference between two runs' parameters:
     * {@code max over tensors of max|a − b| / max|b|} (a per-tensor scale, so that elements
     * near zero do not dominate).
     */
    static double maxRelativeDifference(Run a, Run b) {
        if (!a.params().keySet().equals(b.params().keySet())) {
            throw new AssertionError("different parameters: " + a.params().keySet() + " vs " + b.params().keySet());
        }
        double worst = 0;
        for (Map.Entry<String, float[]> e : b.params().entrySet()) {
            float[] x = a.params().get(e.getKey());
            float[] y = e.getValue();
            double diff = 0, scale = 0;
            for (int i = 0; i < y.length; i++) {
                diff = Math.max(diff, Math.abs((double) x[i] - y[i]));
                scale = Math.max(scale, Math.abs((double) y[i]));
            }
            worst = Math.max(worst, scale == 0 ? diff : diff / scale);
        }
        return worst;
    }
}
