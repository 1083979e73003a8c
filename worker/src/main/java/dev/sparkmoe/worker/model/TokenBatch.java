package dev.sparkmoe.worker.model;

import java.util.Arrays;

/**
 * A batch of {@code B} sequences of {@code S} rows, what one pass of a {@link MoETransformer}
 * reads, flattened row-major ({@code t = b·S + position}), with the routing groups of its
 * sequences. A sequence is a text window or an encoded sentence (pair) of token ids, or an image
 * whose rows are its class token and patches.
 *
 * <p>Inputs, exactly one of: {@code inputs} {@code [T]} token ids ({@code T = B·S}), or
 * {@code pixels} {@code [B·C·H·W]} images. {@code padMask} {@code [T]} marks padding rows (never
 * attended to, not routed, left out of mean pooling), or is null.
 *
 * <p>Targets, as the model's head reads them ({@link ModelHead}): the language model reads
 * {@code targets} {@code [T]} next-token ids; a classification head reads {@code targets}
 * {@code [B]} class ids; a regression head reads {@code scores} {@code [B]}. A target of
 * {@link #IGNORE} (or a NaN score) is not counted: padding, an unlabelled test example.
 *
 * <p>Routing groups: every MoE layer routes each group with its own router call, so capacity,
 * aux-loss means and records are per group (docs/spark-engine.md, "Routing groups"). Group
 * {@code g} holds sequences {@code groupOffsets[g] .. groupOffsets[g+1]-1}: contiguous, in order,
 * so its rows are the contiguous rows {@code groupOffsets[g]·S .. groupOffsets[g+1]·S-1}. The
 * Spark engine's groups are its data partitions; the single-process default is one group
 * ({@code {0, B}}). A group may be empty (a data partition that drew no sequence this step); it
 * is not routed.
 *
 * @param inputs       {@code [T]} token ids, or null for images
 * @param pixels       {@code [B·C·H·W]} images, or null for text
 * @param padMask      {@code [T]} true for padding rows, or null for none
 * @param targets      {@code [T]} next-token ids or {@code [B]} class ids, or null (regression)
 * @param scores       {@code [B]} regression targets, or null
 * @param groupOffsets {@code [G+1]} sequence offsets of the routing groups: starts at 0, ends at
 *                     {@code B}, non-decreasing
 */
