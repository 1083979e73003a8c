package dev.sparkmoe.data.domainbed;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * The one entry point a DomainBed job uses to get its data into memory: a dataset name and
 * settings in, a {@link DomainImages} out. It only chooses among the readers that exist:
 * <ul>
 *   <li><b>RotatedDigits</b>: with no root, the embedded digits ({@link EmbeddedDomainBed});
 *       with a root, the folder {@code ROOT/RotatedDigits} that {@code spark-moe convert
 *       rotated-digits} writes, read as grey images with no normalisation: the embedded form's
 *       floats, but each domain listed class by class (folder order), not in construction order.</li>
 *   <li><b>RotatedMNIST</b>, <b>ColoredMNIST</b>: built in memory by {@link MnistEnvironments}
 *       from MNIST's four IDX files ({@link IdxReader#readFolder}), looked for where DomainBed's
 *       torchvision download puts them ({@code ROOT/MNIST/raw}), then {@code ROOT/MNIST}, then
 *       {@code ROOT}. Pixels {@code v/255}, no normalisation, as DomainBed.</li>
 *   <li><b>PACS, VLCS, OfficeHome, TerraIncognita, DomainNet</b>: {@link DomainBedFolder#open}
 *       then {@link DomainBedFolder#load} with {@link ImageOptions#DEFAULT} (224×224 RGB,
 *       ImageNet normalisation) at the requested size.</li>
 * </ul>
 * Runs in this JVM on the driver and blocks while reading; datasets too large for one heap
 * should be decoded on executors through {@link DomainBedFolder} directly. Errors name the
 * dataset, the path and what was expected.
 */
public final class DomainBedSources {
    /** The embedded default. */
    public static final String ROTATED_DIGITS = EmbeddedDomainBed.ROTATED_DIGITS;
    /** DomainBed's RotatedMNIST. */
    public static final String ROTATED_MNIST = DomainBedConversions.Construction.ROTATED.defaultName();
    /** DomainBed's ColoredMNIST. */
    public static final String COLORED_MNIST = DomainBedConversions.Construction.COLORED.defaultName();
    /** Side of the digits and of MNIST, the constructed datasets' size when none is asked for. */
    private static final int DIGITS_SIZE = 8;
    private static final int MNIST_SIZE = 28;

    private DomainBedSources() {}

    /**
     * What to load.
     *
     * @param dataset   a name from {@link #knownDatasets()}, case-insensitive (folder datasets
     *                  also by DomainBed's folder name, e.g. {@code office_home})
     * @param root      the DomainBed data root, or null (only RotatedDigits needs none)
     * @param imageSize output side {@code H = W}; 0 for the dataset's own (8 for RotatedDigits,
     *                  28 for the MNIST ones, 224 for the folder datasets). Constructed datasets
     *                  are resized before rotating or colouring, as {@link EmbeddedDomainBed} does.
     * @param seed      the construction seed of the constructed datasets (unused by folders)
     * @param strict    fail at the first bad file instead of skipping it (folder datasets)
     */
    public record Request(String dataset, Path root, int imageSize, long seed, boolean strict) {
        /** @throws IllegalArgumentException naming a blank dataset or a negative size */
        public Request {
            if (dataset == null || dataset.isBlank()) {
                throw new IllegalArgumentException("dataset '" + dataset + "'; expected one of " + String.join(", ", knownDatasets()));
            }
            if (imageSize < 0) {
                throw new IllegalArgumentException(dataset + ": image size " + imageSize + "; expected > 0, or 0 for the dataset's own");
            }
        }

        /** The dataset at its own size, seed {@value EmbeddedDomainBed#DEFAULT_SEED}, skipping bad files. */
        public static Request of(String dataset, Path root) {
            return new Request(dataset, root, 0, EmbeddedDomainBed.DEFAULT_SEED, false);
        }

        /** This request at another image size. */
        public Request withImageSize(int size) {
            return new Request(dataset, root, size, seed, strict);
        }

        /** This request with another construction seed. */
        public Request withSeed(long newSeed) {
            return new Request(dataset, root, imageSize, newSeed, strict);
        }

        /** This request in strict or lenient mode. */
        public Request withStrict(boolean newStrict) {
            return new Request(dataset, root, imageSize, seed, newStrict);
        }
    }

    /** Every dataset name {@link #load} accepts: the constructed ones, then the folder ones. */
    public static List<String> knownDatasets() {
        return Stream.concat(Stream.of(ROTATED_DIGITS, ROTATED_MNIST, COLORED_MNIST),
                Stream.of(DomainBedDataset.values()).map(DomainBedDataset::displayName)).toList();
    }

    /**
     * Loads the requested dataset into memory.
     *
     * @throws IllegalArgumentException naming an unknown dataset and listing the known ones
     * @throws FileNotFoundException    naming the dataset, the root and the files or folders
     *                                  expected, when the root is missing or lacks them
     * @throws IOException              from the readers, naming the file
     */
    public static DomainImages load(Request request, Configuration conf) throws IOException {
        String name = request.dataset().trim();
        if (is(name, ROTATED_DIGITS)) return rotatedDigits(request, conf);
        if (is(name, ROTATED_MNIST) || is(name, COLORED_MNIST)) return mnist(request, is(name, ROTATED_MNIST), conf);
        DomainBedDataset folder = folderDataset(name);
        if (request.root() == null) {
            throw new FileNotFoundException(folder.displayName() + ": no data root given; expected a root holding "
                    + String.join(" or ", folder.folders()) + "/<domain>/<class>/<image>");
        }
        ImageOptions options = request.imageSize() == 0 ? ImageOptions.DEFAULT
                : ImageOptions.DEFAULT.withSize(request.imageSize(), request.imageSize());
        return DomainBedFolder.open(request.root(), folder.displayName(), conf, request.strict())
                .load(options, conf, request.strict());
    }

    private static DomainImages rotatedDigits(Request request, Configuration conf) throws IOException {
        int size = request.imageSize() == 0 ? DIGITS_SIZE : request.imageSize();
        if (request.root() == null) {
            return EmbeddedDomainBed.rotatedDigits(size, request.seed()).toImages();
        }
        // writeFolder's 8-bit PNGs read back with raw options give toImages()'s floats exactly
        Path dir = new Path(request.root(), ROTATED_DIGITS);
        return DomainBedFolder.openDir(dir, ROTATED_DIGITS, conf, request.strict())
                .load(ImageOptions.raw(size, size, 1), conf, request.strict());
    }

    private static DomainImages mnist(Request request, boolean rotated, Configuration conf) throws IOException {
        String name = rotated ? ROTATED_MNIST : COLORED_MNIST;
        List<Path> candidates = request.root() == null ? List.of() : idxCandidates(request.root());
        for (Path dir : candidates) {
            if (hasIdx(dir, conf)) {
                GrayImages src = IdxReader.readFolder(dir, conf);
                if (request.imageSize() != 0) src = src.resized(request.imageSize());
                ConstructedDataset ds = rotated
                        ? MnistEnvironments.rotated(name, src, request.seed())
                        : MnistEnvironments.colored(name, src, request.seed());
                return ds.toImages();
            }
        }
        String where = request.root() == null ? "no data root given" : "no MNIST IDX files under " + request.root();
        throw new FileNotFoundException(name + ": " + where + "; expected train-images-idx3-ubyte, train-labels-idx1-ubyte, "
                + "t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte (optionally .gz) in ROOT/MNIST/raw, ROOT/MNIST or ROOT"
                + (candidates.isEmpty() ? "" : " (tried " + candidates + ")"));
    }

    /** Where DomainBed's torchvision download puts MNIST first, then the plainer layouts. */
    private static List<Path> idxCandidates(Path root) {
        List<Path> dirs = new ArrayList<>();
        dirs.add(new Path(new Path(root, "MNIST"), "raw"));
        dirs.add(new Path(root, "MNIST"));
        dirs.add(root);
        return dirs;
    }

    private static boolean hasIdx(Path dir, Configuration conf) throws IOException {
        if (!dir.getFileSystem(conf).isDirectory(dir)) return false;
        try {
            IdxReader.find(dir, "train-images", "idx3-ubyte", conf);
            return true;
        } catch (FileNotFoundException e) {
            return false; // try the next layout; readFolder names any other missing file
        }
    }

    private static DomainBedDataset folderDataset(String name) {
        try {
            return DomainBedDataset.forName(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown DomainBed dataset '" + name + "'; expected one of "
                    + String.join(", ", knownDatasets()), e);
        }
    }

    private static boolean is(String name, String dataset) {
        return name.toLowerCase(Locale.ROOT).equals(dataset.toLowerCase(Locale.ROOT));
    }
}
