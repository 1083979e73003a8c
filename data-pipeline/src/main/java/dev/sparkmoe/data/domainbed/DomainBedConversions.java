package dev.sparkmoe.data.domainbed;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

import java.io.IOException;

/**
 * Writes DomainBed's constructed datasets in its folder layout (PNG files,
 * {@link ConstructedDataset#writeFolder}), so that a DomainBed job reads them like PACS or VLCS.
 * Runs where it is called (no Spark); blocks until written; paths are Hadoop paths. The
 * {@code spark-moe convert} command is the command line over these.
 */
public final class DomainBedConversions {
    private DomainBedConversions() {}

    /** The MNIST constructions of DomainBed. */
    public enum Construction {
        /** RotatedMNIST: rotations 0, 15, 30, 45, 60, 75. */
        ROTATED("RotatedMNIST"),
        /** ColoredMNIST: colour flipped with probability 0.1, 0.2, 0.9 per environment. */
        COLORED("ColoredMNIST");

        private final String defaultName;

        Construction(String defaultName) { this.defaultName = defaultName; }

        public String defaultName() { return defaultName; }
    }

    /**
     * RotatedDigits (the embedded UCI digits in six rotation domains) under {@code outRoot}.
     *
     * @param size image side; 8 is the original, larger sizes upscale before rotating
     * @return the written dataset folder
     */
    public static Path rotatedDigits(Path outRoot, int size, long seed, Configuration conf) throws IOException {
        if (size < 1) throw new IllegalArgumentException("size=" + size + "; expected a positive integer");
        return EmbeddedDomainBed.rotatedDigits(size, seed).writeFolder(outRoot, conf);
    }

    /**
     * RotatedMNIST or ColoredMNIST from MNIST-format IDX files (train and test concatenated, as
     * DomainBed does) under {@code outRoot}.
     *
     * @param idxDir folder with the four IDX files (raw or .gz)
     * @param name   dataset folder name; null for the construction's default
     * @param limit  keep only the first {@code limit} images ({@code >= 1})
     * @return the written dataset folder
     */
    public static Path fromMnist(Construction construction, Path idxDir, Path outRoot, String name, long seed, int limit,
                                 Configuration conf) throws IOException {
        if (limit < 1) throw new IllegalArgumentException("limit=" + limit + "; expected a positive integer");
        GrayImages src = IdxReader.readFolder(idxDir, conf);
        if (src.count() > limit) src = src.slice(0, limit);
        String dataset = name == null ? construction.defaultName() : name;
        ConstructedDataset ds = construction == Construction.ROTATED
                ? MnistEnvironments.rotated(dataset, src, seed)
                : MnistEnvironments.colored(dataset, src, seed);
        return ds.writeFolder(outRoot, conf);
    }
}