public record TokenBatch(int batch, int seqLen, int[] inputs, float[] pixels, boolean[] padMask, int[] targets,
                         float[] scores, int[] groupOffsets) {

    /** A target that is not counted (padding, an unlabelled example). */
    public static final int IGNORE = -1;

    public TokenBatch {
        if (batch < 1) throw new IllegalArgumentException("TokenBatch.batch = " + batch + ": must be >= 1");
        if (seqLen < 1) throw new IllegalArgumentException("TokenBatch.seqLen = " + seqLen + ": must be >= 1");
        long t = (long) batch * seqLen;
        if ((inputs == null) == (pixels == null)) {
            throw new IllegalArgumentException("TokenBatch: exactly one of inputs (token ids) and pixels (images) must be set");
        }
        if (inputs != null && inputs.length != t) {
            throw new IllegalArgumentException("TokenBatch: inputs must hold B·S = " + batch + "·" + seqLen + " = " + t
                    + " ids, got " + inputs.length);
        }
        if (pixels != null && (pixels.length == 0 || pixels.length % batch != 0)) {
            throw new IllegalArgumentException("TokenBatch: pixels must hold B = " + batch + " equal images, got "
                    + pixels.length + " floats");
        }
        if (padMask != null && padMask.length != t) {
            throw new IllegalArgumentException("TokenBatch: padMask must hold B·S = " + t + " flags, got " + padMask.length);
        }
        if (targets != null && targets.length != t && targets.length != batch) {
            throw new IllegalArgumentException("TokenBatch: targets must hold B·S = " + t + " next-token ids or B = "
                    + batch + " class ids, got " + targets.length);
        }
        if (scores != null && scores.length != batch) {
            throw new IllegalArgumentException("TokenBatch: scores must hold B = " + batch + " values, got " + scores.length);
        }
        checkGroups(groupOffsets, batch);
    }

    /** A language-model batch routed in the given groups. */
    public TokenBatch(int batch, int seqLen, int[] inputs, int[] targets, int[] groupOffsets) {
        this(batch, seqLen, inputs, null, null, targets, null, groupOffsets);
    }

    /** A language-model batch routed as one group. */
    public TokenBatch(int batch, int seqLen, int[] inputs, int[] targets) {
        this(batch, seqLen, inputs, targets, new int[]{0, batch});
    }

    /**
     * Encoded sentences (or pairs) for a sequence head, one group.
     *
     * @param padMask {@code [B·S]} padding rows, or null
     * @param labels  {@code [B]} class ids ({@link #IGNORE} when unlabelled), or null for regression
     * @param scores  {@code [B]} regression targets (NaN when unlabelled), or null for classification
     */
    public static TokenBatch sentences(int batch, int seqLen, int[] ids, boolean[] padMask, int[] labels, float[] scores) {
        return new TokenBatch(batch, seqLen, ids, null, padMask, labels, scores, new int[]{0, batch});
    }

    /**
     * Images for a classification head, one group.
     *
     * @param rows   rows per image (patches and class token)
     * @param pixels {@code [B·C·H·W]}
     * @param labels {@code [B]} class ids
     */
    public static TokenBatch images(int batch, int rows, float[] pixels, int[] labels) {
        return new TokenBatch(batch, rows, null, pixels, null, labels, null, new int[]{0, batch});
    }

    /** Splits {@code B} windows of {@code S+1} ids into inputs (first S) and targets (last S); one group. */
    public static TokenBatch ofWindows(int[][] windows) {
        int b = windows.length;
        if (b == 0) throw new IllegalArgumentException("empty batch");
        int s = windows[0].length - 1;
        if (s < 1) throw new IllegalArgumentException("windows must hold at least 2 ids, got " + windows[0].length);
        int[] in = new int[b * s];
        int[] tg = new int[b * s];
        for (int i = 0; i < b; i++) {
            if (windows[i].length != s + 1) {
                throw new IllegalArgumentException("window " + i + " has " + windows[i].length + " ids, expected " + (s + 1));
            }
            System.arraycopy(windows[i], 0, in, i * s, s);
            System.arraycopy(windows[i], 1, tg, i * s, s);
        }
        return new TokenBatch(b, s, in, tg);
    }

    /** The same sequences routed in the groups {@code groupOffsets} {@code [G+1]} (see the class documentation). */
    public TokenBatch withGroups(int... groupOffsets) {
        return new TokenBatch(batch, seqLen, inputs, pixels, padMask, targets, scores, groupOffsets.clone());
    }

    /** The same sequences in {@code g} groups of {@code ceil(B/g)} sequences (the last ones smaller, possibly empty). */
    public TokenBatch withEvenGroups(int g) {
        if (g < 1) throw new IllegalArgumentException("TokenBatch: number of groups = " + g + ": must be >= 1");
        int per = (batch + g - 1) / g;
        int[] off = new int[g + 1];
        for (int i = 1; i <= g; i++) off[i] = Math.min(batch, i * per);
        return withGroups(off);
    }

    /** Sequences {@code b0 .. b1-1} as a batch of their own, one group. */
    public TokenBatch sequences(int b0, int b1) {
        if (b0 < 0 || b1 > batch || b1 <= b0) {
            throw new IllegalArgumentException("TokenBatch.sequences(" + b0 + ", " + b1 + ") outside [0, " + batch + "]");
        }
        int s = seqLen;
        int imageSize = pixels == null ? 0 : pixels.length / batch;
        boolean perRow = targets != null && targets.length != batch;
        return new TokenBatch(b1 - b0, s,
                inputs == null ? null : Arrays.copyOfRange(inputs, b0 * s, b1 * s),
                pixels == null ? null : Arrays.copyOfRange(pixels, b0 * imageSize, b1 * imageSize),
                padMask == null ? null : Arrays.copyOfRange(padMask, b0 * s, b1 * s),
                targets == null ? null : perRow ? Arrays.copyOfRange(targets, b0 * s, b1 * s) : Arrays.copyOfRange(targets, b0, b1),
                scores == null ? null : Arrays.copyOfRange(scores, b0, b1),
                new int[]{0, b1 - b0});
    }

    /** Rows {@code T = B·S}, padding included. */
    public int tokens() { return batch * seqLen; }

    /** Rows that are not padding. */
    public int realTokens() {
        if (padMask == null) return tokens();
        int n = 0;
        for (boolean p : padMask) if (!p) n++;
        return n;
    }

    /** Targets the loss counts: next-token ids or class ids other than {@link #IGNORE}, or scores that are not NaN. */
    public int countedTargets() {
        int n = 0;
        if (targets != null) {
            for (int t : targets) if (t != IGNORE) n++;
        } else if (scores != null) {
            for (float v : scores) if (!Float.isNaN(v)) n++;
        }
        return n;
    }

    /** Number of routing groups {@code G}. */
    public int groups() { return groupOffsets.length - 1; }

    private static void checkGroups(int[] groupOffsets, int batch) {
        if (groupOffsets == null || groupOffsets.length < 2) {
            throw new IllegalArgumentException("TokenBatch.groupOffsets must hold at least {0, B}, got "
                    + Arrays.toString(groupOffsets));
        }
        if (groupOffsets[0] != 0 || groupOffsets[groupOffsets.length - 1] != batch) {
            throw new IllegalArgumentException("TokenBatch.groupOffsets must start at 0 and end at B = " + batch
                    + ", got " + Arrays.toString(groupOffsets));
        }
        for (int g = 1; g < groupOffsets.length; g++) {
            if (groupOffsets[g] < groupOffsets[g - 1]) {
                throw new IllegalArgumentException("TokenBatch.groupOffsets must be non-decreasing, got "
                        + Arrays.toString(groupOffsets));
            }
        }
    }
}
