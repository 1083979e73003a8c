package dev.sparkmoe.data.glue;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Pearson and Spearman correlation between gold and predicted scores (STS-B's metrics).
 * Spearman needs the ranks of all values, so the accumulator keeps the pairs (two growable
 * {@code float[]}; STS-B dev has 1,500); merging concatenates. Serialisable and mergeable
 * across Spark partitions; the result does not depend on the merge order up to double
 * rounding. Mutable, one thread at a time.
 *
 * <p>Spearman = Pearson of the ranks, ties taking the average of the ranks they span
 * (scipy's {@code spearmanr}). Both return NaN for fewer than two pairs or a constant side.
 */
public final class ScoreCorrelation implements Serializable {
    private static final long serialVersionUID = 1L;

    private float[] gold = new float[64];
    private float[] predicted = new float[64];
    private int n;

    /** Adds one pair; returns this. */
    public ScoreCorrelation add(float goldScore, float predictedScore) {
        if (!Float.isFinite(goldScore) || !Float.isFinite(predictedScore)) {
            throw new IllegalArgumentException("gold " + goldScore + ", predicted " + predictedScore
                    + "; expected finite scores");
        }
        if (n == gold.length) {
            gold = Arrays.copyOf(gold, n * 2);
            predicted = Arrays.copyOf(predicted, n * 2);
        }
        gold[n] = goldScore;
        predicted[n] = predictedScore;
        n++;
        return this;
    }

    /** Appends {@code other}'s pairs to this; returns this. */
    public ScoreCorrelation merge(ScoreCorrelation other) {
        for (int i = 0; i < other.n; i++) {
            add(other.gold[i], other.predicted[i]);
        }
        return this;
    }

    /** Number of pairs. */
    public int count() {
        return n;
    }

    /** Pearson's r (two-pass, in double). */
    public double pearson() {
        return pearson(toDouble(gold), toDouble(predicted));
    }

    /** Spearman's rho with tie-averaged ranks. */
    public double spearman() {
        return pearson(ranks(gold), ranks(predicted));
    }

    private double[] toDouble(float[] v) {
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            d[i] = v[i];
        }
        return d;
    }

    /** 1-based ranks of {@code v[0, n)}, ties averaged. */
    private double[] ranks(float[] v) {
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Float.compare(v[a], v[b]));
        double[] r = new double[n];
        int i = 0;
        while (i < n) {
            int j = i;
            while (j + 1 < n && v[order[j + 1]] == v[order[i]]) {
                j++;
            }
            double avg = (i + j) / 2.0 + 1; // ranks i+1..j+1
            for (int t = i; t <= j; t++) {
                r[order[t]] = avg;
            }
            i = j + 1;
        }
        return r;
    }

    private static double pearson(double[] x, double[] y) {
        int m = x.length;
        if (m < 2) {
            return Double.NaN;
        }
        double mx = 0;
        double my = 0;
        for (int i = 0; i < m; i++) {
            mx += x[i];
            my += y[i];
        }
        mx /= m;
        my /= m;
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < m; i++) {
            double dx = x[i] - mx;
            double dy = y[i] - my;
            sxy += dx * dy;
            sxx += dx * dx;
            syy += dy * dy;
        }
        return sxx == 0 || syy == 0 ? Double.NaN : sxy / Math.sqrt(sxx * syy);
    }

    @Override
    public String toString() {
        return "ScoreCorrelation(" + n + " pairs)";
    }
}
