package dev.sparkmoe.driver.run.glue;

import dev.sparkmoe.driver.run.RunFiles;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sparkmoe.data.glue.GlueResults;
import dev.sparkmoe.data.glue.GlueSplit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a GLUE fine-tuning or evaluation run leaves in {@code <run>/glue/}: one
 * {@code <split>-metrics.json} per predicted split (the official metrics; empty for an
 * unlabelled test split) and GLUE's submission files under {@code submission/}. Also the
 * selection rule shared by both jobs. Driver side; blocks on the file system.
 */
public final class GlueOutputs {
    private static final ObjectMapper JSON = new ObjectMapper();   // reads selection.json

    private GlueOutputs() {}

    /** The folder of the metrics files, under the run directory. */
    public static Path dir(String runDir) { return new Path(runDir, "glue"); }

    /** The folder of the test submission files (what GLUE's server takes, zipped). */
    public static Path submissionDir(String runDir) { return new Path(dir(runDir), "submission"); }

    /**
     * Where {@code split}'s submission-format predictions go: test splits in {@link #submissionDir},
     * dev splits in its {@code dev/} sub-folder (GLUE names both files alike, e.g. {@code CoLA.tsv}).
     */
    public static Path submissionDir(String runDir, GlueSplit split) {
        return split.labelled() ? new Path(submissionDir(runDir), "dev") : submissionDir(runDir);
    }

    /** The metrics file of {@code split}: {@code <run>/glue/dev-metrics.json}, {@code dev_matched-metrics.json}, ... */
    public static Path metricsFile(String runDir, GlueSplit split) {
        return new Path(dir(runDir), split.name().toLowerCase(Locale.ROOT) + "-metrics.json");
    }

    /**
     * The dev score that selects the model: the mean over the dev splits of each split's GLUE
     * score (MNLI: matched and mismatched accuracy count alike).
     */
    public static double selectionScore(List<GlueResults> dev) {
        return dev.stream().mapToDouble(r -> r.evaluation().score()).average().orElse(Double.NaN);
    }

    /** The metrics of the labelled splits in one map (MNLI's names say matched or mismatched). */
    public static Map<String, Double> metrics(List<GlueResults> results) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (GlueResults r : results) m.putAll(r.metrics());
        return m;
    }

    /** Writes each split's metrics file and submission file, naming each on {@code out}. */
    public static void write(String runDir, long step, List<GlueResults> results, Configuration hadoop, PrintStream out) {
        for (GlueResults r : results) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("task", r.task().displayName());
            json.put("split", r.split().name().toLowerCase(Locale.ROOT));
            json.put("step", step);
            json.put("metrics", r.metrics());
            Path file = metricsFile(runDir, r.split());
            RunFiles.writeText(file, RunFiles.json(json), hadoop);
            try {
                Path submission = r.writeSubmission(submissionDir(runDir, r.split()), hadoop);
                out.printf(Locale.ROOT, "%s: %s -> %s, %s%n", r.split(), r.metrics(), file, submission);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the GLUE results of " + r.split() + " to " + runDir + ": "
                        + e.getMessage(), e);
            }
        }
    }

    /**
     * A record for {@code metrics.jsonl}: the dev loss (under {@code valid_loss}, so the run report
     * charts it like a language model's), metrics and selection score after step {@code step} (0-based).
     */
    public static Map<String, Object> validationRecord(long step, double loss, List<GlueResults> dev, double score) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("step", step);
        r.put("valid_loss", loss);
        r.put("dev_metrics", metrics(dev));
        r.put("dev_score", score);
        return r;
    }


    /** The file that names the selected model: {@code <run>/glue/selection.json}. */
    public static Path selectionFile(String runDir) { return new Path(dir(runDir), "selection.json"); }

    /** Records which step's checkpoint the dev selection kept (so {@code eval} can check it loads that one). */
    public static void writeSelection(String runDir, long step, double score, Configuration hadoop) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("step", step);
        json.put("dev_score", score);
        RunFiles.writeText(selectionFile(runDir), RunFiles.json(json), hadoop);
    }

    /**
     * The selected step recorded by {@link #writeSelection}.
     *
     * @throws IllegalArgumentException naming the file when it is missing: not a finished fine-tuning run
     */
    public static long readSelection(String runDir, Configuration hadoop) {
        Path file = selectionFile(runDir);
        try {
            FileSystem fs = file.getFileSystem(hadoop);
            if (!fs.exists(file)) {
                throw new IllegalArgumentException(runDir + " is not a finished GLUE fine-tuning run: " + file + " does not exist");
            }
            try (InputStream in = fs.open(file)) {
                return JSON.readTree(in).get("step").asLong();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * What a GLUE job returns.
     *
     * @param task        the GLUE task's name
     * @param step        completed steps of the selected model
     * @param devMetrics  its dev metrics (all dev splits)
     * @param runDir      the fine-tuning run directory
     */
    public record Result(String task, long step, Map<String, Double> devMetrics, String runDir) {}
}
