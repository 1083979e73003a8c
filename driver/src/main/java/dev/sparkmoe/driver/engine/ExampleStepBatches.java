package dev.sparkmoe.driver.engine;

import dev.sparkmoe.routing.Seeds;
import dev.sparkmoe.worker.engine.PartitionBatch;
import dev.sparkmoe.worker.model.BatchShare;
import dev.sparkmoe.worker.model.TokenBatch;
import dev.sparkmoe.worker.train.ExampleSet;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.LongFunction;

/**
 * Batches of a labelled {@link ExampleSet} (GLUE sentences, DomainBed images) for the Spark
 * engine and the reference trainer. The set is broadcast once; each step ships every data
 * partition only the indices of its examples, and the partition builds its rows in its task.
 * Which examples step {@code s} holds is a pure function of {@code s} (the chooser), so a
 * recomputed partition draws the same rows.
 */
public final class ExampleStepBatches implements StepBatches, AutoCloseable {
    private final ShippedExamples shipped;
    private final boolean ownsShipment;         // close() releases the broadcast only when this made it
    private final int partitions;
    private final LongFunction<int[]> chooser;  // step → the global batch's examples, in row order

    /**
     * Batches over a set of their own, broadcast on first use and released by {@link #close}.
     *
     * @param sc         the Spark context, or null when only {@link #reference} batches are wanted
     * @param partitions data partitions (routing groups of the reference batch)
     * @param chooser    step (or evaluation batch) → the examples of its global batch, in row order
     */
    public ExampleStepBatches(JavaSparkContext sc, ExampleSet set, int partitions, LongFunction<int[]> chooser) {
        this(new ShippedExamples(sc, set), true, partitions, chooser);
    }

    /** Batches over a set shipped for several of them; {@link #close} leaves it to its owner. */
    public ExampleStepBatches(ShippedExamples shipped, int partitions, LongFunction<int[]> chooser) {
        this(shipped, false, partitions, chooser);
    }

    private ExampleStepBatches(ShippedExamples shipped, boolean ownsShipment, int partitions, LongFunction<int[]> chooser) {
        if (partitions < 1) throw new IllegalArgumentException("partitions = " + partitions + ": must be >= 1");
        this.shipped = shipped;
        this.ownsShipment = ownsShipment;
        this.partitions = partitions;
        this.chooser = chooser;
    }

    /**
     * Training order: epochs over the whole set, each a permutation seeded by {@code (seed, epoch)};
     * step {@code s} takes positions {@code s·b .. s·b+b-1} of the concatenated epochs.
     */
    public static LongFunction<int[]> epochs(long seed, int size, int batchSize) {
        if (size < 1) throw new IllegalArgumentException("no examples to train on");
        return step -> {
            int[] out = new int[batchSize];
            long first = step * batchSize;
            long epoch = -1;
            int[] order = null;
            for (int i = 0; i < batchSize; i++) {
                long at = first + i;
                if (at / size != epoch) {          // a step spans at most a few epochs
                    epoch = at / size;
                    order = permutation(seed, epoch, size);
                }
                out[i] = order[(int) (at % size)];
            }
            return out;
        };
    }

    /** Evaluation order: batch {@code i} is examples {@code i·b .. min((i+1)·b, N)-1}; {@link #batchesToCover} of them cover the set. */
    public static LongFunction<int[]> consecutive(int size, int batchSize) {
        return i -> {
            int from = (int) (i * batchSize);
            int to = Math.min(size, from + batchSize);
            if (from >= to) throw new IllegalArgumentException("evaluation batch " + i + " is past the " + size + " examples");
            int[] out = new int[to - from];
            for (int k = 0; k < out.length; k++) out[k] = from + k;
            return out;
        };
    }

    /** Evaluation batches of {@code batchSize} that cover {@code size} examples. */
    public static int batchesToCover(int size, int batchSize) {
        return (size + batchSize - 1) / batchSize;
    }

    @Override
    public int partitions() { return partitions; }

    @Override
    public JavaRDD<PartitionBatch> batch(long step) {
        JavaSparkContext sc = shipped.sparkContext();
        if (sc == null) throw new IllegalStateException("these batches were built without a Spark context");
        Broadcast<ExampleSet> data = shipped.broadcast();
        int[][] parts = split(chooser.apply(step));
        // The shares' counts come from the set's metadata: the driver does not build the rows.
        int[] realTokens = new int[parts.length];
        int total = 0;
        int counted = 0;
        for (int p = 0; p < parts.length; p++) {
            realTokens[p] = shipped.set().realTokens(parts[p]);
            total += realTokens[p];
            counted += shipped.set().countedTargets(parts[p]);
        }
        int whole = Math.max(1, total);
        int targets = counted;
        List<Integer> ids = new ArrayList<>();
        for (int p = 0; p < parts.length; p++) ids.add(p);
        return sc.parallelize(ids, parts.length).map(p -> {
            BatchShare share = BatchShare.of(realTokens[p], whole, targets);
            return new PartitionBatch(p, parts[p].length == 0 ? null : data.value().batch(parts[p]), share);
        });
    }

    @Override
    public TokenBatch reference(long step) {
        int[][] parts = split(chooser.apply(step));
        int[] offsets = new int[parts.length + 1];
        for (int p = 0; p < parts.length; p++) offsets[p + 1] = offsets[p] + parts[p].length;
        int[] all = new int[offsets[parts.length]];
        for (int p = 0; p < parts.length; p++) System.arraycopy(parts[p], 0, all, offsets[p], parts[p].length);
        return shipped.set().batch(all).withGroups(offsets);
    }

    /** Releases the broadcast set, if these batches shipped it. */
    @Override
    public void close() {
        if (ownsShipment) shipped.close();
    }

    /** Contiguous runs whose sizes differ by at most one, one per partition (a stage waits for its slowest task). */
    private int[][] split(int[] chosen) {
        int[][] out = new int[partitions][];
        for (int p = 0; p < partitions; p++) {
            int from = (int) ((long) p * chosen.length / partitions);
            int to = (int) ((long) (p + 1) * chosen.length / partitions);
            out[p] = Arrays.copyOfRange(chosen, from, to);
        }
        return out;
    }

    private static int[] permutation(long seed, long epoch, int size) {
        int[] order = new int[size];
        for (int i = 0; i < size; i++) order[i] = i;
        SplittableRandom random = new SplittableRandom(Seeds.derive(seed, 0x5EED_E90C, epoch));
        for (int i = size - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }
}
