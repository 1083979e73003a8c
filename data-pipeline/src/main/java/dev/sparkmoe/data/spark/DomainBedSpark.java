package dev.sparkmoe.data.spark;

import dev.sparkmoe.data.SkipReport;
import dev.sparkmoe.data.domainbed.DomainBedFolder;
import dev.sparkmoe.data.domainbed.DomainImages;
import dev.sparkmoe.data.domainbed.ImageBlock;
import dev.sparkmoe.data.domainbed.ImageDecoder;
import dev.sparkmoe.data.domainbed.ImageOptions;
import dev.sparkmoe.data.domainbed.LodoSplit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DomainBed on Spark: one part ({@link LodoPart}) of a leave-one-domain-out split as a
 * {@link FeatureBlockRDD} of {@link FeatureRow}s ({@code float[C·H·W]} image, label, domain id),
 * rows in the order (domain ascending, index ascending), so the same split gives the same
 * rows — and, through {@link FeatureBlockRDD#batch}, the same per-step samples — on either path:
 * <ul>
 *   <li>{@link #fromMemory}: a dataset already decoded in driver memory ({@link DomainImages},
 *       e.g. {@link dev.sparkmoe.data.domainbed.EmbeddedDomainBed#rotatedDigits()});</li>
 *   <li>{@link #decodeFolder}: a folder dataset too big for the driver: the driver ships only
 *       {@code (domain, indices)} work lists and the small {@link DomainBedFolder} index (a
 *       broadcast); executors decode their images with {@link DomainBedFolder#decodeBlock}.</li>
 * </ul>
 * All methods run on the driver, start Spark jobs and block until they end; task failures
 * (e.g. a bad image in strict mode) reach the driver as {@code org.apache.spark.SparkException}
 * naming the cause.
 */
public final class DomainBedSpark {
    private static final Logger LOG = LoggerFactory.getLogger(DomainBedSpark.class);

    private DomainBedSpark() {}

    /**
     * Part {@code part} of {@code split} over the in-memory {@code data}, rebalanced into
     * {@code partitions} even data partitions (driver side; parallelises the rows, which share
     * the images' arrays, then the two jobs of {@link FeatureBlockRDD#of}; blocks).
     *
     * @throws IllegalArgumentException if {@code split} does not match {@code data}'s domains and
     *         sizes (naming the domain), or the part is empty
     */
    public static FeatureBlockRDD fromMemory(JavaSparkContext sc, DomainImages data, LodoSplit split, LodoPart part,
                                             int partitions) {
        checkSplit(split, data.domainSizes(), data.name());
        List<FeatureRow> rows = new ArrayList<>();
        for (int d = 0; d < split.numDomains(); d++) {
            for (int i : part.indices(split, d)) {
                rows.add(new FeatureRow(data.image(d, i), data.label(d, i), d));
            }
        }
        checkNotEmpty(rows.size(), part, split, data.name());
        return FeatureBlockRDD.of(sc.parallelize(rows, Math.min(rows.size(), Math.max(1, partitions))), partitions);
    }

    /**
     * Part {@code part} of {@code split} over the folder dataset {@code index}, decoded on the
     * executors with {@code options} and rebalanced into {@code partitions} even data partitions
     * (driver side; three jobs: decode and collect the skip reports, then
     * {@link FeatureBlockRDD#of} over the decoded blocks, persisted meanwhile and released after;
     * blocks). The work is cut into {@code max(partitions, defaultParallelism)} slices of
     * consecutive images, never spanning two domains. The index travels as a broadcast
     * (unpersisted, not destroyed, at the end: a lost block of the result is recomputed from it);
     * the executors get the driver's Hadoop configuration ({@code sc.hadoopConfiguration()}) in
     * the task closure.
     *
     * <p>Bad images are left out and counted ({@code bad-image}) in the result's skips, or, in
     * strict mode, fail the job naming the file. What listing the folder skipped stays in
     * {@code index.skips()} (reported once per run, not once per part). Split
     * {@code index.domainSizes()} (not a loaded dataset's, whose indices shift when images are
     * dropped).
     *
     * @throws IllegalArgumentException if {@code split} does not match the index's domains and
     *         sizes (naming the domain), or the part is empty or decodes to no image
     */
    public static DomainBedRows decodeFolder(JavaSparkContext sc, DomainBedFolder index, LodoSplit split,
                                             LodoPart part, ImageOptions options, boolean strict, int partitions) {
        checkSplit(split, index.domainSizes(), index.name());
        long n = part.size(split);
        checkNotEmpty(n, part, split, index.name());
        int slices = (int) Math.min(n, Math.max(Math.max(1, partitions), sc.defaultParallelism()));
        List<ImageWork> work = workList(split, part, (int) ((n + slices - 1) / slices));
        HashMap<String, String> hadoop = new HashMap<>();
        for (Map.Entry<String, String> e : sc.hadoopConfiguration()) {
            hadoop.put(e.getKey(), e.getValue());
        }
        Broadcast<DomainBedFolder> shared = sc.broadcast(index);
        JavaRDD<ImageBlock> decoded = sc.parallelize(work, Math.min(work.size(), slices))
                .mapPartitions(it -> {
                    Configuration conf = new Configuration(false);
                    hadoop.forEach(conf::set);
                    ImageDecoder decoder = new ImageDecoder(options);
                    List<ImageBlock> out = new ArrayList<>();
                    while (it.hasNext()) {
                        ImageWork w = it.next();
                        out.add(shared.value().decodeBlock(w.domain(), w.indices(), decoder, conf, strict));
                    }
                    return out.iterator();
                }, true)
                .persist(StorageLevel.MEMORY_AND_DISK());
        try {
            SkipReport skips = SkipReport.EMPTY;
            for (SkipReport s : decoded.map(ImageBlock::skips).collect()) { // partition order
                skips = skips.merge(s);
            }
            if (skips.total() > 0) {
                LOG.warn("{} {}: {}", index.name(), part, skips);
            }
            if (skips.total() == n) {
                throw new IllegalArgumentException(index.name() + " " + part + " of " + split + ": all " + n
                        + " images failed to decode (" + skips + "); expected at least one readable image");
            }
            FeatureBlockRDD rows = FeatureBlockRDD.of(decoded.flatMap(b -> rowsOf(b).iterator()), partitions);
            return new DomainBedRows(rows, skips);
        } finally {
            decoded.unpersist(false);
            shared.unpersist(false);
        }
    }

    /** Driver side: the part's images as work items of at most {@code chunk} consecutive indices of one domain. */
    static List<ImageWork> workList(LodoSplit split, LodoPart part, int chunk) {
        List<ImageWork> work = new ArrayList<>();
        for (int d = 0; d < split.numDomains(); d++) {
            int[] idx = part.indices(split, d);
            for (int from = 0; from < idx.length; from += chunk) {
                work.add(new ImageWork(d, Arrays.copyOfRange(idx, from, Math.min(idx.length, from + chunk))));
            }
        }
        return work;
    }

    /** Executor side: one decoded block as rows (each image copied into its own array). */
    private static List<FeatureRow> rowsOf(ImageBlock b) {
        int size = b.channels() * b.height() * b.width();
        List<FeatureRow> rows = new ArrayList<>(b.size());
        for (int i = 0; i < b.size(); i++) {
            rows.add(new FeatureRow(Arrays.copyOfRange(b.pixels(), i * size, (i + 1) * size), b.labels()[i],
                    b.domain()));
        }
        return rows;
    }

    private static void checkSplit(LodoSplit split, int[] sizes, String name) {
        if (split.numDomains() != sizes.length) {
            throw new IllegalArgumentException(name + ": split " + split + " has " + split.numDomains()
                    + " domains; expected " + sizes.length + " (the dataset's)");
        }
        for (int d = 0; d < sizes.length; d++) {
            int got = split.train(d).length + split.val(d).length + split.test(d).length;
            if (got != sizes[d]) {
                throw new IllegalArgumentException(name + ": split " + split + " covers " + got + " examples of domain "
                        + d + "; expected the domain's " + sizes[d] + " (split the same domainSizes())");
            }
        }
    }

    private static void checkNotEmpty(long n, LodoPart part, LodoSplit split, String name) {
        if (n == 0) {
            throw new IllegalArgumentException(name + ": part " + part + " of " + split
                    + " holds no example; expected at least one");
        }
    }
}
