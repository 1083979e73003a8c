package dev.sparkmoe.driver.run.domainbed;

import dev.sparkmoe.data.domainbed.DomainImages;
import dev.sparkmoe.data.domainbed.LodoSplit;
import dev.sparkmoe.routing.Seeds;
import dev.sparkmoe.worker.train.ExampleSet;

import java.util.SplittableRandom;
import java.util.function.LongFunction;

/**
 * Every image of a DomainBed dataset as one {@link ExampleSet} (domain after domain, so the
 * engine broadcasts the dataset once per training rather than once per split), and which of its
 * examples a training step draws. Driver side; the set itself travels to the executors.
 */
public final class DomainBedExamples {
    private final ExampleSet set;
    private final int[] offsets;    // domain d is set indices offsets[d] .. offsets[d + 1] - 1
    private final int[] labels;     // [N] class of every set index

    private DomainBedExamples(ExampleSet set, int[] offsets, int[] labels) {
        this.set = set;
        this.offsets = offsets;
        this.labels = labels;
    }

    /** The images of every domain of {@code images}, each {@code rows} rows (patches and class token) for the model. */
    public static DomainBedExamples of(DomainImages images, int rows) {
        int domains = images.domains().size();
        int[] offsets = new int[domains + 1];
        for (int d = 0; d < domains; d++) offsets[d + 1] = Math.addExact(offsets[d], images.size(d));
        int size = images.imageSize();
        float[] pixels = new float[Math.multiplyExact(offsets[domains], size)];
        int[] labels = new int[offsets[domains]];
        for (int d = 0; d < domains; d++) {
            int[] all = new int[images.size(d)];
            for (int i = 0; i < all.length; i++) all[i] = i;
            System.arraycopy(images.block(d, all), 0, pixels, offsets[d] * size, all.length * size);
            System.arraycopy(images.labels(d, all), 0, labels, offsets[d], all.length);
        }
        return new DomainBedExamples(ExampleSet.images(rows, size, pixels, labels), offsets, labels);
    }

    /** The whole dataset as one set. */
    public ExampleSet set() { return set; }

    /** The class of set index {@code example}. */
    public int label(int example) { return labels[example]; }

    /** Set indices of domain {@code d}'s images {@code local}. */
    public int[] global(int d, int[] local) {
        int[] out = new int[local.length];
        for (int i = 0; i < local.length; i++) out[i] = offsets[d] + local[i];
        return out;
    }

    /** {@link #perDomain} over the train splits of {@code split}'s training domains. */
    public LongFunction<int[]> trainChooser(LodoSplit split, long seed, int batchSize) {
        int[] domains = split.trainDomains();
        int[][] pools = new int[domains.length][];
        for (int k = 0; k < domains.length; k++) pools[k] = global(domains[k], split.train(domains[k]));
        return perDomain(pools, domains, seed, batchSize);
    }

    /**
     * DomainBed's training order: like its {@code InfiniteDataLoader}, one per training domain,
     * each step draws {@code batchSize} examples from every domain's pool (uniformly, with
     * replacement, as its {@code RandomSampler(replacement=True)} does) and concatenates them in
     * domain order. The draw is seeded by {@code (seed, step, domain)}: a recomputed or resumed
     * step draws the same examples, and no domain's draw depends on another's size.
     *
     * @param pools   per training domain, the set indices it may draw from (its train split only)
     * @param domains the domain index of each pool (the seed path)
     */
    static LongFunction<int[]> perDomain(int[][] pools, int[] domains, long seed, int batchSize) {
        if (batchSize < 1) throw new IllegalArgumentException("train.batchSize = " + batchSize + ": must be >= 1");
        for (int k = 0; k < pools.length; k++) {
            if (pools[k].length == 0) throw new IllegalArgumentException("training domain " + domains[k] + " has no training examples");
        }
        int[][] copies = pools.clone();
        return step -> {
            int[] out = new int[copies.length * batchSize];
            for (int k = 0; k < copies.length; k++) {
                SplittableRandom random = new SplittableRandom(Seeds.derive(seed, 0xD0BED, step, domains[k]));
                for (int i = 0; i < batchSize; i++) out[k * batchSize + i] = copies[k][random.nextInt(copies[k].length)];
            }
            return out;
        };
    }
}
