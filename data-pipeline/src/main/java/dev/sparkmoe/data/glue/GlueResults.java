package dev.sparkmoe.data.glue;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * A model's predictions for one split of one GLUE task, indexed like the split's examples: class
 * ids for classification tasks ({@link #ofLabels}), scores for STS-B ({@link #ofScores}). Gives the
 * task's official metrics when the examples carry gold labels ({@link #metrics()}, through
 * {@link GlueEvaluation}) and writes the split's GLUE submission file ({@link #writeSubmission},
 * through {@link GlueSubmission}: {@code CoLA.tsv}, {@code MNLI-m.tsv}, {@code AX.tsv}, ...).
 *
 * <p>A driver-side value: the caller collects the predictions; metrics are computed once, on the
 * driver. The arrays are not copied (do not change them afterwards).
 */
public final class GlueResults {
    private final GlueTask task;
    private final GlueSplit split;
    private final List<GlueExample> examples;
    private final int[] labels;
    private final float[] scores;

    private GlueResults(GlueTask task, GlueSplit split, List<GlueExample> examples, int[] labels, float[] scores) {
        task.checkSplit(split);
        int n = labels != null ? labels.length : scores.length;
        if (n != examples.size()) {
            throw new IllegalArgumentException("GLUE " + task + " " + split + ": " + n + " predictions for "
                    + examples.size() + " examples; expected one prediction per example");
        }
        this.task = task;
        this.split = split;
        this.examples = examples;
        this.labels = labels;
        this.scores = scores;
    }

    /**
     * Class predictions: {@code predicted[i]} is the label id (see {@link GlueTask#labels()}) of
     * {@code examples.get(i)}.
     *
     * @throws IllegalArgumentException for STS-B, a split the task lacks, or unequal lengths
     */
    public static GlueResults ofLabels(GlueTask task, GlueSplit split, List<GlueExample> examples, int[] predicted) {
        if (task.isRegression()) {
            throw new IllegalArgumentException(task + " predictions are scores; expected ofScores");
        }
        return new GlueResults(task, split, examples, predicted, null);
    }

    /**
     * STS-B score predictions: {@code predicted[i]} is the similarity of {@code examples.get(i)}.
     *
     * @throws IllegalArgumentException for a classification task, a split the task lacks, or unequal lengths
     */
    public static GlueResults ofScores(GlueTask task, GlueSplit split, List<GlueExample> examples, float[] predicted) {
        if (!task.isRegression()) {
            throw new IllegalArgumentException(task + " predictions are class ids; expected ofLabels");
        }
        return new GlueResults(task, split, examples, null, predicted);
    }

    /** The task. */
    public GlueTask task() {
        return task;
    }

    /** The split. */
    public GlueSplit split() {
        return split;
    }

    /**
     * Whether every example carries a gold label or score (dev; test only where its labels are
     * known). A split where only some do is an error: metrics over part of it would mislead.
     *
     * @throws IllegalStateException for a partly labelled split, naming the first unlabelled example
     */
    public boolean labelled() {
        int unlabelled = -1;
        int labelled = 0;
        for (GlueExample e : examples) {
            if (e.hasLabel()) {
                labelled++;
            } else if (unlabelled < 0) {
                unlabelled = e.index();
            }
        }
        if (labelled > 0 && unlabelled >= 0) {
            throw new IllegalStateException("GLUE " + task + " " + split + ": " + labelled + " of " + examples.size()
                    + " examples are labelled but example " + unlabelled + " is not; expected all or none");
        }
        return labelled > 0;
    }

    /**
     * The task's official metrics on this split, in GLUE's order ({@code mcc}; {@code f1},
     * {@code accuracy}; {@code pearson}, {@code spearman}; {@code matched_accuracy}; ... see
     * {@link GlueEvaluation}), or an empty map when the split carries no gold labels.
     */
    public Map<String, Double> metrics() {
        return labelled() ? evaluation().metrics() : Map.of();
    }

    /**
     * The filled {@link GlueEvaluation} (its confusion matrix, its {@link GlueEvaluation#score()}).
     *
     * @throws IllegalStateException if the split carries no gold labels
     */
    public GlueEvaluation evaluation() {
        if (!labelled()) {
            throw new IllegalStateException("GLUE " + task + " " + split + " has no gold labels; expected a labelled split");
        }
        GlueEvaluation eval = new GlueEvaluation(task, split);
        for (int i = 0; i < examples.size(); i++) {
            GlueExample e = examples.get(i);
            if (labels != null) {
                eval.add(e.label(), labels[i]);
            } else {
                eval.addScore(e.score(), scores[i]);
            }
        }
        return eval;
    }

    /**
     * Writes the split's GLUE submission file ({@link GlueSubmission#fileName}) into {@code dir},
     * one row per example in the examples' order, indexed by {@link GlueExample#index()}; returns
     * its path. Runs on the driver and blocks until the file is in place.
     *
     * @throws IllegalArgumentException for MNLI's train split, or a label id outside the task's
     */
    public Path writeSubmission(Path dir, Configuration conf) throws IOException {
        int[] indices = new int[examples.size()];
        for (int i = 0; i < indices.length; i++) {
            indices[i] = examples.get(i).index();
        }
        return labels != null ? GlueSubmission.write(dir, task, split, indices, labels, conf)
                : GlueSubmission.writeScores(dir, task, split, indices, scores, conf);
    }

    @Override
    public String toString() {
        return "GlueResults(" + task + " " + split + ", " + examples.size() + " predictions)";
    }
}
