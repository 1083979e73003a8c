package dev.sparkmoe.driver.engine;

import dev.sparkmoe.data.lm.SequencePacker;
import dev.sparkmoe.data.spark.BlockSampler;
import dev.sparkmoe.data.spark.EvenLayout;
import dev.sparkmoe.worker.engine.PartitionBatch;
import dev.sparkmoe.worker.model.BatchShare;
import dev.sparkmoe.worker.model.TokenBatch;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;

/**
 * Language-model batches from a token stream held on the driver (a corpus small enough to keep
 * there: the embedded one, test and benchmark data). Sampled with the data pipeline's
 * {@link BlockSampler}, so the global batch is exactly {@link SequencePacker#batch}'s; each step
 * splits it evenly over the data partitions and ships every partition only its own rows.
 */
public final class PackedStepBatches implements StepBatches {
    private final JavaSparkContext sc;
    private final SequencePacker packer;
    private final int partitions;
    private final int batchSize;
    private final LongFunction<int[]> chooser;   // step → the global batch's block indices, in row order

    private PackedStepBatches(JavaSparkContext sc, SequencePacker packer, int partitions, int batchSize,
                              LongFunction<int[]> chooser) {
        if (packer.blockCount() < 1) throw new IllegalArgumentException("the token stream holds no block of " + (packer.seqLen() + 1) + " ids");
        this.sc = sc;
        this.packer = packer;
        this.partitions = partitions;
        this.batchSize = batchSize;
        this.chooser = chooser;
    }

    /** Training batches: step {@code s}'s blocks sampled as {@link SequencePacker#batch}{@code (seed, s, batchSize)} samples them. */
    public PackedStepBatches(JavaSparkContext sc, SequencePacker packer, int partitions, long seed, int batchSize) {
        this(sc, packer, partitions, batchSize, sampler(packer, partitions, seed, batchSize));
    }

    /**
     * Evaluation batches: batch {@code i} is {@code min(batchSize, blocks)} consecutive blocks
     * starting at {@code (i·b) mod (blocks − b + 1)}, the same every time (what the
     * single-process job validates on).
     */
    public static PackedStepBatches consecutive(JavaSparkContext sc, SequencePacker packer, int partitions, int batchSize) {
        return new PackedStepBatches(sc, packer, partitions, Math.min(batchSize, packer.blockCount()),
                i -> packer.evalBlocks(i, batchSize));
    }

    private static LongFunction<int[]> sampler(SequencePacker packer, int partitions, long seed, int batchSize) {
        BlockSampler sampler = new BlockSampler(new EvenLayout(Math.max(1, packer.blockCount()), partitions));
        return step -> sampler.batchBlocks(seed, step, batchSize);
    }

    @Override
    public int partitions() {
        return partitions;
    }

    @Override
    public JavaRDD<PartitionBatch> batch(long step) {
        int[][][] windows = windowsByPartition(step);
        int s = packer.seqLen();
        int total = batchSize * s;
        List<Integer> parts = new ArrayList<>();
        for (int p = 0; p < windows.length; p++) parts.add(p);
        return sc.parallelize(parts, windows.length).map(p -> {
            int[][] w = windows[p];
            if (w.length == 0) return new PartitionBatch(p, null, BatchShare.of(0, total, total));
            return new PartitionBatch(p, TokenBatch.ofWindows(w), BatchShare.of(w.length * s, total, total));
        });
    }

    @Override
    public TokenBatch reference(long step) {
        int[][][] windows = windowsByPartition(step);
        List<int[]> rows = new ArrayList<>();
        int[] offsets = new int[windows.length + 1];
        for (int p = 0; p < windows.length; p++) {
            for (int[] w : windows[p]) rows.add(w);
            offsets[p + 1] = rows.size();
        }
        return TokenBatch.ofWindows(rows.toArray(new int[0][])).withGroups(offsets);
    }

    /**
     * The step's global batch ({@link SequencePacker#batch}'s rows, in row order) split into
     * {@code P} contiguous runs whose sizes differ by at most one: every data partition gets an
     * equal share of the work, since a stage waits for its slowest task.
     */
    private int[][][] windowsByPartition(long step) {
        int[] chosen = chooser.apply(step);
        int parts = partitions();
        int[][][] out = new int[parts][][];
        for (int p = 0; p < parts; p++) {
            int from = (int) ((long) p * batchSize / parts);
            int to = (int) ((long) (p + 1) * batchSize / parts);
            out[p] = new int[to - from][];
            for (int i = from; i < to; i++) out[p][i - from] = packer.block(chosen[i]);
        }
        return out;
    }
}
