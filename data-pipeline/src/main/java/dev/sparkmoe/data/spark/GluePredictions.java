package dev.sparkmoe.data.spark;

import java.io.Serializable;

/**
 * A model's predictions for consecutive rows {@code [firstRow, firstRow + count)} of a
 * {@link GlueBlockRDD} (normally one {@link GlueBlockRDD#chunks chunk}): a class id per row
 * ({@code -1} for the regression task STS-B) and a score per row ({@code NaN} for
 * classification). Built on executors by the engine; plain data.
 *
 * @param firstRow global row of the first prediction
 * @param labels   {@code [count]} predicted class ids, or -1
 * @param scores   {@code [count]} predicted scores, or NaN
 */
public record GluePredictions(long firstRow, int[] labels, float[] scores) implements Serializable {

    /** @throws IllegalArgumentException naming the lengths when they differ */
    public GluePredictions {
        if (labels.length != scores.length) {
            throw new IllegalArgumentException("predictions at row " + firstRow + ": " + labels.length + " labels and "
                    + scores.length + " scores; expected one of each per row");
        }
    }

    /** Rows predicted. */
    public int count() {
        return labels.length;
    }
}
