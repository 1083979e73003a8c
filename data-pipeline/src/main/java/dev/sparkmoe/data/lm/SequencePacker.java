package dev.sparkmoe.data.lm;

import dev.sparkmoe.data.DataSeeds;
import java.util.SplittableRandom;

/**
 * Packs a token stream into fixed-length blocks for causal language modelling and samples
 * batches of them deterministically from {@code (seed, step)}.
 *
 * <p>Block {@code k} is {@code ids[k·S, k·S + S]} — {@code S + 1} ids, whose first {@code S}
 * are the inputs and last {@code S} the next-token targets. Consecutive blocks share one id
 * (the target of one block's last position is the next block's first input), so every id
 * except the first is a target exactly once and inputs never overlap. There are
 * {@code floor((N - 1) / S)} blocks; the {@link #droppedTail()} ids after the last block are
 * not used.
 *
 * <p>{@link #batch} draws blocks without replacement within an epoch: global sample
 * {@code g = step·B + b} is block {@code perm_e[g mod blockCount]} of epoch
 * {@code e = g / blockCount}, where {@code perm_e} is a permutation seeded from
 * {@code (seed, e)}. The result depends only on {@code (seed, step, B)} — not on earlier calls —
 * so a retried task, a recomputed partition or a resumed run sees the same batch.
 *
 * <p>The packer keeps a reference to {@code ids} (no copy) and never changes it. Thread-safe.
 */
public final class SequencePacker {
    private static final long EPOCH_STREAM = 0x45504F4348L; // "EPOCH"
    private static final long OFFSET_STREAM = 0x4F4646534554L; // "OFFSET"

    private final int[] ids;
    private final int seqLen;
    private final int blockCount;
    private volatile Permutation cache;

    /**
     * @param ids    the token stream, {@code [N]}
     * @param seqLen {@code S}, at least 1
     * @throws IllegalArgumentException if {@code N < S + 1} (not even one block)
     */
    public SequencePacker(int[] ids, int seqLen) {
        if (seqLen < 1) {
            throw new IllegalArgumentException("seqLen=" + seqLen + "; expected >= 1");
        }
        if (ids.length < (long) seqLen + 1) {
            throw new IllegalArgumentException("token stream of " + ids.length + " ids is shorter than one block of"
                    + " seqLen + 1 = " + ((long) seqLen + 1) + " ids; expected a longer stream or a smaller seqLen");
        }
        this.ids = ids;
        this.seqLen = seqLen;
        this.blockCount = (ids.length - 1) / seqLen;
    }

    /** {@code S}. */
    public int seqLen() {
        return seqLen;
    }

    /** Number of blocks, {@code floor((N - 1) / S)}. */
    public int blockCount() {
        return blockCount;
    }

    /** {@code N}, the length of the token stream. */
    public int tokenCount() {
        return ids.length;
    }

    /** Ids after the last block that no block uses: {@code N - 1 - blockCount·S}. */
    public int droppedTail() {
        return ids.length - 1 - blockCount * seqLen;
    }

    /** Block {@code k}: a new {@code int[S + 1]}. */
    public int[] block(int k) {
        int[] out = new int[seqLen + 1];
        copyBlock(k, out, 0);
        return out;
    }

    /** Copies block {@code k} ({@code S + 1} ids) into {@code dst[dstOff, dstOff + S + 1)}. */
    public void copyBlock(int k, int[] dst, int dstOff) {
        if (k < 0 || k >= blockCount) {
            throw new IndexOutOfBoundsException("block " + k + "; expected 0 <= k < blockCount=" + blockCount);
        }
        System.arraycopy(ids, k * seqLen, dst, dstOff, seqLen + 1);
    }

    /** Blocks {@code first .. first+count-1} in order, {@code int[count][S + 1]} (evaluation). */
    public int[][] blocks(int first, int count) {
        if (first < 0 || count < 0 || (long) first + count > blockCount) {
            throw new IndexOutOfBoundsException("blocks [" + first + ", " + ((long) first + count)
                    + "); expected a range inside [0, " + blockCount + ")");
        }
        int[][] out = new int[count][];
        for (int i = 0; i < count; i++) {
            out[i] = block(first + i);
        }
        return out;
    }

