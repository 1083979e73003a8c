package dev.sparkmoe.worker.model;

import java.util.Arrays;

/**
 * A batch of {@code B} sequences of {@code S} input tokens with their next-token targets,
 * flattened token-major ({@code t = b·S + position}), and the routing groups of its sequences.
 *
 * <p>Routing groups: every MoE layer routes each group with its own router call, so capacity,
 * aux-loss means and records are per group (docs/spark-engine.md, "Routing groups"). Group
 * {@code g} holds sequences {@code groupOffsets[g] .. groupOffsets[g+1]-1}: contiguous, in order,
 * so its tokens are the contiguous rows {@code groupOffsets[g]·S .. groupOffsets[g+1]·S-1}. The
 * Spark engine's groups are its data partitions; the single-process default is one group
 * ({@code {0, B}}), which is the pre-grouping behaviour bit for bit. A group may be empty (a data
 * partition that drew no sequence this step); it is not routed.
 *
 * @param inputs       {@code [T]} token ids, {@code T = B·S}
 * @param targets      {@code [T]} next-token ids
 * @param groupOffsets {@code [G+1]} sequence offsets of the routing groups: starts at 0, ends at
 *                     {@code B}, non-decreasing
 */
public record TokenBatch(int batch, int seqLen, int[] inputs, int[] targets, int[] groupOffsets) {

    public TokenBatch {
        if (batch < 1) throw new IllegalArgumentException("TokenBatch.batch = " + batch + ": must be >= 1");
        if (seqLen < 1) throw new IllegalArgumentException("TokenBatch.seqLen = " + seqLen + ": must be >= 1");
        long t = (long) batch * seqLen;
        if (inputs == null || inputs.length != t || targets == null || targets.length != t) {
            throw new IllegalArgumentException("TokenBatch: inputs and targets must hold B·S = " + batch + "·" + seqLen
                    + " = " + t + " ids, got " + (inputs == null ? "null" : inputs.length) + " and "
                    + (targets == null ? "null" : targets.length));
        }
        checkGroups(groupOffsets, batch);
    }

    /** A batch routed as one group. */
    public TokenBatch(int batch, int seqLen, int[] inputs, int[] targets) {
        this(batch, seqLen, inputs, targets, new int[]{0, batch});
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

    /** The same tokens routed in the groups {@code groupOffsets} {@code [G+1]} (see the class documentation). */
    public TokenBatch withGroups(int... groupOffsets) {
        return new TokenBatch(batch, seqLen, inputs, targets, groupOffsets.clone());
    }

    /** The same tokens in {@code g} groups of {@code ceil(B/g)} sequences (the last ones smaller, possibly empty). */
    public TokenBatch withEvenGroups(int g) {
        if (g < 1) throw new IllegalArgumentException("TokenBatch: number of groups = " + g + ": must be >= 1");
        int per = (batch + g - 1) / g;
        int[] off = new int[g + 1];
        for (int i = 1; i <= g; i++) off[i] = Math.min(batch, i * per);
        return withGroups(off);
    }

    public int tokens() { return inputs.length; }

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
