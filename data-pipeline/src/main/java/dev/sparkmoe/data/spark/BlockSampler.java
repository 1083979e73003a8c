package dev.sparkmoe.data.spark;

import dev.sparkmoe.data.lm.SequencePacker;
import java.io.Serializable;
import java.util.Arrays;

/**
 * The per-step sample of a blocked dataset of {@code n} blocks over {@code P} partitions
 * ({@link EvenLayout}): exactly the sample of the single-process {@link SequencePacker}.
 *
 * <p>Definition. Global sample {@code g = step·B + b} ({@code b in [0, B)}) is block
 * {@code perm_e[g mod n]} of epoch {@code e = floor(g / n)}, where {@code perm_e} is the
 * Fisher–Yates permutation of {@code [0, n)} seeded from {@code (seed, e)} — computed by a
 * {@link SequencePacker} over the index stream {@code [0, 1, ..., n]} with {@code S = 1}, so
 * {@code batchBlocks(seed, step, B)} equals {@code new SequencePacker(ids, S).batchBlocks(seed,
 * step, B)} for any token stream with {@code n} blocks, by construction. Row {@code b} of the
 * step lives in partition {@link EvenLayout#partitionOf partitionOf(block)} at local index
 * {@code block - first(p)}; {@link #rowsOf} lists a partition's rows in increasing {@code b}.
 *
 * <p>Consequences: the result depends only on {@code (seed, step, B, n)} — not on {@code P}, on
 * earlier calls or on which task asks — so a retried task, a recomputed partition or a resumed
 * run sees the same batch; within an epoch every block is drawn exactly once; the union of the
 * partitions' rows is the single-process batch. Per-partition row counts vary from step to step
 * (binomial, mean {@code B/P}): the engine must weight losses by the global {@code B}, not the
 * local count.
 *
 * <p>Driver side: {@link #batchBlocks} (allocates {@code 2n} ints for the epoch permutation, kept
 * for the last epoch asked); ship its {@code int[B]} result to tasks. Executor side:
 * {@link #rowsOf} (pure, allocation of the result only). Not thread-safe for concurrent
 * {@code batchBlocks} calls of different epochs (it is correct, only the cache thrashes).
 */
public final class BlockSampler implements Serializable {
    private static final long serialVersionUID = 1L;

    private final EvenLayout layout;
    private transient SequencePacker indexPacker;

    /** @param layout the blocks and their partitions; at least one block */
    public BlockSampler(EvenLayout layout) {
        if (layout.items() < 1 || layout.items() >= Integer.MAX_VALUE) {
            throw new IllegalArgumentException("blocks=" + layout.items() + "; expected 1 <= blocks < 2^31 - 1");
        }
        this.layout = layout;
    }

    /** The layout sampled. */
    public EvenLayout layout() {
        return layout;
    }

    /**
     * The global block index of each row of batch {@code step}, {@code int[B]} (driver side).
     *
     * @param step        {@code >= 0}
     * @param globalBatch {@code B >= 1}
     */
    public int[] batchBlocks(long seed, long step, int globalBatch) {
        SequencePacker p = indexPacker;
        if (p == null) {
            int n = (int) layout.items();
            int[] index = new int[n + 1];
            for (int i = 0; i <= n; i++) {
                index[i] = i;
            }
            p = new SequencePacker(index, 1);
            indexPacker = p;
        }
        return p.batchBlocks(seed, step, globalBatch);
    }

    /**
     * The rows {@code b} of {@code batchBlocks} that live in partition {@code p}, increasing
     * (executor or driver side).
     */
    public int[] rowsOf(int[] batchBlocks, int p) {
        long first = layout.first(p);
        long end = layout.first(p + 1);
        int[] rows = new int[batchBlocks.length];
        int n = 0;
        for (int b = 0; b < batchBlocks.length; b++) {
            if (batchBlocks[b] >= first && batchBlocks[b] < end) {
                rows[n++] = b;
            }
        }
        return Arrays.copyOf(rows, n);
    }

    @Override
    public String toString() {
        return "BlockSampler(" + layout + ")";
    }
}
