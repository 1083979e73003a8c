package dev.sparkmoe.data.spark;

import java.io.Serializable;

/**
 * Consecutive rows {@code [firstRow, firstRow + count)} of a feature dataset in three arrays:
 * row {@code firstRow + i} is {@code x[i·W, (i+1)·W)}, {@code labels[i]}, {@code domains[i]}. One
 * such record is a whole data partition of a {@link FeatureBlockRDD} (and a shuffle record while
 * rows are rebalanced). Plain data, both sides; never mutated after construction.
 *
 * @param firstRow global index of the first row
 * @param count    rows
 * @param width    {@code W}, features per row
 * @param x        {@code [count·W]}
 * @param labels   {@code [count]}
 * @param domains  {@code [count]}
 */
public record FeatureBlocks(long firstRow, int count, int width, float[] x, int[] labels, int[] domains)
        implements Serializable {

    public FeatureBlocks {
        if ((long) count * width != x.length || labels.length != count || domains.length != count) {
            throw new IllegalArgumentException("FeatureBlocks at row " + firstRow + ": x " + x.length + ", labels "
                    + labels.length + ", domains " + domains.length + "; expected count * W = " + count + " * "
                    + width + " features and " + count + " labels and domains");
        }
    }

    @Override
    public String toString() {
        return "FeatureBlocks(first=" + firstRow + ", count=" + count + ", W=" + width + ")";
    }
}
