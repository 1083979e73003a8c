package dev.sparkmoe.driver.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sparkmoe.routing.AttentionKConfig;
import dev.sparkmoe.routing.RouterConfig;
import dev.sparkmoe.routing.TopAnyConfig;
import dev.sparkmoe.routing.TopKConfig;
import dev.sparkmoe.worker.model.ModelConfig;
import dev.sparkmoe.worker.model.TokenBatch;
import dev.sparkmoe.worker.model.MoETransformer;
import dev.sparkmoe.worker.moe.InProcessDispatcher;
import dev.sparkmoe.worker.train.ReferenceTrainer;
import dev.sparkmoe.worker.train.StepMetrics;
import dev.sparkmoe.worker.train.TrainerConfig;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * {@code scripts/bench step}: times training steps of the single-process trainer at the
 * reference size (D=256, FFN 1024, 4 blocks with MoE in blocks 1 and 3, 8 experts, S=128,
 * B=32, V=8192) for each router, measures ND4J's sgemm peak in the same JVM, and prints as its
 * last line one JSON object: tokens/s per router, model-FLOPs utilisation (achieved training
 * FLOP/s over that peak), and DynMoE's step time relative to top-k.
 *
 * <p>The routers' steps are interleaved (one step of each router per round), and comparisons
 * are the median over rounds of the per-round ratio: on a shared machine the speed drifts by
 * ±15 % within a minute, and a ratio of two steps taken seconds apart cancels most of that.
 * Run it with {@code OMP_NUM_THREADS=1} for the single-thread figures;
 * {@code -Dbench.routers=top2,dynmoe} times a subset, {@code -Dbench.steps} and
 * {@code -Dbench.warmup} set the rounds.
 */
public final class StepBench {
    static final int D = 256, F = 1024, BLOCKS = 4, EXPERTS = 8, S = 128, B = 32, V = 8192;
    static final int[] MOE_BLOCKS = {1, 3};

    public static void main(String[] args) throws Exception {
        int warmup = Integer.parseInt(System.getProperty("bench.warmup", "2"));
        int steps = Integer.parseInt(System.getProperty("bench.steps", "7"));
        // The peak is measured before and after the routers and the higher value kept, so that a
        // noisy neighbour during one measurement inflates no MFU figure.
        double peak = sgemmPeak();

        Map<String, Timed> timed = new LinkedHashMap<>();
        for (Map.Entry<String, RouterConfig> r : routers().entrySet()) timed.put(r.getKey(), new Timed(r.getValue(), warmup + steps));
        for (int round = 0; round < warmup + steps; round++) {
            for (Timed t : timed.values()) t.step(round, round >= warmup);
        }
        peak = Math.max(peak, sgemmPeak());
        System.out.printf(Locale.ROOT, "sgemm peak (1024^3, OMP_NUM_THREADS=%s): %.1f GFLOP/s%n",
                System.getenv("OMP_NUM_THREADS"), peak / 1e9);

        Map<String, Object> out = new LinkedHashMap<>();
        out.put("suite", "step");
        out.put("size", Map.of("d", D, "ffn", F, "blocks", BLOCKS, "moeBlocks", MOE_BLOCKS, "experts", EXPERTS,
                "seq", S, "batch", B, "vocab", V));
        out.put("sgemm_peak_gflops", round(peak / 1e9));
        Map<String, Map<String, Object>> results = new LinkedHashMap<>();
        for (Map.Entry<String, Timed> t : timed.entrySet()) {
            results.put(t.getKey(), t.getValue().summary(peak));
            System.out.println(t.getKey() + ": " + results.get(t.getKey()));
        }
        out.put("routers", results);
        if (timed.containsKey("dynmoe")) compare(timed, out);
        if (results.containsKey("top2")) out.put("mfu_top2", results.get("top2").get("mfu"));
        System.out.println(new ObjectMapper().writeValueAsString(out));
    }

    static Map<String, RouterConfig> routers() {
        Map<String, RouterConfig> routers = new LinkedHashMap<>();
        routers.put("top1", new TopKConfig(1, 0, true, 0.01, 0.001));
        routers.put("top2", new TopKConfig(2, 0, true, 0.01, 0.001));
        routers.put("top4", new TopKConfig(4, 0, true, 0.01, 0.001));
        routers.put("dynmoe", TopAnyConfig.defaults());
        routers.put("damoe", new AttentionKConfig(1.0, 1, 0, 0, 0.01, 0.001, false));
        String only = System.getProperty("bench.routers", "");
        if (!only.isEmpty()) routers.keySet().retainAll(Arrays.asList(only.split(",")));
        return routers;
    }

