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
 * @param batchSize B
 * @param seqLength S
 * @param tokenIds  {@code [B·S]} token ids
 * @param mask      {@code [B·S]} 1 real / 0 pad
 * @param segments  {@code [B·S]} segment (token type) ids
 * @param lengths   {@code [B]} real tokens per row
 * @param labels    {@code [B]} class ids or -1
 * @param scores    {@code [B]} scores or NaN
 * @param indices   {@code [B]} example indices
 */
public record GlueBatch(int batchSize, int seqLength, int[] tokenIds, int[] mask, int[] segments, int[] lengths,
                        int[] labels, float[] scores, int[] indices) implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Token id at row {@code b}, position {@code s}. */
    public int tokenId(int b, int s) {
        return tokenIds[b * seqLength + s];
    }
}
