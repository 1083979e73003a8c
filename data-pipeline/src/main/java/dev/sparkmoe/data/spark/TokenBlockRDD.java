package dev.sparkmoe.data.spark;

import dev.sparkmoe.data.SkipReport;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * A token stream packed into {@code n = floor((N - 1) / S)} language-model blocks (the blocks of
 * {@link dev.sparkmoe.data.lm.SequencePacker} over the same stream, same order), held as
 * {@code P} evenly sized data partitions ({@link EvenLayout}: sizes differ by at most one block),
 * each partition one {@link TokenBlocks} record of consecutive blocks in one {@code int[]}.
 * The RDD is persisted ({@code MEMORY_AND_DISK}) and materialised when this object is built;
 * {@link #unpersist} releases it.
 *
 * <p>Build it with {@link WikiTextSpark#tokenBlocks}. Per step, on the driver,
 * {@link #batch} gives the step's sample as an RDD with one {@link TokenBatch} per data
 * partition: narrow (no shuffle), a pure function of {@code (seed, step, B)}, defined in
 * {@link BlockSampler}.
 */
public final class TokenBlockRDD {
    private final JavaRDD<TokenBlocks> blocks;
    private final BlockSampler sampler;
    private final int seqLen;
    private final long tokens;
    private final long unknown;
    private final SkipReport skips;

    TokenBlockRDD(JavaRDD<TokenBlocks> blocks, EvenLayout layout, int seqLen, long tokens, long unknown,
                  SkipReport skips) {
        this.blocks = blocks;
        this.sampler = new BlockSampler(layout);
        this.seqLen = seqLen;
        this.tokens = tokens;
        this.unknown = unknown;
        this.skips = skips;
    }

    /** The blocks, one {@link TokenBlocks} per partition, persisted. */
    public JavaRDD<TokenBlocks> blocks() {
        return blocks;
    }

    /** Blocks and partitions. */
    public EvenLayout layout() {
        return sampler.layout();
    }

    /** The sampler (driver side: {@link BlockSampler#batchBlocks}). */
    public BlockSampler sampler() {
        return sampler;
    }

    /** {@code S}. */
    public int seqLen() {
        return seqLen;
    }

    /** {@code N}, ids in the token stream. */
    public long tokenCount() {
        return tokens;
    }

    /** {@code <unk>} ids in the token stream. */
    public long unknownCount() {
        return unknown;
    }

    /** What the readers skipped, merged over all pieces in corpus order. */
    public SkipReport skips() {
        return skips;
    }

    /**
     * Batch {@code step}: one {@link TokenBatch} per data partition (driver side; builds the RDD,
     * starts no job; computes the step's {@code int[B]} block indices here and ships them in the
     * closure, so the tasks are pure functions of their inputs).
     */
    public JavaRDD<TokenBatch> batch(long seed, long step, int globalBatch) {
        int[] chosen = sampler.batchBlocks(seed, step, globalBatch);
        BlockSampler s = sampler;
        return blocks.mapPartitionsWithIndex((p, it) -> {
            TokenBlocks tb = Partitions.only(it, p);
            int[] rows = s.rowsOf(chosen, p);
            int[] ids = new int[rows.length * (tb.seqLen() + 1)];
            int[] which = new int[rows.length];
            for (int i = 0; i < rows.length; i++) {
                which[i] = chosen[rows[i]];
                tb.copyBlock((int) (which[i] - tb.firstBlock()), ids, i * (tb.seqLen() + 1));
            }
            return List.of(new TokenBatch(p, chosen.length, rows, which, tb.seqLen(), ids)).iterator();
        }, true);
    }

    /**
     * Batch {@code step} gathered on the driver as {@code int[B][S + 1]} in row order (a job;
     * blocks): equal to {@code SequencePacker.batch(seed, step, B)} over the same token stream.
     * For tests and evaluation, not for the training hot path.
     */
    public int[][] collectBatch(long seed, long step, int globalBatch) {
        int[][] out = new int[globalBatch][];
        for (TokenBatch b : batch(seed, step, globalBatch).collect()) {
            for (int i = 0; i < b.size(); i++) {
                int[] row = new int[seqLen + 1];
                System.arraycopy(b.ids(), i * (seqLen + 1), row, 0, seqLen + 1);
                out[b.rows()[i]] = row;
            }
        }
        return out;
    }

    /** Releases the persisted blocks (driver side; non-blocking). */
    public void unpersist() {
        blocks.unpersist(false);
    }

    @Override
    public String toString() {
        return "TokenBlockRDD(" + layout() + ", S=" + seqLen + ", N=" + tokens + ", " + skips + ")";
    }

    /**
     * Executor side: the blocks whose start {@code k·S} lies in this piece, cut into runs by
     * target partition. {@code offsets[j]}/{@code heads[j]} are every piece's global offset and
     * first {@code S} ids, enough for a block that runs past the end of this piece.
     */
    static List<Tuple2<Integer, TokenBlocks>> runs(PieceIds piece, long[] offsets, int[][] heads, int seqLen,
                                                   EvenLayout layout) {
        long n = layout.items();
        long start = offsets[piece.piece()];
        long end = start + piece.length();
        long k0 = (start + seqLen - 1) / seqLen;
        long k1 = Math.min(n, (end + seqLen - 1) / seqLen); // blocks k0 .. k1-1 start in [start, end)
        List<Tuple2<Integer, TokenBlocks>> out = new ArrayList<>();
        long k = k0;
        while (k < k1) {
            int p = layout.partitionOf(k);
            long runEnd = Math.min(k1, layout.first(p + 1));
            int count = Math.toIntExact(runEnd - k);
            int[] ids = new int[Math.multiplyExact(count, seqLen + 1)];
            for (int i = 0; i < count; i++) {
                long g = (k + i) * seqLen;
                if (g + seqLen < end) { // the whole block lies in this piece
                    System.arraycopy(piece.ids(), (int) (g - start), ids, i * (seqLen + 1), seqLen + 1);
                    continue;
                }
                for (int t = 0; t <= seqLen; t++, g++) {
                    ids[i * (seqLen + 1) + t] = idAt(g, piece, start, end, offsets, heads);
                }
            }
            out.add(new Tuple2<>(p, new TokenBlocks(k, count, seqLen, ids)));
            k = runEnd;
        }
        return out;
    }

    private static int idAt(long g, PieceIds piece, long start, long end, long[] offsets, int[][] heads) {
        if (g < end) {
            return piece.ids()[(int) (g - start)];
        }
        for (int j = piece.piece() + 1; j < offsets.length; j++) {
            if (g < offsets[j] + heads[j].length && g >= offsets[j]) {
                return heads[j][(int) (g - offsets[j])];
            }
        }
        throw new IllegalStateException("id " + g + " lies past piece " + piece.piece() + " and in no head of a"
                + " later piece; expected a block to reach at most S ids past its start");
    }

    /** Executor side: the runs of partition {@code p}, sorted and joined into one record. */
    static TokenBlocks join(int p, List<TokenBlocks> runs, int seqLen, EvenLayout layout) {
        runs.sort(Comparator.comparingLong(TokenBlocks::firstBlock));
        long first = layout.first(p);
        int count = layout.size(p);
        int[] ids = new int[Math.multiplyExact(count, seqLen + 1)];
        long next = first;
        int at = 0;
        for (TokenBlocks r : runs) {
            if (r.firstBlock() != next) {
                throw new IllegalStateException("partition " + p + ": run at block " + r.firstBlock()
                        + "; expected block " + next + " (runs must tile [" + first + ", " + (first + count) + "))");
            }
            System.arraycopy(r.ids(), 0, ids, at, r.ids().length);
            at += r.ids().length;
            next += r.count();
        }
        if (next != first + count) {
            throw new IllegalStateException("partition " + p + ": blocks up to " + next + "; expected up to "
                    + (first + count));
        }
        return new TokenBlocks(first, count, seqLen, ids);
    }

    /** Driver side: rebalances the pieces' blocks into {@code layout} and materialises the result. */
    static JavaRDD<TokenBlocks> rebalance(JavaRDD<PieceIds> pieces, long[] offsets, int[][] heads, int seqLen,
                                          EvenLayout layout) {
        JavaPairRDD<Integer, TokenBlocks> runs = pieces.flatMapToPair(
                piece -> runs(piece, offsets, heads, seqLen, layout).iterator());
        JavaRDD<TokenBlocks> out = runs.partitionBy(new ExactPartitioner(layout.partitions()))
                .mapPartitionsWithIndex((p, it) -> {
                    List<TokenBlocks> list = new ArrayList<>();
                    it.forEachRemaining(t -> list.add(t._2()));
                    return Collections.singletonList(join(p, list, seqLen, layout)).iterator();
                }, true)
                .persist(StorageLevel.MEMORY_AND_DISK());
        out.count();
        return out;
    }
}