    /**
     * DynMoE against every top-k timed: the median per-round step-time ratio, and the same per
     * model FLOP (DynMoE activates a data-dependent number of experts, so the top-k with the
     * nearest k still does a different amount of work).
     */
    private static void compare(Map<String, Timed> timed, Map<String, Object> out) {
        Timed dyn = timed.get("dynmoe");
        out.put("dynmoe_mean_active", round(dyn.meanActive()));
        for (String k : List.of("top1", "top2", "top4")) {
            Timed other = timed.get(k);
            if (other == null) continue;
            double time = dyn.medianRatio(other);
            out.put("dynmoe_vs_" + k + "_step_time", round(time));
            out.put("dynmoe_vs_" + k + "_time_per_flop", round(time * other.flops() / dyn.flops()));
        }
    }

    /** One router's trainer and the times of its measured steps. */
    private static final class Timed {
        final ModelConfig cfg;
        final ReferenceTrainer trainer;
        final double[] seconds;
        final double[] active = new double[MOE_BLOCKS.length];
        int measured;

        Timed(RouterConfig router, int rounds) {
            cfg = new ModelConfig(V, S, D, 4, F, F, BLOCKS, MOE_BLOCKS, EXPERTS, router, true);
            MoETransformer model = new MoETransformer(cfg, 7, DataType.FLOAT, InProcessDispatcher::new);
            TrainerConfig tc = new TrainerConfig(7, rounds, B, 1e-3, 1e-4, 1, 0.1, 0.9, 0.95, 1e-8, 1.0, 0, 0);
            trainer = new ReferenceTrainer(model, tc, StepBench::syntheticBatch, null);
            seconds = new double[rounds];
        }

        void step(int round, boolean measure) {
            StepMetrics m = trainer.step(round);
            if (!measure) return;
            seconds[measured++] = m.seconds();
            for (int l = 0; l < active.length; l++) active[l] += m.layers().get(l).meanActive();
        }

        double meanActive() { return Arrays.stream(active).sum() / active.length / measured; }

        double[] measuredSeconds() { return Arrays.copyOf(seconds, measured); }

        double median() { return median(measuredSeconds()); }

        double flops() {
            double[] perLayer = Arrays.stream(active).map(a -> a / measured).toArray();
            return ModelFlops.trainingStep(cfg, (long) B * S, perLayer);
        }

        /** Median over rounds of this router's step time divided by {@code other}'s in the same round. */
        double medianRatio(Timed other) {
            double[] r = new double[measured];
            for (int i = 0; i < measured; i++) r[i] = seconds[i] / other.seconds[i];
            return median(r);
        }

        Map<String, Object> summary(double peak) {
            double median = median();
            double flops = flops();
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("step_seconds", round(median));
            r.put("each_step_seconds", Arrays.stream(measuredSeconds()).map(StepBench::round).toArray());
            r.put("tokens_per_s", round(B * S / median));
            r.put("mean_active", round(meanActive()));
            r.put("gflop_per_step", round(flops / 1e9));
            r.put("achieved_gflops", round(flops / median / 1e9));
            r.put("mfu", round(flops / median / peak));
            return r;
        }

        private static double median(double[] values) {
            double[] v = values.clone();
            Arrays.sort(v);
            return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
        }
    }

    /** A batch of uniformly random token ids, seeded by the step (routing is what is timed, not learning). */
    static TokenBatch syntheticBatch(long step) {
        SplittableRandom rng = new SplittableRandom(1000 + step);
        int[][] windows = new int[B][S + 1];
        for (int[] w : windows) for (int i = 0; i < w.length; i++) w[i] = rng.nextInt(V);
        return TokenBatch.ofWindows(windows);
    }

    /** Best of several 1024³ single-precision GEMMs, in FLOP/s. */
    static double sgemmPeak() {
        int n = 1024;
        INDArray a = Nd4j.rand(DataType.FLOAT, n, n), b = Nd4j.rand(DataType.FLOAT, n, n), c = Nd4j.create(DataType.FLOAT, n, n);
        double best = 0;
        for (int rep = 0; rep < 20; rep++) {
            long t = System.nanoTime();
            Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);
            best = Math.max(best, 2.0 * n * n * n / ((System.nanoTime() - t) / 1e9));
        }
        return best;
    }

    static double round(double v) { return Math.round(v * 1000) / 1000.0; }
}
