package dev.sparkmoe.data.lm;

import dev.sparkmoe.data.DataSeeds;

import java.util.SplittableRandom;

/**
 * Packs a token stream into fixed-length blocks for masked language modelling (BERT) and
 * samples masked batches deterministically from {@code (seed, step)}.
 *
 * <p>Block {@code k} is {@code ids[k·S, (k+1)·S)}: blocks do not overlap, and the
 * {@link #droppedTail()} ids after the last one are not used. Batch {@code step} takes the same
 * blocks, in the same epoch-permutation order, as {@link SequencePacker#batchBlocks} would for a
 * stream of {@link #blockCount()} blocks, so every block is used once per epoch.
 *
 * <p>Masking follows the original BERT recipe: in each row exactly
 * {@code max(1, round(S · maskProbability))} positions are chosen among the maskable ones
 * (ids {@code >= firstRegularId}: special tokens are never chosen), uniformly without
 * replacement; each chosen position becomes {@code maskId} with probability 0.8, a uniformly
 * random regular token with probability 0.1, and stays unchanged otherwise. Targets are the
 * original ids at the chosen positions and {@link #IGNORE} elsewhere. All draws come from
 * {@code (seed, step, row)}, so a retried or resumed step sees the same masks.
 */
public final class MaskedLmPacker {
    /** Target value of positions that are not predicted. */
    public static final int IGNORE = -1;
    private static final long MASK_STREAM = 0x4D4C4DL;

    private final int[] ids;
    private final int seqLen;
    private final double maskProbability;
    private final int maskId;
    private final int firstRegularId;
    private final int vocabSize;
    private final SequencePacker blockOrder;

    /**
     * @param ids             the token stream (kept by reference, never changed)
     * @param seqLen          {@code S}, tokens per block
     * @param maskProbability fraction of positions predicted, in {@code (0, 1)}; BERT uses 0.15
     * @param maskId          id of the mask token
     * @param firstRegularId  ids below this are special tokens: never chosen, never drawn as random replacements
     * @param vocabSize       ids are in {@code [0, vocabSize)}
     */
    public MaskedLmPacker(int[] ids, int seqLen, double maskProbability, int maskId, int firstRegularId, int vocabSize) {
        if (seqLen < 1) throw new IllegalArgumentException("seqLen=" + seqLen + "; expected >= 1");
        if (!(maskProbability > 0 && maskProbability < 1)) {
            throw new IllegalArgumentException("maskProbability=" + maskProbability + "; expected in (0, 1)");
        }
        if (firstRegularId < 0 || firstRegularId >= vocabSize || maskId < 0 || maskId >= vocabSize) {
            throw new IllegalArgumentException("maskId=" + maskId + ", firstRegularId=" + firstRegularId
                    + "; expected both in [0, vocabSize=" + vocabSize + ")");
        }
        if (ids.length < seqLen) {
            throw new IllegalArgumentException(ids.length + " tokens; expected at least one block of seqLen=" + seqLen);
        }
        this.ids = ids;
        this.seqLen = seqLen;
        this.maskProbability = maskProbability;
        this.maskId = maskId;
        this.firstRegularId = firstRegularId;
        this.vocabSize = vocabSize;
        int blocks = ids.length / seqLen;
        int[] index = new int[blocks + 1];
        for (int i = 0; i < index.length; i++) index[i] = i;
        // A packer over the index stream 0..n with S = 1 has n blocks and SequencePacker's epoch order.
        this.blockOrder = new SequencePacker(index, 1);
    }

    public int seqLen() { return seqLen; }

    /** Number of whole blocks, {@code floor(N / S)}. */
    public int blockCount() { return ids.length / seqLen; }

    /** Ids after the last whole block, not used. */
    public int droppedTail() { return ids.length - blockCount() * seqLen; }

    /** Positions predicted in each row: {@code max(1, round(S · maskProbability))}. */
    public int predictionsPerRow() { return Math.max(1, (int) Math.round(seqLen * maskProbability)); }

    /** Masked batch {@code step} of {@code batchSize} rows (see the class comment). */
    public Batch batch(long seed, long step, int batchSize) {
        int[] blocks = blockOrder.batchBlocks(seed, step, batchSize);
        int[] inputs = new int[batchSize * seqLen];
        int[] targets = new int[batchSize * seqLen];
        java.util.Arrays.fill(targets, IGNORE);
        int[] positions = new int[seqLen];
        long predicted = 0;
        for (int b = 0; b < batchSize; b++) {
            int off = b * seqLen;
            System.arraycopy(ids, blocks[b] * seqLen, inputs, off, seqLen);
            predicted += maskRow(inputs, targets, off, positions, new SplittableRandom(DataSeeds.derive(seed, MASK_STREAM, step, b)));
        }
        return new Batch(batchSize, seqLen, blocks, inputs, targets, predicted);
    }

    private int maskRow(int[] inputs, int[] targets, int off, int[] positions, SplittableRandom rnd) {
        int candidates = 0;
        for (int i = 0; i < seqLen; i++) if (inputs[off + i] >= firstRegularId) positions[candidates++] = i;
        int chosen = Math.min(predictionsPerRow(), candidates);
        for (int c = 0; c < chosen; c++) {            // partial Fisher-Yates: the first `chosen` are a uniform sample
            int j = c + rnd.nextInt(candidates - c);
            int t = positions[c];
            positions[c] = positions[j];
            positions[j] = t;
            int at = off + positions[c];
            targets[at] = inputs[at];
            double u = rnd.nextDouble();
            if (u < 0.8) inputs[at] = maskId;
            else if (u < 0.9) inputs[at] = firstRegularId + rnd.nextInt(vocabSize - firstRegularId);
        }
        return chosen;
    }

    /**
     * A masked batch, flattened row-major.
     *
     * @param blocks    {@code [B]} block index of each row
     * @param inputs    {@code [B·S]} ids with the masking applied
     * @param targets   {@code [B·S]} original ids at predicted positions, {@link #IGNORE} elsewhere
     * @param predicted number of predicted positions
     */
    public record Batch(int batch, int seqLen, int[] blocks, int[] inputs, int[] targets, long predicted) {}
}
