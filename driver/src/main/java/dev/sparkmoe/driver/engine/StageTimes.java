package dev.sparkmoe.driver.engine;

import org.apache.spark.executor.TaskMetrics;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageCompleted;
import org.apache.spark.scheduler.StageInfo;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where the engine's time goes, from Spark's own stage metrics: a listener that splits every
 * completed engine stage's wall time into compute and shuffle, by stage kind. A data stage's
 * shuffle write is the dispatch shuffle and its shuffle-read wait the combine shuffle; an expert
 * stage's the other way round. Each stage's wall time is shared out in proportion to its tasks'
 * run time spent writing or waiting for shuffle data; the rest is compute (which includes
 * deserialising the blocks read: Spark does not time that apart). Thread-safe.
 */
public final class StageTimes extends SparkListener {
    /** Seconds spent per category, summed over the stages seen. */
    public record Totals(double dense, double dispatchShuffle, double expert, double combineShuffle, int stages) {
        /**
         * Where {@code wallSeconds} of steps went, by category in step order; what the stages do
         * not account for is parameter sync (driver: broadcast, results, reduction, optimiser)
         * and scheduling.
         */
        public Map<String, Double> breakdown(double wallSeconds) {
            Map<String, Double> out = new LinkedHashMap<>();
            out.put("dense_compute", dense);
            out.put("dispatch_shuffle", dispatchShuffle);
            out.put("expert_compute", expert);
            out.put("combine_shuffle", combineShuffle);
            out.put("param_sync_and_scheduling", Math.max(0, wallSeconds - dense - dispatchShuffle - expert - combineShuffle));
            return out;
        }
    }

    private final Map<String, double[]> byCategory = new TreeMap<>();
    private int stages;

    @Override
    public synchronized void onStageCompleted(SparkListenerStageCompleted event) {
        StageInfo info = event.stageInfo();
        StageKind kind = StageKind.of(info.name());
        if (kind == null || info.submissionTime().isEmpty() || info.completionTime().isEmpty()) return;
        double wall = ((Long) info.completionTime().get() - (Long) info.submissionTime().get()) / 1e3;
        TaskMetrics m = info.taskMetrics();
        double run = Math.max(1e-9, m.executorRunTime() / 1e3);
        double write = m.shuffleWriteMetrics().writeTime() / 1e9;
        double wait = m.shuffleReadMetrics().fetchWaitTime() / 1e3;
        double writeShare = Math.min(1, write / run) * wall;
        double waitShare = Math.min(1 - writeShare / wall, wait / run) * wall;
        double compute = wall - writeShare - waitShare;
        if (kind == StageKind.DATA) {
            add("dense", compute);
            add("dispatch", writeShare);
            add("combine", waitShare);
        } else {
            add("expert", compute);
            add("combine", writeShare);
            add("dispatch", waitShare);
        }
        stages++;
    }

    /** The totals so far. */
    public synchronized Totals totals() {
        return new Totals(get("dense"), get("dispatch"), get("expert"), get("combine"), stages);
    }

    /** Forgets what was seen (e.g. after warm-up). */
    public synchronized void reset() {
        byCategory.clear();
        stages = 0;
    }

    private void add(String key, double seconds) {
        byCategory.computeIfAbsent(key, k -> new double[1])[0] += seconds;
    }

    private double get(String key) {
        double[] v = byCategory.get(key);
        return v == null ? 0 : v[0];
    }
}
