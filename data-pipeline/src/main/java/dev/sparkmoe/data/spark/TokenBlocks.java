package dev.sparkmoe.data.spark;

import java.io.Serializable;

/**
 * A run of consecutive language-model blocks in one array: blocks
 * {@code [firstBlock, firstBlock + count)} of the global block sequence, block
 * {@code firstBlock + i} being {@code ids[i·(S+1), (i+1)·(S+1))} (inputs its first {@code S}
 * ids, targets its last {@code S}, as in {@link dev.sparkmoe.data.lm.SequencePacker}). One such
 * record is a whole data partition of a {@link TokenBlockRDD} (and a shuffle record while the
 * blocks are rebalanced). Plain data; used on both sides; never mutated after construction.
 *
 * @param firstBlock global index of the first block
 * @param count      number of blocks
 * @param seqLen     {@code S}
 * @param ids        {@code [count·(S+1)]} token ids
 */
public record TokenBlocks(long firstBlock, int count, int seqLen, int[] ids) implements Serializable {

    public TokenBlocks {
        if ((long) count * (seqLen + 1) != ids.length) {
            throw new IllegalArgumentException("TokenBlocks at block " + firstBlock + ": " + ids.length
                    + " ids; expected count * (S + 1) = " + count + " * " + (seqLen + 1));
        }
    }

    /** Copies block {@code firstBlock + local} into {@code dst[off, off + S + 1)}. */
    public void copyBlock(int local, int[] dst, int off) {
        if (local < 0 || local >= count) {
            throw new IndexOutOfBoundsException("local block " + local + "; expected 0 <= i < count=" + count);
        }
        System.arraycopy(ids, local * (seqLen + 1), dst, off, seqLen + 1);
    }

    @Override
    public String toString() {
        return "TokenBlocks(first=" + firstBlock + ", count=" + count + ", S=" + seqLen + ")";
    }
}
