package dev.sparkmoe.driver.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sparkmoe.routing.AttentionKConfig;
import dev.sparkmoe.routing.RouterConfig;
import dev.sparkmoe.routing.TopAnyConfig;
import dev.sparkmoe.routing.TopKConfig;
import dev.sparkmoe.worker.model.ModelConfig;
import dev.sparkmoe.worker.model.TokenBatch;
import dev.sparkmoe.worker.model.TransformerLM;
import dev.sparkmoe.worker.moe.InProcessDispatcher;
import dev.sparkmoe.worker.train.ReferenceTrainer;
import dev.sparkmoe.worker.train.StepMetrics;
import dev.sparkmoe.worker.train.TrainerConfig;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * {@code scripts/bench step}: times training steps of the single-process trainer at the
 * reference size (D=256, FFN 1024, 4 blocks with MoE in blocks 1 and 3, 8 experts, S=128,
 * B=32, V=8192) for each router, measures ND4J's sgemm peak in the same JVM, and prints as its
 * last line one JSON object: tokens/s per router, model-FLOPs utilisation (achieved training
 * FLOP/s over that peak), and DynMoE's step time relative to top-k at the nearest k.
 * Run it with {@code OMP_NUM_THREADS=1} for the single-thread figures; {@code -Dbench.routers=top2,dynmoe}
 * times a subset, {@code -Dbench.steps} and {@code -Dbench.warmup} set the step counts.
 */
public final class StepBench {
    static final int D = 256, F = 1024, BLOCKS = 4, EXPERTS = 8, S = 128, B = 32, V = 8192;
    static final int[] MOE_BLOCKS = {1, 3};

    public static void main(String[] args) throws Exception {
        int warmup = Integer.parseInt(System.getProperty("bench.warmup", "2"));
        int steps = Integer.parseInt(System.getProperty("bench.steps", "5"));
        // The peak is measured before and after the routers and the higher value kept, so that a
        // noisy neighbour during one measurement inflates no MFU figure.
        double peak = sgemmPeak();

        Map<String, RouterConfig> routers = new LinkedHashMap<>();
        routers.put("top1", new TopKConfig(1, 0, true, 0.01, 0.001));
        routers.put("top2", new TopKConfig(2, 0, true, 0.01, 0.001));
        routers.put("top4", new TopKConfig(4, 0, true, 0.01, 0.001));
        routers.put("dynmoe", TopAnyConfig.defaults());
        routers.put("damoe", new AttentionKConfig(1.0, 1, 0, 0, 0.01, 0.001, false));

        String only = System.getProperty("bench.routers", "");
        if (!only.isEmpty()) routers.keySet().retainAll(Arrays.asList(only.split(",")));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("suite", "step");
        out.put("size", Map.of("d", D, "ffn", F, "blocks", BLOCKS, "moeBlocks", MOE_BLOCKS, "experts", EXPERTS,
                "seq", S, "batch", B, "vocab", V));
        Map<String, Map<String, Object>> results = new LinkedHashMap<>();
        for (Map.Entry<String, RouterConfig> r : routers.entrySet()) {
            results.put(r.getKey(), run(r.getValue(), warmup, steps));
            System.out.println(r.getKey() + ": " + results.get(r.getKey()));
        }
        peak = Math.max(peak, sgemmPeak());
        System.out.printf(Locale.ROOT, "sgemm peak (1024^3, OMP_NUM_THREADS=%s): %.1f GFLOP/s%n",
                System.getenv("OMP_NUM_THREADS"), peak / 1e9);
        out.put("sgemm_peak_gflops", round(peak / 1e9));
        for (Map<String, Object> r : results.values()) r.put("mfu", round((double) r.get("achieved_gflops") * 1e9 / peak));
        out.put("routers", results);
        if (results.containsKey("dynmoe") && results.containsKey("top2")) compare(results, out);
        System.out.println(new ObjectMapper().writeValueAsString(out));
    }

    private static void compare(Map<String, Map<String, Object>> results, Map<String, Object> out) {
        double dynK = (double) results.get("dynmoe").get("mean_active");
        String nearest = "top" + (dynK < 1.5 ? 1 : dynK < 3 ? 2 : 4);
        out.put("dynmoe_mean_active", round(dynK));
        out.put("dynmoe_vs_" + nearest + "_step_time", round(seconds(results, "dynmoe") / seconds(results, nearest)));
        out.put("dynmoe_vs_top2_step_time", round(seconds(results, "dynmoe") / seconds(results, "top2")));
        out.put("mfu_top2", results.get("top2").get("mfu"));
    }

    private static double seconds(Map<String, Map<String, Object>> r, String key) {
        return (double) r.get(key).get("step_seconds");
    }

    static Map<String, Object> run(RouterConfig router, int warmup, int steps) {
        ModelConfig cfg = new ModelConfig(V, S, D, 4, F, F, BLOCKS, MOE_BLOCKS, EXPERTS, router, true);
        TransformerLM model = new TransformerLM(cfg, 7, DataType.FLOAT, InProcessDispatcher::new);
        TrainerConfig tc = new TrainerConfig(7, warmup + steps, B, 1e-3, 1e-4, 1, 0.1, 0.9, 0.95, 1e-8, 1.0, 0, 0);
        ReferenceTrainer trainer = new ReferenceTrainer(model, tc, step -> syntheticBatch(step), null);
        double[] times = new double[steps];
        double[] active = new double[MOE_BLOCKS.length];
        for (int s = 0; s < warmup + steps; s++) {
            StepMetrics m = trainer.step(s);
            if (s < warmup) continue;
            times[s - warmup] = m.seconds();
            for (int l = 0; l < active.length; l++) active[l] += m.layers().get(l).meanActive() / steps;
        }
        Arrays.sort(times);
        double median = times[steps / 2];
        double flops = ModelFlops.trainingStep(cfg, (long) B * S, active);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("step_seconds", round(median));
        r.put("tokens_per_s", round(B * S / median));
        r.put("mean_active", round(Arrays.stream(active).average().orElse(0)));
        r.put("gflop_per_step", round(flops / 1e9));
        r.put("achieved_gflops", round(flops / median / 1e9));
        return r;
    }

    /** A batch of uniformly random token ids, seeded by the step (Zipf-free on purpose: routing is what is timed). */
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
