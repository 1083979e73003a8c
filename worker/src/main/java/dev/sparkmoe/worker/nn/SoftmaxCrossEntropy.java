package dev.sparkmoe.worker.nn;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.Arrays;

/**
 * Softmax cross-entropy over class logits, averaged over the rows whose label is not the ignore index
 * (e.g. padding or unmasked positions). Numerically stable: row maxima are subtracted before {@code exp}.
 * Stateless. The {@code [N, C]} work is five whole-array passes and one allocation (LM vocabularies make it
 * large); per-row values ({@code N} of them) are combined in Java doubles, and the label entries are read and
 * written through their flat indices (a gather and an in-place {@code scatter_add}), so no one-hot is built.
 */
public final class SoftmaxCrossEntropy {
    private SoftmaxCrossEntropy() {}

    /**
     * @param logits      {@code [N, C]} (not modified), {@code N·C < 2³¹}
     * @param labels      {@code [N]}, each in {@code [0, C)} or equal to {@code ignoreIndex}
     * @param ignoreIndex label value of rows left out of the loss (gradient rows 0)
     * @return loss {@code = mean_i (logsumexp(z_i) − z_i[label_i])}, {@code dLogits [N, C] = (softmax − onehot) / counted}
     */
    public static LossResult compute(INDArray logits, int[] labels, int ignoreIndex) {
        return compute(logits, labels, ignoreIndex, 0);
    }

    /**
     * The loss of a share of a larger batch: sums over these rows divided by {@code denominator},
     * the counted rows of the whole batch, so that the shares' losses and gradients add up to the
     * whole batch's (the Spark engine's data partitions).
     *
     * @param denominator counted rows of the whole batch; {@code 0} means this batch's own count
     * @return loss {@code = Σ_i (logsumexp(z_i) − z_i[label_i]) / denominator},
     *         {@code dLogits = (softmax − onehot) / denominator}
     */
    public static LossResult compute(INDArray logits, int[] labels, int ignoreIndex, int denominator) {
        if (denominator < 0) throw new IllegalArgumentException("softmax cross-entropy: denominator " + denominator + " < 0");
        if (logits == null || logits.rank() != 2 || logits.rows() != labels.length) {
            throw new IllegalArgumentException("softmax cross-entropy: logits expected shape [" + labels.length + ", C], got "
                    + (logits == null ? "null" : Arrays.toString(logits.shape())));
        }
        int n = labels.length;
        long c = logits.columns();
        if ((long) n * c >= Integer.MAX_VALUE) {
            throw new IllegalArgumentException("softmax cross-entropy: " + n + "×" + c + " logits exceed 2³¹ entries; split the batch");
        }
        int[] flatLabel = flatLabelIndices(labels, ignoreIndex, c);
        int counted = flatLabel.length;
        if (counted == 0) return new LossResult(0, Nd4j.zeros(logits.dataType(), n, c), 0);
        int over = denominator == 0 ? counted : denominator;
        INDArray z = logits.subColumnVector(logits.max(1).reshape(n, 1));                  // [N, C], row max 0
        double[] zLabel = Nd4j.pullRows(z.reshape((long) n * c, 1), 1, flatLabel).toDoubleVector();
        Transforms.exp(z, false);
        double[] rowSum = z.sum(1).toDoubleVector();                                          // [N]
        double loss = 0;
        double[] divisor = new double[n];
        for (int i = 0, k = 0; i < n; i++) {
            if (labels[i] == ignoreIndex) {
                divisor[i] = Double.POSITIVE_INFINITY;                                       // e / ∞ = 0: ignored row
            } else {
                loss += Math.log(rowSum[i]) - zLabel[k++];
                divisor[i] = rowSum[i] * over;
            }
        }
        z.diviColumnVector(Nd4j.createFromArray(divisor).castTo(z.dataType()).reshape(n, 1));  // softmax / over
        subtractAtLabels(z, flatLabel, 1.0 / over);
        return new LossResult(loss / over, z, counted);
    }

    /** Flat indices {@code i·C + label_i} of the counted rows, in row order; validates every label. */
    private static int[] flatLabelIndices(int[] labels, int ignoreIndex, long c) {
        int[] flat = new int[labels.length];
        int k = 0;
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] == ignoreIndex) continue;
            if (labels[i] < 0 || labels[i] >= c) {
                throw new IllegalArgumentException("softmax cross-entropy: label " + labels[i] + " at row " + i
                        + " outside [0, " + c + ") and not the ignore index " + ignoreIndex);
            }
            flat[k++] = (int) (i * c + labels[i]);
        }
        return Arrays.copyOf(flat, k);
    }

    /** {@code z[flat] −= amount} in place (one {@code scatter_add}; indices are distinct). */
    private static void subtractAtLabels(INDArray z, int[] flat, double amount) {
        INDArray zFlat = z.reshape(z.length());                                     // a view: z is fresh and 'c'
        INDArray updates = Nd4j.valueArrayOf(new long[] {flat.length}, -amount, z.dataType());
        Nd4j.exec(DynamicCustomOp.builder("scatter_add")
                .addInputs(zFlat, Nd4j.createFromArray(flat), updates)
                .addOutputs(zFlat)
                .build());
    }
}
