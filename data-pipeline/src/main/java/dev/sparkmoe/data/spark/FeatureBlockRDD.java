package dev.sparkmoe.data.spark;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * A dataset of fixed-width feature rows (decoded images, embeddings) with int labels and domains,
 * held as {@code P} evenly sized data partitions ({@link EvenLayout}), each one
 * {@link FeatureBlocks} record; row {@code k} is the {@code k}-th row of the input RDD in
 * partition order. Persisted ({@code MEMORY_AND_DISK}) and materialised when built;
 * per-step sampling as for tokens ({@link BlockSampler}, one "block" = one row).
 *
 * <p>The input RDD is read twice (a count job, then the rebalancing shuffle): it must give the
 * same rows in the same order each time (persist it, or build it deterministically).
 */
public final class FeatureBlockRDD {
    private final JavaRDD<FeatureBlocks> blocks;
    private final BlockSampler sampler;
    private final int width;

    private FeatureBlockRDD(JavaRDD<FeatureBlocks> blocks, EvenLayout layout, int width) {
        this.blocks = blocks;
        this.sampler = new BlockSampler(layout);
        this.width = width;
    }

    /**
     * Driver side: rebalances {@code rows} into {@code partitions} even partitions (two jobs; blocks).
     *
     * @throws IllegalArgumentException if there is no row, or rows differ in width (naming the row,
     *         its width and the expected one; raised in a task, reaching the driver as a SparkException
     *         when the mismatch is inside a partition)
     */
    public static FeatureBlockRDD of(JavaRDD<FeatureRow> rows, int partitions) {
        List<long[]> counts = rows.mapPartitions(it -> {
            long n = 0;
            long w = -1;
            while (it.hasNext()) {
                FeatureRow r = it.next();
                w = n == 0 ? r.x().length : w;
                n++;
            }
            return List.of(new long[] {n, w}).iterator();
        }, true).collect();
        long[] offsets = new long[counts.size()];
        long n = 0;
        int width = -1;
        for (int i = 0; i < counts.size(); i++) {
            offsets[i] = n;
            n += counts.get(i)[0];
            long w = counts.get(i)[1];
            if (w >= 0 && width >= 0 && w != width) {
                throw new IllegalArgumentException("row " + offsets[i] + " has " + w + " features; expected " + width
                        + " like row 0");
            }
            width = w >= 0 && width < 0 ? (int) w : width;
        }
        if (n == 0) {
            throw new IllegalArgumentException("feature RDD " + rows.id() + " holds no row; expected at least one");
        }
        EvenLayout layout = new EvenLayout(n, partitions);
        int w = width;
        JavaRDD<FeatureBlocks> blocks = rows
                .mapPartitionsWithIndex((i, it) -> runs(it, offsets[i], w, layout).iterator(), true)
                .mapToPair(t -> t)
                .partitionBy(new ExactPartitioner(partitions))
                .mapPartitionsWithIndex((p, it) -> {
                    List<FeatureBlocks> list = new ArrayList<>();
                    it.forEachRemaining(t -> list.add(t._2()));
                    return Collections.singletonList(join(p, list, w, layout)).iterator();
                }, true)
                .persist(StorageLevel.MEMORY_AND_DISK());
        blocks.count();
        return new FeatureBlockRDD(blocks, layout, width);
    }

    /** The blocks, one per partition, persisted. */
    public JavaRDD<FeatureBlocks> blocks() {
        return blocks;
    }

    /** Rows and partitions. */
    public EvenLayout layout() {
        return sampler.layout();
    }

    /** The sampler (driver side: {@link BlockSampler#batchBlocks}). */
    public BlockSampler sampler() {
        return sampler;
    }

    /** {@code W}. */
    public int width() {
        return width;
    }

    /**
     * Batch {@code step}: one {@link FeatureBatch} per partition; driver side, builds the RDD
     * (narrow, no job), a pure function of {@code (seed, step, B)} ({@link BlockSampler}).
     */
    public JavaRDD<FeatureBatch> batch(long seed, long step, int globalBatch) {
        int[] chosen = sampler.batchBlocks(seed, step, globalBatch);
        BlockSampler s = sampler;
        return blocks.mapPartitionsWithIndex((p, it) -> {
            FeatureBlocks fb = Partitions.only(it, p);
            int[] rows = s.rowsOf(chosen, p);
            int wd = fb.width();
            float[] x = new float[rows.length * wd];
            int[] idx = new int[rows.length];
            int[] labels = new int[rows.length];
            int[] domains = new int[rows.length];
            for (int i = 0; i < rows.length; i++) {
                idx[i] = chosen[rows[i]];
                int local = (int) (idx[i] - fb.firstRow());
                System.arraycopy(fb.x(), local * wd, x, i * wd, wd);
                labels[i] = fb.labels()[local];
                domains[i] = fb.domains()[local];
            }
            return List.of(new FeatureBatch(p, chosen.length, rows, idx, wd, x, labels, domains)).iterator();
        }, true);
    }

    /** Releases the persisted blocks (driver side; non-blocking). */
    public void unpersist() {
        blocks.unpersist(false);
    }

    /** Executor side: one input partition's rows as runs by target partition. */
    private static List<Tuple2<Integer, FeatureBlocks>> runs(Iterator<FeatureRow> it, long first, int width,
                                                             EvenLayout layout) {
        List<Tuple2<Integer, FeatureBlocks>> out = new ArrayList<>();
        long k = first;
        while (it.hasNext()) {
            int p = layout.partitionOf(k);
            int cap = Math.toIntExact(layout.first(p + 1) - k);
            float[] x = new float[Math.multiplyExact(cap, width)];
            int[] labels = new int[cap];
            int[] domains = new int[cap];
            int c = 0;
            while (c < cap && it.hasNext()) {
                FeatureRow r = it.next();
                if (r.x().length != width) {
                    throw new IllegalArgumentException("row " + (k + c) + " has " + r.x().length
                            + " features; expected " + width + " like row 0");
                }
                System.arraycopy(r.x(), 0, x, c * width, width);
                labels[c] = r.label();
                domains[c] = r.domain();
                c++;
            }
            if (c < cap) {
                x = java.util.Arrays.copyOf(x, c * width);
                labels = java.util.Arrays.copyOf(labels, c);
                domains = java.util.Arrays.copyOf(domains, c);
            }
            out.add(new Tuple2<>(p, new FeatureBlocks(k, c, width, x, labels, domains)));
            k += c;
        }
        return out;
    }

    /** Executor side: the runs of partition {@code p}, sorted and joined. */
    private static FeatureBlocks join(int p, List<FeatureBlocks> runs, int width, EvenLayout layout) {
        runs.sort(Comparator.comparingLong(FeatureBlocks::firstRow));
        long first = layout.first(p);
        int count = layout.size(p);
        float[] x = new float[Math.multiplyExact(count, width)];
        int[] labels = new int[count];
        int[] domains = new int[count];
        long next = first;
        for (FeatureBlocks r : runs) {
            if (r.firstRow() != next) {
                throw new IllegalStateException("partition " + p + ": run at row " + r.firstRow() + "; expected row "
                        + next);
            }
            int at = (int) (next - first);
            System.arraycopy(r.x(), 0, x, at * width, r.x().length);
            System.arraycopy(r.labels(), 0, labels, at, r.count());
            System.arraycopy(r.domains(), 0, domains, at, r.count());
            next += r.count();
        }
        if (next != first + count) {
            throw new IllegalStateException("partition " + p + ": rows up to " + next + "; expected up to "
                    + (first + count));
        }
        return new FeatureBlocks(first, count, width, x, labels, domains);
    }
}