    /**
     * The block indices of evaluation batch {@code batch}: {@code b = min(batchSize, blocks)}
     * consecutive blocks from {@code (batch·b) mod (blocks − b + 1)}, the same every time, so
     * every evaluation of a run (either engine) reads the same sequences.
     */
    public int[] evalBlocks(long batch, int batchSize) {
        if (batch < 0 || batchSize < 1 || blockCount < 1) {
            throw new IllegalArgumentException("evaluation batch " + batch + " of " + batchSize + " from " + blockCount
                    + " blocks: need batch >= 0, batchSize >= 1 and at least one block");
        }
        int b = Math.min(batchSize, blockCount);
        int start = (int) ((batch * b) % (blockCount - b + 1));
        int[] out = new int[b];
        for (int r = 0; r < b; r++) out[r] = start + r;
        return out;
    }

    /**
     * The block indices of batch {@code step}, {@code int[B]} (see the class comment).
     *
     * @param step      training step, {@code >= 0}
     * @param batchSize {@code B}, {@code >= 1}
     */
    public int[] batchBlocks(long seed, long step, int batchSize) {
        checkBatch(step, batchSize);
        int[] out = new int[batchSize];
        long g = step * batchSize;
        for (int b = 0; b < batchSize; b++, g++) {
            long epoch = g / blockCount;
            out[b] = permutation(seed, epoch)[(int) (g % blockCount)];
        }
        return out;
    }

    /**
     * Batch {@code step}: {@code int[B][S + 1]}, row {@code b} is block {@code batchBlocks(seed, step, B)[b]};
     * inputs are {@code row[0, S)}, targets {@code row[1, S + 1)}.
     */
    public int[][] batch(long seed, long step, int batchSize) {
        int[] blocks = batchBlocks(seed, step, batchSize);
        int[][] out = new int[batchSize][];
        for (int b = 0; b < batchSize; b++) {
            out[b] = block(blocks[b]);
        }
        return out;
    }

    /**
     * Batch {@code step} in nanoGPT's style: {@code int[B][S + 1]}, row {@code b} is
     * {@code ids[o, o + S]} for a uniform offset {@code o in [0, N - S - 1]} drawn from
     * {@code (seed, step, b)}; windows may overlap and are not aligned to blocks.
     */
    public int[][] randomOffsetBatch(long seed, long step, int batchSize) {
        checkBatch(step, batchSize);
        int[][] out = new int[batchSize][];
        int offsets = ids.length - seqLen; // o in [0, offsets)
        for (int b = 0; b < batchSize; b++) {
            int o = new SplittableRandom(DataSeeds.derive(seed, OFFSET_STREAM, step, b)).nextInt(offsets);
            out[b] = new int[seqLen + 1];
            System.arraycopy(ids, o, out[b], 0, seqLen + 1);
        }
        return out;
    }

    private void checkBatch(long step, int batchSize) {
        if (step < 0) {
            throw new IllegalArgumentException("step=" + step + "; expected >= 0");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize=" + batchSize + "; expected >= 1");
        }
        if (step > Long.MAX_VALUE / batchSize - 1) {
            throw new IllegalArgumentException("step=" + step + " with batchSize=" + batchSize
                    + " overflows the sample counter; expected step * batchSize < 2^63");
        }
    }

    /** The block order of {@code epoch}: Fisher–Yates from {@code (seed, epoch)}; the last one is cached. */
    private int[] permutation(long seed, long epoch) {
        Permutation p = cache;
        if (p != null && p.seed == seed && p.epoch == epoch) {
            return p.order;
        }
        int[] order = new int[blockCount];
        for (int i = 0; i < blockCount; i++) {
            order[i] = i;
        }
        SplittableRandom rnd = new SplittableRandom(DataSeeds.derive(seed, EPOCH_STREAM, epoch));
        for (int i = blockCount - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        cache = new Permutation(seed, epoch, order);
        return order;
    }

    private record Permutation(long seed, long epoch, int[] order) {}

    @Override
    public String toString() {
        return "SequencePacker(N=" + ids.length + ", S=" + seqLen + ", blocks=" + blockCount
                + ", droppedTail=" + droppedTail() + ")";
    }
}
