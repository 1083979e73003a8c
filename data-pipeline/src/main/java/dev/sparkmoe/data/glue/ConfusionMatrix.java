package dev.sparkmoe.data.glue;

import java.io.Serializable;
import java.util.Arrays;

/**
 * A K×K confusion matrix (rows: gold class, columns: predicted class) and the classification
 * metrics of GLUE computed from it: accuracy, F1 of a positive class and Matthews correlation.
 *
 * <p>Mergeable and serialisable so that each Spark partition can fill its own and the driver
 * sums them ({@code treeAggregate(new ConfusionMatrix(k), ConfusionMatrix::add, ConfusionMatrix::merge)}
 * style); counts are {@code long}, so merging is exact and order-independent. Mutable, one
 * thread at a time.
 *
 * <p>Why not ND4J's {@code Evaluation}: data-pipeline stays free of ND4J, and these few
 * formulas (checked against scikit-learn's definitions in the tests) are all GLUE needs.
 * Zero denominators give 0, as scikit-learn does.
 */
public final class ConfusionMatrix implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int k;
    private final long[] counts;

    /** An empty matrix of {@code numClasses >= 1} classes. */
    public ConfusionMatrix(int numClasses) {
        if (numClasses < 1) {
            throw new IllegalArgumentException("numClasses " + numClasses + "; expected >= 1");
        }
        this.k = numClasses;
        this.counts = new long[numClasses * numClasses];
    }

    /** The number of classes K. */
    public int numClasses() {
        return k;
    }

    /**
     * Counts one example; returns this.
     *
     * @throws IllegalArgumentException naming the value if a class is outside {@code [0, K)}
     */
    public ConfusionMatrix add(int gold, int predicted) {
        if (gold < 0 || gold >= k || predicted < 0 || predicted >= k) {
            throw new IllegalArgumentException("gold " + gold + ", predicted " + predicted
                    + "; expected both in [0, " + k + ")");
        }
        counts[gold * k + predicted]++;
        return this;
    }

    /** Adds {@code other}'s counts into this matrix; returns this. */
    public ConfusionMatrix merge(ConfusionMatrix other) {
        if (other.k != k) {
            throw new IllegalArgumentException("cannot merge a " + other.k + "-class matrix into a " + k
                    + "-class one");
        }
        for (int i = 0; i < counts.length; i++) {
            counts[i] += other.counts[i];
        }
        return this;
    }

    /** Examples with gold class {@code gold} predicted as {@code predicted}. */
    public long count(int gold, int predicted) {
        return counts[gold * k + predicted];
    }

    /** All counted examples. */
    public long total() {
        long t = 0;
        for (long c : counts) {
            t += c;
        }
        return t;
    }

    /** Correct / total (0 when empty). */
    public double accuracy() {
        long n = total();
        return n == 0 ? 0 : (double) correct() / n;
    }

    /** F1 of class {@code positive}: 2TP / (2TP + FP + FN), 0 when that is 0/0. */
    public double f1(int positive) {
        long tp = count(positive, positive);
        long fp = predictedCount(positive) - tp;
        long fn = goldCount(positive) - tp;
        long d = 2 * tp + fp + fn;
        return d == 0 ? 0 : 2.0 * tp / d;
    }

    /**
     * Matthews correlation coefficient, multi-class form (Gorodkin 2004, scikit-learn's
     * {@code matthews_corrcoef}): {@code (c·s − Σ p_k t_k) / sqrt((s² − Σ p_k²)(s² − Σ t_k²))}
     * with c correct, s total, p_k predicted and t_k gold counts of class k; equal to the binary
     * {@code (TP·TN − FP·FN) / sqrt(...)} for K = 2. 0 when the denominator is 0.
     */
    public double matthews() {
        double s = total();
        double c = correct();
        double pt = 0;
        double pp = 0;
        double tt = 0;
        for (int j = 0; j < k; j++) {
            double p = predictedCount(j);
            double t = goldCount(j);
            pt += p * t;
            pp += p * p;
            tt += t * t;
        }
        double d = Math.sqrt((s * s - pp) * (s * s - tt));
        return d == 0 ? 0 : (c * s - pt) / d;
    }

    private long correct() {
        long c = 0;
        for (int j = 0; j < k; j++) {
            c += count(j, j);
        }
        return c;
    }

    private long goldCount(int gold) {
        long t = 0;
        for (int j = 0; j < k; j++) {
            t += count(gold, j);
        }
        return t;
    }

    private long predictedCount(int predicted) {
        long t = 0;
        for (int i = 0; i < k; i++) {
            t += count(i, predicted);
        }
        return t;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConfusionMatrix m && m.k == k && Arrays.equals(counts, m.counts);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(counts);
    }

    @Override
    public String toString() {
        return "ConfusionMatrix(" + k + " classes, " + Arrays.toString(counts) + ")";
    }
}
