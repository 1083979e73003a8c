package dev.sparkmoe.data.glue;

import java.io.Serializable;

/**
 * A batch of encoded GLUE examples as flat {@code int[]} blocks, row-major {@code [B, S]}
 * (B examples, S = max length): element {@code (b, s)} is at {@code b·S + s}. Built by
 * {@link GlueEncoder}; arrays are owned by the batch and not copied by the accessors.
 *
 * <ul>
 *   <li>{@link #tokenIds()} {@code [B·S]}: {@code <cls> a <sep> [b <sep>]} then {@code <pad>};</li>
 *   <li>{@link #mask()} {@code [B·S]}: 1 for a real token, 0 for padding;</li>
 *   <li>{@link #segments()} {@code [B·S]}: 0 for {@code <cls>}, text A and its {@code <sep>};
 *       1 for text B and its {@code <sep>}; 0 for padding;</li>
 *   <li>{@link #lengths()} {@code [B]}: real tokens per row;</li>
 *   <li>{@link #labels()} {@code [B]}: class ids or -1; {@link #scores()} {@code [B]}: STS-B
 *       scores or NaN; {@link #indices()} {@code [B]}: the examples' indices.</li>
 * </ul>
 *
 * <p>A plain final class (not a record) so that Spark's Kryo 4 can serialise it.
 */
public final class GlueBatch implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int batchSize;
    private final int seqLength;
    private final int[] tokenIds;
    private final int[] mask;
    private final int[] segments;
    private final int[] lengths;
    private final int[] labels;
    private final float[] scores;
    private final int[] indices;

    /**
     * @param batchSize B
     * @param seqLength S
     * @param tokenIds  {@code [B·S]} token ids
     * @param mask      {@code [B·S]} 1 real / 0 pad
     * @param segments  {@code [B·S]} segment (token type) ids
     * @param lengths   {@code [B]} real tokens per row
     * @param labels    {@code [B]} class ids or -1
     * @param scores    {@code [B]} scores or NaN
     * @param indices   {@code [B]} example indices
     * @throws IllegalArgumentException if an array length does not match B or B·S
     */
    public GlueBatch(int batchSize, int seqLength, int[] tokenIds, int[] mask, int[] segments, int[] lengths,
                     int[] labels, float[] scores, int[] indices) {
        int bs = batchSize * seqLength;
        if (tokenIds.length != bs || mask.length != bs || segments.length != bs || lengths.length != batchSize
                || labels.length != batchSize || scores.length != batchSize || indices.length != batchSize) {
            throw new IllegalArgumentException("GlueBatch arrays do not match B=" + batchSize + ", S=" + seqLength
                    + "; expected [B·S] ids/mask/segments and [B] lengths/labels/scores/indices");
        }
        this.batchSize = batchSize;
        this.seqLength = seqLength;
        this.tokenIds = tokenIds;
        this.mask = mask;
        this.segments = segments;
        this.lengths = lengths;
        this.labels = labels;
        this.scores = scores;
        this.indices = indices;
    }

    /** B. */
    public int batchSize() {
        return batchSize;
    }

    /** S. */
    public int seqLength() {
        return seqLength;
    }

    /** {@code [B·S]} token ids. */
    public int[] tokenIds() {
        return tokenIds;
    }

    /** {@code [B·S]} 1 for a real token, 0 for padding. */
    public int[] mask() {
        return mask;
    }

    /** {@code [B·S]} segment ids. */
    public int[] segments() {
        return segments;
    }

    /** {@code [B]} real tokens per row. */
    public int[] lengths() {
        return lengths;
    }

    /** {@code [B]} class ids, -1 where none. */
    public int[] labels() {
        return labels;
    }

    /** {@code [B]} STS-B scores, NaN where none. */
    public float[] scores() {
        return scores;
    }

    /** {@code [B]} example indices. */
    public int[] indices() {
        return indices;
    }

    /** Token id at row {@code b}, position {@code s}. */
    public int tokenId(int b, int s) {
        return tokenIds[b * seqLength + s];
    }

    @Override
    public String toString() {
        return "GlueBatch(B=" + batchSize + ", S=" + seqLength + ")";
    }
}
