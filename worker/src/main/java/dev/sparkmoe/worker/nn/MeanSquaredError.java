package dev.sparkmoe.worker.nn;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Mean squared error {@code mean_i (pred_i − target_i)²} (no ½ factor), for regression heads. Stateless. */
public final class MeanSquaredError {
    private MeanSquaredError() {}

    /**
     * @param pred    {@code [N, 1]} or {@code [N]}
     * @param targets {@code [N]}
     * @return the mean loss, {@code dPred = 2(pred − target)/N} shaped like {@code pred}, counted {@code = N}
     */
    public static LossResult compute(INDArray pred, double[] targets) {
        boolean ok = pred != null && pred.length() == targets.length
                && (pred.rank() == 1 || pred.rank() == 2 && pred.columns() == 1);
        if (!ok) {
            throw new IllegalArgumentException("mean squared error: predictions expected shape [" + targets.length
                    + ", 1] or [" + targets.length + "], got " + (pred == null ? "null" : java.util.Arrays.toString(pred.shape())));
        }
        int n = targets.length;
        if (n == 0) return new LossResult(0, pred.dup(), 0);
        INDArray target = Nd4j.createFromArray(targets).castTo(pred.dataType()).reshape(pred.shape());
        INDArray diff = pred.sub(target);
        double loss = diff.castTo(DataType.DOUBLE).norm2Number().doubleValue();
        return new LossResult(loss * loss / n, diff.muli(2.0 / n), n);
    }

    /**
     * Squared error over the targets that are not NaN (unlabelled examples), summed and divided
     * by {@code denominator}: the whole batch's scored examples when this is a share of it, or 0
     * for this batch's own count.
     *
     * @param pred    {@code [N, 1]}
     * @param targets {@code [N]}, NaN for an example the loss leaves out (its gradient is 0)
     * @return {@code Σ (pred − target)² / denominator}, {@code dPred = 2(pred − target)/denominator}
     */
    public static LossResult compute(INDArray pred, float[] targets, int denominator) {
        if (pred == null || pred.length() != targets.length) {
            throw new IllegalArgumentException("mean squared error: predictions expected [" + targets.length + ", 1], got "
                    + (pred == null ? "null" : java.util.Arrays.toString(pred.shape())));
        }
        double[] target = new double[targets.length];
        double[] keep = new double[targets.length];
        int counted = 0;
        for (int i = 0; i < targets.length; i++) {
            if (Float.isNaN(targets[i])) continue;
            target[i] = targets[i];
            keep[i] = 1;
            counted++;
        }
        int n = denominator > 0 ? denominator : counted;
        if (counted == 0) return new LossResult(0, pred.mul(0), 0);
        INDArray diff = pred.sub(Nd4j.createFromArray(target).castTo(pred.dataType()).reshape(pred.shape()))
                .muli(Nd4j.createFromArray(keep).castTo(pred.dataType()).reshape(pred.shape()));
        double sq = diff.castTo(DataType.DOUBLE).norm2Number().doubleValue();
        return new LossResult(sq * sq / n, diff.muli(2.0 / n), counted);
    }
}
