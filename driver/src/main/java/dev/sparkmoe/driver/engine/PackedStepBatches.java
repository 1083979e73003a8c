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

/**
 * Language-model batches from a token stream held on the driver (a corpus small enough to keep
 * there: the embedded one, test and benchmark data). Sampled with the data pipeline's
 * {@link BlockSampler}, so the global batch is exactly {@link SequencePacker#batch}'s; each step
 * splits it evenly over the data partitions and ships every partition only its own rows.
 */
public final class PackedStepBatches implements StepBatches {
    private final JavaSparkContext sc;
    private final SequencePacker packer;
    private final BlockSampler sampler;
    private final long seed;
    private final int batchSize;

    public PackedStepBatches(JavaSparkContext sc, SequencePacker packer, int partitions, long seed, int batchSize) {
        if (packer.blockCount() < 1) throw new IllegalArgumentException("the token stream holds no block of " + (packer.seqLen() + 1) + " ids");
        this.sc = sc;
        this.packer = packer;
        this.sampler = new BlockSampler(new EvenLayout(packer.blockCount(), partitions));
        this.seed = seed;
        this.batchSize = batchSize;
    }

    @Override
    public int partitions() {
        return sampler.layout().partitions();
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
        int[] chosen = sampler.batchBlocks(seed, step, batchSize);
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
