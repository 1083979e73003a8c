package dev.sparkmoe.driver.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sparkmoe.data.lm.SequencePacker;
import dev.sparkmoe.driver.engine.EngineLayout;
import dev.sparkmoe.driver.engine.EngineSparkConf;
import dev.sparkmoe.driver.engine.PackedStepBatches;
import dev.sparkmoe.driver.engine.SparkEngine;
import dev.sparkmoe.driver.engine.StageTimes;
import dev.sparkmoe.routing.TopKConfig;
import dev.sparkmoe.worker.model.ModelConfig;
import dev.sparkmoe.worker.model.MoETransformer;
import dev.sparkmoe.worker.moe.InProcessDispatcher;
import dev.sparkmoe.worker.spark.FaultInjection;
import dev.sparkmoe.worker.train.ReferenceTrainer;
import dev.sparkmoe.worker.train.StepMetrics;
import dev.sparkmoe.worker.train.TrainerConfig;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * {@code scripts/bench spark}: the same model and global batch (the reference size of
 * {@link StepBench}, top-2) trained by the single-process trainer with 2 ND4J threads and by the
 * Spark engine in {@code local[2]} with 1 thread per task, so both use the machine's 2 cores.
 * Steps alternate (one of each per round) and the ratio is the median of per-round ratios, as in
 * {@link StepBench}. The last line is one JSON object: tokens/s of each, their ratio, and the
 * engine's mean time per step in dense compute, dispatch shuffles, expert compute, combine
 * shuffles, parameter sync (driver: broadcast, results, reduction, optimiser) and scheduling.
 * {@code -Dbench.steps}, {@code -Dbench.warmup}, {@code -Dbench.dataPartitions} and
 * {@code -Dbench.expertPartitions} change the defaults (7, 4, 2, 2). Four warm-up rounds: the
 * engine's pass workspaces learn their size in the first step and are allocated at that size in
 * the second, and its first steps were still getting faster at round 3. Run with {@code OMP_NUM_THREADS=1}
 * (the script does): the single-process phase raises ND4J to 2 threads on its own thread.
 */
public final class SparkBench {
    public static void main(String[] args) throws Exception {
        int warmup = Integer.getInteger("bench.warmup", 4);
        int steps = Integer.getInteger("bench.steps", 7);
        int dataPartitions = Integer.getInteger("bench.dataPartitions", 2);
        int expertPartitions = Integer.getInteger("bench.expertPartitions", 2);
        int rounds = warmup + steps;
        ModelConfig config = new ModelConfig(StepBench.V, StepBench.S, StepBench.D, 4, StepBench.F, StepBench.F,
                StepBench.BLOCKS, StepBench.MOE_BLOCKS, StepBench.EXPERTS, new TopKConfig(2, 0, true, 0.01, 0.001), true);
        TrainerConfig trainer = new TrainerConfig(1, rounds, StepBench.B, 3e-4, 3e-5, 2, 0.01, 0.9, 0.95, 1e-8, 1.0, 0, 0);
        SequencePacker tokens = new SequencePacker(stream(400_000), StepBench.S);

        SparkConf conf = EngineSparkConf.apply(new SparkConf().setMaster("local[2]").setAppName("bench-spark")
                .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1"));
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            sc.setLogLevel("WARN");
            StageTimes times = new StageTimes();
            sc.sc().addSparkListener(times);
            PackedStepBatches data = new PackedStepBatches(sc, tokens, dataPartitions, 1, StepBench.B);
            MoETransformer single = new MoETransformer(config, 1, DataType.FLOAT, InProcessDispatcher::new);
            ReferenceTrainer reference = new ReferenceTrainer(single, trainer,
                    step -> data.reference(step).withGroups(0, StepBench.B), null);   // its fastest path: one group
            MoETransformer driver = new MoETransformer(config, 1, DataType.FLOAT, InProcessDispatcher::new, null, false);
            SparkEngine engine = new SparkEngine(sc, driver, 1, trainer, data, new EngineLayout(expertPartitions, 0.5, 0),
                    null, FaultInjection.NONE);

            double[] singleSec = new double[steps];
            double[] sparkSec = new double[steps];
            double[] ratio = new double[steps];
            double jobSeconds = 0;
            for (int round = 0; round < rounds; round++) {
                threads(2);
                StepMetrics a = reference.step(round);
                threads(1);
                if (round == warmup) times.reset();
                long t0 = System.nanoTime();
                StepMetrics b = engine.step(round);
                double wall = (System.nanoTime() - t0) / 1e9;
                System.out.printf(Locale.ROOT, "round %d: single-process %.2f s (loss %.3f), spark %.2f s (loss %.3f)%n",
                        round, a.seconds(), a.loss(), wall, b.loss());
                if (round >= warmup) {
                    int i = round - warmup;
                    singleSec[i] = a.seconds();
                    sparkSec[i] = wall;
                    ratio[i] = a.seconds() / wall;
                    jobSeconds += wall;
                }
            }
            StageTimes.Totals t = times.totals();
            Map<String, Object> breakdown = new LinkedHashMap<>();
            t.breakdown(jobSeconds).forEach((k, v) -> breakdown.put(k + "_s", StepBench.round(v / steps)));
            breakdown.put("stages_per_step", (double) t.stages() / steps);

            Map<String, Object> out = new LinkedHashMap<>();
            out.put("suite", "spark");
            out.put("size", Map.of("d", StepBench.D, "ffn", StepBench.F, "blocks", StepBench.BLOCKS, "experts", StepBench.EXPERTS,
                    "seq", StepBench.S, "batch", StepBench.B, "vocab", StepBench.V, "router", "top2"));
            out.put("data_partitions", dataPartitions);
            out.put("expert_partitions", expertPartitions);
            out.put("single_process_tokens_per_s", StepBench.round(StepBench.B * StepBench.S / median(singleSec)));
            out.put("spark_tokens_per_s", StepBench.round(StepBench.B * StepBench.S / median(sparkSec)));
            out.put("spark_vs_single_process", StepBench.round(median(ratio)));
            out.put("spark_step_breakdown", breakdown);
            System.out.println(new ObjectMapper().writeValueAsString(out));
        }
    }

    /** ND4J's threads for what this thread runs next (elementwise ops and BLAS). */
    private static void threads(int n) {
        Nd4j.getEnvironment().setMaxThreads(n);
        Nd4j.getEnvironment().setMaxMasterThreads(n);
        Nd4j.factory().blas().setMaxThreads(n);
    }

    private static int[] stream(int n) {
        SplittableRandom rng = new SplittableRandom(7);
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) ids[i] = rng.nextInt(StepBench.V);
        return ids;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
