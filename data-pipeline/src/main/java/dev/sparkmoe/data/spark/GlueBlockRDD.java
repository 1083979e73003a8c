package dev.sparkmoe.data.spark;

import dev.sparkmoe.data.glue.GlueBatch;
import dev.sparkmoe.data.glue.GlueData;
import dev.sparkmoe.data.glue.GlueEncoder;
import dev.sparkmoe.data.glue.GlueEvaluation;
import dev.sparkmoe.data.glue.GlueExample;
import dev.sparkmoe.data.glue.GlueSplit;
import dev.sparkmoe.data.glue.GlueSubmission;
import dev.sparkmoe.data.glue.GlueTask;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * One split of a GLUE task, encoded ({@link GlueEncoder}) and held as {@code P} evenly sized data
 * partitions ({@link EvenLayout}), each one {@link GlueBlocks} record of consecutive rows; row
 * {@code k} is the {@code k}-th example of the split in file order. Persisted
 * ({@code MEMORY_AND_DISK}) and materialised when built; {@link #unpersist} releases it.
 *
 * <p>Training: {@link #batch} gives step {@code s}'s sample, one {@link GlueStepBatch} per
 * partition, a pure function of {@code (seed, step, B, n)} ({@link BlockSampler}, one "block" =
 * one row): the same global batch for any {@code P}, every row once per epoch.
 *
 * <p>Evaluation (dev/test, every row once): the engine runs its model over {@link #chunks}
 * (partition by partition, rows in order) and returns one or more {@link GluePredictions} per
 * partition, in an RDD with this one's partitioning; {@link #evaluate} fills one
 * {@link GlueEvaluation} per partition against the gold labels and merges them on the driver in
 * partition order; {@link #collectPredictions} gathers them in GLUE index order for
 * {@link GlueSubmission}. {@link #predict} does the same for a model that runs inside a task.
 */
public final class GlueBlockRDD {
    private final JavaRDD<GlueBlocks> blocks;
    private final BlockSampler sampler;
    private final GlueTask task;
    private final GlueSplit split;
    private final int seqLength;

    private GlueBlockRDD(JavaRDD<GlueBlocks> blocks, EvenLayout layout, GlueTask task, GlueSplit split, int seqLength) {
        this.blocks = blocks;
        this.sampler = new BlockSampler(layout);
        this.task = task;
        this.split = split;
        this.seqLength = seqLength;
    }

    /**
     * A model that predicts inside a Spark task (executor side): the predictions for
     * {@code chunk}'s rows, {@code firstRow = chunk.firstRow()}. Serialisable; shipped in the
     * task closure.
     */
    @FunctionalInterface
    public interface Predictor extends Serializable {
        /** Predicts every row of {@code chunk} (executor side). */
        GluePredictions predict(GlueBlocks chunk) throws Exception;
    }

    /**
     * Driver side: parallelises {@code data}'s examples (already in driver memory) and encodes
     * them with {@link #of(JavaRDD, GlueTask, GlueSplit, GlueEncoder, int)} (three jobs; blocks).
     */
    public static GlueBlockRDD of(JavaSparkContext sc, GlueData data, GlueEncoder encoder, int partitions) {
        if (data.size() == 0) {
            throw new IllegalArgumentException(data + " holds no example; expected at least one");
        }
        List<GlueExample> examples = new ArrayList<>(data.examples());
        return of(sc.parallelize(examples, Math.min(examples.size(), Math.max(1, partitions))), data.task(),
                data.split(), encoder, partitions);
    }

    /**
     * Driver side: encodes {@code examples} on the executors (the encoder travels in the task
     * closure) and rebalances them into {@code partitions} even partitions: a count job, then
     * the rebalancing shuffle, then a job materialising the persisted result (blocks). The input
     * is read twice, so it must give the same examples in the same order each time.
     *
     * @throws IllegalArgumentException if there is no example, or {@code partitions < 1}
     */
    public static GlueBlockRDD of(JavaRDD<GlueExample> examples, GlueTask task, GlueSplit split, GlueEncoder encoder,
                                  int partitions) {
        task.checkSplit(split);
        List<Long> counts = examples.mapPartitions(it -> {
            long c = 0;
            for (; it.hasNext(); it.next()) {
                c++;
            }
            return List.of(c).iterator();
        }, true).collect();
        long[] offsets = new long[counts.size()];
        long n = 0;
        for (int i = 0; i < offsets.length; i++) {
            offsets[i] = n;
            n += counts.get(i);
        }
        if (n == 0) {
            throw new IllegalArgumentException(task + " " + split + ": example RDD " + examples.id()
                    + " holds no example; expected at least one");
        }
        EvenLayout layout = new EvenLayout(n, partitions);
        int s = encoder.maxLength();
        JavaRDD<GlueBlocks> blocks = examples
                .mapPartitionsWithIndex((i, it) -> runs(it, offsets[i], encoder, layout).iterator(), true)
                .mapToPair(t -> t)
                .partitionBy(new ExactPartitioner(partitions))
                .mapPartitionsWithIndex((p, it) -> {
                    List<GlueBlocks> list = new ArrayList<>();
                    it.forEachRemaining(t -> list.add(t._2()));
                    return Collections.singletonList(join(p, list, s, layout)).iterator();
                }, true)
                .persist(StorageLevel.MEMORY_AND_DISK());
        blocks.count();
        return new GlueBlockRDD(blocks, layout, task, split, s);
    }

    /** The rows, one {@link GlueBlocks} per partition, persisted. */
    public JavaRDD<GlueBlocks> blocks() {
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

    /** The task. */
    public GlueTask task() {
        return task;
    }

    /** The split. */
    public GlueSplit split() {
        return split;
    }

    /** {@code S}, tokens per row. */
    public int seqLength() {
        return seqLength;
    }

    /** {@code n}, rows. */
    public long size() {
        return layout().items();
    }

    /**
     * Batch {@code step}: one {@link GlueStepBatch} per partition (driver side; builds the RDD,
     * narrow, starts no job; the step's {@code int[B]} rows are computed here and shipped in the
     * closure).
     */
    public JavaRDD<GlueStepBatch> batch(long seed, long step, int globalBatch) {
        int[] chosen = sampler.batchBlocks(seed, step, globalBatch);
        BlockSampler smp = sampler;
        return blocks.mapPartitionsWithIndex((p, it) -> {
            GlueBlocks gb = Partitions.only(it, p);
            int[] rows = smp.rowsOf(chosen, p);
            int[] positions = new int[rows.length];
            int[] local = new int[rows.length];
            for (int i = 0; i < rows.length; i++) {
                positions[i] = chosen[rows[i]];
                local[i] = (int) (positions[i] - gb.firstRow());
            }
            GlueBatch b = GlueRows.select(gb.rows(), local);
            return List.of(new GlueStepBatch(p, chosen.length, rows, positions, b)).iterator();
        }, true);
    }

    /**
     * Batch {@code step} gathered on the driver as one {@link GlueBatch} of {@code B} rows in batch
     * order (a job; blocks). For tests and inspection, not for the training hot path.
     */
    public GlueBatch collectBatch(long seed, long step, int globalBatch) {
        GlueBatch out = GlueRows.empty(globalBatch, seqLength);
        for (GlueStepBatch b : batch(seed, step, globalBatch).collect()) {
            for (int i = 0; i < b.size(); i++) {
                GlueRows.copyRow(b.batch(), i, out, b.rows()[i]);
            }
        }
        return out;
    }

    /**
     * Every row exactly once, partition by partition, in row order, as chunks of at most
     * {@code maxRows} consecutive rows (driver side; builds the RDD, narrow, starts no job; the
     * chunks are copied on the executors).
     */
    public JavaRDD<GlueBlocks> chunks(int maxRows) {
        if (maxRows < 1) {
            throw new IllegalArgumentException("maxRows=" + maxRows + "; expected >= 1");
        }
        return blocks.mapPartitionsWithIndex((p, it) -> {
            GlueBlocks gb = Partitions.only(it, p);
            List<GlueBlocks> out = new ArrayList<>();
            for (int from = 0; from < gb.count(); from += maxRows) {
                int to = Math.min(gb.count(), from + maxRows);
                out.add(new GlueBlocks(gb.firstRow() + from, GlueRows.slice(gb.rows(), from, to)));
            }
            return out.iterator();
        }, true);
    }

    /**
     * Runs {@code predictor} over {@link #chunks}{@code (maxRows)} (driver side; builds the RDD,
     * starts no job): one {@link GluePredictions} per chunk, partitioned like this RDD.
     */
    public JavaRDD<GluePredictions> predict(Predictor predictor, int maxRows) {
        return chunks(maxRows).mapPartitions(it -> {
            List<GluePredictions> out = new ArrayList<>();
            while (it.hasNext()) {
                out.add(predictor.predict(it.next()));
            }
            return out.iterator();
        }, true);
    }

    /**
     * The task's metrics of {@code predictions} against the gold labels (scores for STS-B): one
     * {@link GlueEvaluation} per partition on the executors, merged on the driver in partition
     * order ({@link #mergeInOrder}); one job, blocks. {@code predictions} must have this RDD's
     * partition count, and partition {@code p}'s predictions must tile exactly its rows.
     *
     * @throws IllegalArgumentException on a partition-count mismatch; a row without a gold label,
     *         or predictions that miss or repeat rows, fail the job naming the row
     */
    public GlueEvaluation evaluate(JavaRDD<GluePredictions> predictions) {
        checkPartitions(predictions);
        GlueTask t = task;
        GlueSplit sp = split;
        JavaRDD<GlueEvaluation> perPartition = blocks.zipPartitions(predictions, (gold, pred) -> {
            int p = TaskContext.getPartitionId();
            GlueBlocks g = Partitions.only(gold, p);
            GluePredictions all = tile(p, pred, g.firstRow(), g.count());
            return List.of(evaluatePartition(t, sp, g, all)).iterator();
        });
        return mergeInOrder(perPartition);
    }

    /**
     * Collects per-partition evaluations (driver side; one job; blocks) and merges them in
     * partition order into an empty evaluation of this task and split, so float results
     * (STS-B's correlations) do not depend on task timing.
     */
    public GlueEvaluation mergeInOrder(JavaRDD<GlueEvaluation> perPartition) {
        GlueEvaluation total = new GlueEvaluation(task, split);
        for (GlueEvaluation e : perPartition.collect()) {
            total.merge(e);
        }
        return total;
    }

    /**
     * All predictions gathered on the driver sorted by GLUE index, ready for
     * {@link GlueSubmission#write} (two jobs: the GLUE indices of the rows and the predictions;
     * blocks; the driver holds {@code n} ints and floats). {@code predictions} may be partitioned
     * in any way: its runs are put in row order on the driver.
     *
     * @throws IllegalArgumentException if the predictions miss or repeat a row (naming it)
     */
    public GlueSubmission.Predictions collectPredictions(JavaRDD<GluePredictions> predictions) {
        List<int[]> idx = blocks.map(b -> b.rows().indices()).collect();
        GluePredictions all = tile(-1, predictions.collect().iterator(), 0, Math.toIntExact(size()));
        int n = all.count();
        Integer[] order = new Integer[n];
        int[] gi = new int[n];
        int at = 0;
        for (int[] a : idx) {
            System.arraycopy(a, 0, gi, at, a.length);
            at += a.length;
        }
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingInt(i -> gi[i]));
        int[] indices = new int[n];
        int[] labels = new int[n];
        float[] scores = new float[n];
        for (int i = 0; i < n; i++) {
            indices[i] = gi[order[i]];
            labels[i] = all.labels()[order[i]];
            scores[i] = all.scores()[order[i]];
        }
        return new GlueSubmission.Predictions(indices, labels, scores);
    }

    /** Releases the persisted rows (driver side; non-blocking). */
    public void unpersist() {
        blocks.unpersist(false);
    }

    @Override
    public String toString() {
        return "GlueBlockRDD(" + task + " " + split + ", " + layout() + ", S=" + seqLength + ")";
    }

    private void checkPartitions(JavaRDD<GluePredictions> predictions) {
        if (predictions.getNumPartitions() != layout().partitions()) {
            throw new IllegalArgumentException("predictions RDD " + predictions.id() + " has "
                    + predictions.getNumPartitions() + " partitions; expected " + layout().partitions()
                    + " (this GlueBlockRDD's)");
        }
    }

    /** Executor side: the evaluation of one partition's rows. */
    private static GlueEvaluation evaluatePartition(GlueTask task, GlueSplit split, GlueBlocks gold,
                                                    GluePredictions pred) {
        GlueEvaluation e = new GlueEvaluation(task, split);
        GlueBatch g = gold.rows();
        for (int i = 0; i < gold.count(); i++) {
            boolean labelled = task.isRegression() ? !Float.isNaN(g.scores()[i]) : g.labels()[i] >= 0;
            if (!labelled) {
                throw new IllegalArgumentException(task + " " + split + ": row " + (gold.firstRow() + i)
                        + " (GLUE index " + g.indices()[i] + ") has no gold label; expected a labelled split");
            }
            if (task.isRegression()) {
                e.addScore(g.scores()[i], pred.scores()[i]);
            } else {
                e.add(g.labels()[i], pred.labels()[i]);
            }
        }
        return e;
    }

    /**
     * Both sides: {@code parts} sorted by first row and joined, checked to tile exactly rows
     * {@code [first, first + count)} ({@code p} names the partition in errors, -1 for all).
     */
    static GluePredictions tile(int p, Iterator<GluePredictions> parts, long first, int count) {
        List<GluePredictions> list = new ArrayList<>();
        parts.forEachRemaining(list::add);
        list.sort(Comparator.comparingLong(GluePredictions::firstRow));
        int[] labels = new int[count];
        float[] scores = new float[count];
        long next = first;
        String where = p < 0 ? "predictions" : "partition " + p + " predictions";
        for (GluePredictions g : list) {
            if (g.firstRow() != next || g.firstRow() + g.count() > first + count) {
                throw new IllegalArgumentException(where + ": run of " + g.count() + " rows at row " + g.firstRow()
                        + "; expected row " + next + " (runs must tile [" + first + ", " + (first + count) + "))");
            }
            System.arraycopy(g.labels(), 0, labels, (int) (next - first), g.count());
            System.arraycopy(g.scores(), 0, scores, (int) (next - first), g.count());
            next += g.count();
        }
        if (next != first + count) {
            throw new IllegalArgumentException(where + " end at row " + next + "; expected predictions up to row "
                    + (first + count));
        }
        return new GluePredictions(first, labels, scores);
    }

    /** Executor side: one input partition's examples, encoded in runs by target partition. */
    private static List<Tuple2<Integer, GlueBlocks>> runs(Iterator<GlueExample> it, long first, GlueEncoder encoder,
                                                          EvenLayout layout) {
        List<Tuple2<Integer, GlueBlocks>> out = new ArrayList<>();
        long k = first;
        while (it.hasNext()) {
            int p = layout.partitionOf(k);
            long cap = layout.first(p + 1) - k;
            List<GlueExample> run = new ArrayList<>();
            while (run.size() < cap && it.hasNext()) {
                run.add(it.next());
            }
            out.add(new Tuple2<>(p, new GlueBlocks(k, encoder.encode(run))));
            k += run.size();
        }
        return out;
    }

    /** Executor side: the runs of partition {@code p}, sorted and joined. */
    private static GlueBlocks join(int p, List<GlueBlocks> runs, int s, EvenLayout layout) {
        runs.sort(Comparator.comparingLong(GlueBlocks::firstRow));
        long first = layout.first(p);
        long next = first;
        List<GlueBatch> parts = new ArrayList<>();
        for (GlueBlocks r : runs) {
            if (r.firstRow() != next) {
                throw new IllegalStateException("partition " + p + ": run at row " + r.firstRow() + "; expected row "
                        + next);
            }
            parts.add(r.rows());
            next += r.count();
        }
        if (next != first + layout.size(p)) {
            throw new IllegalStateException("partition " + p + ": rows up to " + next + "; expected up to "
                    + (first + layout.size(p)));
        }
        return new GlueBlocks(first, GlueRows.concat(parts, s));
    }
}
