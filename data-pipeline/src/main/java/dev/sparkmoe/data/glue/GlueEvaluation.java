package dev.sparkmoe.data.glue;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The official metrics of one GLUE task on one labelled split, accumulated example by example
 * and mergeable across Spark partitions (serialisable; merge in any order):
 * <ul>
 *   <li>CoLA: {@code mcc} (Matthews correlation); AX: {@code mcc} over its three classes
 *       (GLUE's R3);</li>
 *   <li>SST-2, QNLI, RTE, WNLI: {@code accuracy};</li>
 *   <li>MRPC, QQP: {@code f1} (class 1 positive) and {@code accuracy};</li>
 *   <li>STS-B: {@code pearson} and {@code spearman};</li>
 *   <li>MNLI: {@code matched_accuracy} on {@link GlueSplit#DEV_MATCHED},
 *       {@code mismatched_accuracy} on {@link GlueSplit#DEV_MISMATCHED}
 *       ({@code accuracy} on train).</li>
 * </ul>
 * {@link #score()} is the task's single GLUE leaderboard number: the mean of its metrics.
 * Mutable, one thread at a time.
 */
public final class GlueEvaluation implements Serializable {
    private static final long serialVersionUID = 1L;

    private final GlueTask task;
    private final GlueSplit split;
    private final ConfusionMatrix matrix;
    private final ScoreCorrelation scores;

    /**
     * An empty evaluation. Test splits are allowed for test sets whose labels are known (the
     * embedded task's {@code test_labelled.tsv}, AX's public diagnostic labels).
     *
     * @throws IllegalArgumentException for a split the task does not have
     */
    public GlueEvaluation(GlueTask task, GlueSplit split) {
        task.checkSplit(split);
        this.task = task;
        this.split = split;
        this.matrix = task.isRegression() ? null : new ConfusionMatrix(task.numClasses());
        this.scores = task.isRegression() ? new ScoreCorrelation() : null;
    }

    /** The task. */
    public GlueTask task() {
        return task;
    }

    /** The split. */
    public GlueSplit split() {
        return split;
    }

    /** Counts one classification example; returns this. */
    public GlueEvaluation add(int goldLabel, int predictedLabel) {
        if (matrix == null) {
            throw new IllegalStateException(task + " is a regression task; expected addScore");
        }
        matrix.add(goldLabel, predictedLabel);
        return this;
    }

    /** Counts one STS-B example; returns this. */
    public GlueEvaluation addScore(float goldScore, float predictedScore) {
        if (scores == null) {
            throw new IllegalStateException(task + " is a classification task; expected add(gold, predicted)");
        }
        scores.add(goldScore, predictedScore);
        return this;
    }

    /** Counts the example {@code gold} (its label or score) against a prediction; returns this. */
    public GlueEvaluation add(GlueExample gold, int predictedLabel, float predictedScore) {
        return task.isRegression() ? addScore(gold.score(), predictedScore) : add(gold.label(), predictedLabel);
    }

    /** Adds {@code other} (same task and split) into this; returns this. */
    public GlueEvaluation merge(GlueEvaluation other) {
        if (other.task != task || other.split != split) {
            throw new IllegalArgumentException("cannot merge " + other.task + " " + other.split + " into "
                    + task + " " + split);
        }
        if (matrix != null) {
            matrix.merge(other.matrix);
        } else {
            scores.merge(other.scores);
        }
        return this;
    }

    /** Examples counted. */
    public long count() {
        return matrix != null ? matrix.total() : scores.count();
    }

    /** The confusion matrix (null for STS-B). */
    public ConfusionMatrix confusionMatrix() {
        return matrix;
    }

    /** The task's metrics by name, in GLUE's order (see the class comment). */
    public Map<String, Double> metrics() {
        Map<String, Double> m = new LinkedHashMap<>();
        switch (task) {
            case COLA, AX -> m.put("mcc", matrix.matthews());
            case MRPC, QQP -> {
                m.put("f1", matrix.f1(1));
                m.put("accuracy", matrix.accuracy());
            }
            case STSB -> {
                m.put("pearson", scores.pearson());
                m.put("spearman", scores.spearman());
            }
            case MNLI -> m.put(split == GlueSplit.DEV_MATCHED ? "matched_accuracy"
                    : split == GlueSplit.DEV_MISMATCHED ? "mismatched_accuracy" : "accuracy", matrix.accuracy());
            default -> m.put("accuracy", matrix.accuracy());
        }
        return m;
    }

    /** The mean of {@link #metrics()}: the task's GLUE score on this split. */
    public double score() {
        return metrics().values().stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    @Override
    public String toString() {
        return "GlueEvaluation(" + task + " " + split + ", " + count() + " examples, " + metrics() + ")";
    }
}
