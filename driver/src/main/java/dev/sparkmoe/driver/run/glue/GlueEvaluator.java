package dev.sparkmoe.driver.run.glue;

import dev.sparkmoe.data.glue.GlueResults;
import dev.sparkmoe.data.glue.GlueSplit;
import dev.sparkmoe.data.glue.GlueTask;
import dev.sparkmoe.driver.engine.ExampleStepBatches;
import dev.sparkmoe.driver.run.Training;
import dev.sparkmoe.worker.train.Evaluation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Predicts whole GLUE splits with a {@link Training}'s current parameters: every example, in
 * consecutive batches of {@code glue.evalBatchSize} on the training's data partitions (each split's
 * set is broadcast once, on the first evaluation). Class predictions are the argmax of the
 * logits; STS-B's are the regression output. Driver side; each call runs Spark jobs and blocks.
 */
public final class GlueEvaluator implements AutoCloseable {
    private final GlueTask task;
    private final Training training;
    private final int batchSize;
    private final Map<GlueSplit, Entry> splits = new LinkedHashMap<>();
    private final Map<GlueSplit, Double> losses = new LinkedHashMap<>();

    private record Entry(GlueSplitSet data, ExampleStepBatches batches) {}

    /** @param sets the splits to predict, in the order results are returned */
    public GlueEvaluator(GlueTask task, Training training, int batchSize, List<GlueSplitSet> sets) {
        this.task = task;
        this.training = training;
        this.batchSize = batchSize;
        for (GlueSplitSet s : sets) {
            splits.put(s.split(), new Entry(s, new ExampleStepBatches(training.sparkContext(), s.set(),
                    training.dataPartitions(), ExampleStepBatches.consecutive(s.size(), batchSize))));
        }
    }

    /** The predictions of every split, in construction order. */
    public List<GlueResults> predictAll() {
        List<GlueResults> out = new ArrayList<>();
        for (GlueSplit s : splits.keySet()) out.add(predict(s));
        return out;
    }

    /** The predictions of {@code split} (metrics through {@link GlueResults#metrics()}). */
    public GlueResults predict(GlueSplit split) {
        Entry e = splits.get(split);
        if (e == null) throw new IllegalArgumentException("split " + split + " is not evaluated; have " + splits.keySet());
        int n = e.data().size();
        Evaluation eval = training.evaluate(e.batches(), ExampleStepBatches.batchesToCover(n, batchSize));
        losses.put(split, eval.loss());
        float[] flat = concat(eval.outputs(), n, split);
        if (task.isRegression()) return GlueResults.ofScores(task, split, e.data().examples(), flat);
        int classes = task.numClasses();
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) labels[i] = argmax(flat, i * classes, classes);
        return GlueResults.ofLabels(task, split, e.data().examples(), labels);
    }

    /** The per-batch outputs {@code [B·C]} joined in example order, checked to cover the split exactly. */
    private float[] concat(float[][] outputs, int n, GlueSplit split) {
        int per = task.isRegression() ? 1 : task.numClasses();
        int total = 0;
        for (float[] o : outputs) total += o.length;
        if (total != n * per) {
            throw new IllegalStateException("evaluation of " + split + " returned " + total + " outputs for " + n
                    + " examples × " + per + "; expected one row per example");
        }
        float[] flat = new float[total];
        int at = 0;
        for (float[] o : outputs) {
            System.arraycopy(o, 0, flat, at, o.length);
            at += o.length;
        }
        return flat;
    }

    /** The head's mean loss on {@code split} at its last prediction (NaN before one, or when it has no labels). */
    public double loss(GlueSplit split) {
        return losses.getOrDefault(split, Double.NaN);
    }

    /** The first index of the largest value (ties go to the lower class, deterministically). */
    static int argmax(float[] v, int from, int count) {
        int best = 0;
        for (int c = 1; c < count; c++) if (v[from + c] > v[from + best]) best = c;
        return best;
    }

    @Override
    public void close() {
        for (Entry e : splits.values()) e.batches().close();
    }
}
