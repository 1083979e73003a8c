package dev.sparkmoe.driver.experiment;

import dev.sparkmoe.driver.report.RunLog;
import dev.sparkmoe.driver.report.StepRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What one task of one router measured: its score and, from the run directories' step lines,
 * the routing it settled on and what a step cost.
 *
 * @param score            the task's metric (perplexity, Matthews correlation, accuracy)
 * @param activePerToken   mean activated experts per token over the last quarter of the steps, all MoE layers
 * @param finalExperts     live experts per MoE layer at the last step (of the last run, for several)
 * @param stepSeconds      median seconds per training step
 */
public record TaskSummary(double score, double activePerToken, int[] finalExperts, double stepSeconds) {

    /** Reads the step lines of {@code runDirs} (several for a leave-one-domain-out sweep) and pairs them with {@code score}. */
    static TaskSummary of(double score, List<String> runDirs, Configuration hadoop) {
        List<StepRecord> tail = new ArrayList<>();
        List<Double> seconds = new ArrayList<>();
        int[] last = new int[0];
        for (String dir : runDirs) {
            List<StepRecord> steps = read(dir, hadoop);
            if (steps.isEmpty()) continue;
            tail.addAll(steps.subList(steps.size() - Math.max(1, steps.size() / 4), steps.size()));
            for (StepRecord s : steps.subList(Math.min(2, steps.size() - 1), steps.size())) seconds.add(s.seconds());   // after warm-up
            last = steps.get(steps.size() - 1).experts();
        }
        double active = 0;
        int n = 0;
        for (StepRecord s : tail) {
            for (double a : s.activePerToken()) {
                active += a;
                n++;
            }
        }
        double[] sorted = seconds.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double median = sorted.length == 0 ? Double.NaN : sorted[sorted.length / 2];
        return new TaskSummary(score, n == 0 ? Double.NaN : active / n, last, median);
    }

    private static List<StepRecord> read(String dir, Configuration hadoop) {
        try {
            Path p = new Path(dir);
            FileSystem fs = p.getFileSystem(hadoop);
            return RunLog.read(fs, p).steps();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the run directory " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Experts per layer as {@code 4/6}. */
    String experts() {
        return String.join("/", Arrays.stream(finalExperts).mapToObj(Integer::toString).toList());
    }
}
