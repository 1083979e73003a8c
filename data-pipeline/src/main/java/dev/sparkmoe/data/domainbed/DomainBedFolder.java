package dev.sparkmoe.data.domainbed;

import dev.sparkmoe.data.SkipCounter;
import dev.sparkmoe.data.SkipReport;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The index of a DomainBed folder dataset {@code ROOT/<Dataset>/<domain>/<class>/<image>}: file
 * paths, labels and domain ids, without decoding any image (cheap: one listing per folder, on
 * the driver). Serializable, so executors can decode their share with {@link #decode};
 * {@link #load} decodes everything into a {@link DomainImages} in this JVM.
 *
 * <ul>
 *   <li><b>Domains</b>: the sub-folders of the dataset folder, sorted by name (DomainBed sorts
 *       them too); a domain id is the index in that order. Files beside the domain folders are
 *       ignored, as DomainBed ignores them.</li>
 *   <li><b>Classes</b>: the sorted union, over all domains, of the names of class folders that
 *       hold at least one image; the label of an image is its class folder's index in that
 *       list, so the same name gets the same label in every domain even if some domain lacks a
 *       class (torchvision's {@code ImageFolder}, which DomainBed uses, indexes each domain's own
 *       folders, which agree only when every domain has every class).</li>
 *   <li><b>Images</b>: files anywhere under a class folder (recursively, as {@code ImageFolder}),
 *       sorted by path, whose name ends in .jpg, .jpeg, .png, .bmp or .gif (any case). Names
 *       starting with '.' (e.g. {@code .DS_Store}) are ignored.</li>
 *   <li><b>Skips</b> ({@link SkipCounter} reasons): {@code non-image} (another extension),
 *       {@code stray-file} (a file directly in a domain folder), {@code empty-class} (a class
 *       folder without images), and at decode time {@code bad-image} (unreadable, truncated or
 *       not really an image). Strict mode fails at the first, naming the file.</li>
 * </ul>
 */
public final class DomainBedFolder implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final Set<String> EXTENSIONS = Set.of("jpg", "jpeg", "png", "bmp", "gif");

    private final String name;
    private final String dir;
    private final List<String> domains;
    private final List<String> classes;
    private final String[][] files;
    private final int[][] labels;
    private final SkipReport skips;

    private DomainBedFolder(String name, String dir, List<String> domains, List<String> classes, String[][] files,
                            int[][] labels, SkipReport skips) {
        this.name = name;
        this.dir = dir;
        this.domains = List.copyOf(domains);
        this.classes = List.copyOf(classes);
        this.files = files;
        this.labels = labels;
        this.skips = skips;
    }

    /**
     * Indexes DomainBed dataset {@code dataset} (see {@link DomainBedDataset#forName}) under the
     * data root, trying its folder names in order.
     *
     * @throws IllegalArgumentException naming an unknown dataset
     * @throws FileNotFoundException    naming the root, or the dataset folders tried
     * @throws dev.sparkmoe.data.BadRecordException in strict mode, at the first bad entry
     */
    public static DomainBedFolder open(Path root, String dataset, Configuration conf, boolean strict) throws IOException {
        DomainBedDataset ds = DomainBedDataset.forName(dataset);
        FileSystem fs = root.getFileSystem(conf);
        if (!fs.isDirectory(root)) {
            throw new FileNotFoundException(root + ": data root not found; expected a folder holding "
                    + String.join(" or ", ds.folders()) + "/<domain>/<class>/<image>");
        }
        for (String f : ds.folders()) {
            Path p = new Path(root, f);
            if (fs.isDirectory(p)) {
                return openDir(p, ds.displayName(), conf, strict);
            }
        }
        throw new FileNotFoundException(root + ": no " + ds.displayName() + " folder; expected "
                + String.join(" or ", ds.folders().stream().map(f -> new Path(root, f).toString()).toList()));
    }

    /**
     * Indexes any folder in DomainBed's layout {@code <domain>/<class>/<image>} (e.g. one written by
     * {@link ConstructedDataset#writeFolder}).
     *
     * @param name the dataset name to report
     * @throws FileNotFoundException naming the folder if it is missing or holds no domain folders
     */
    public static DomainBedFolder openDir(Path datasetDir, String name, Configuration conf, boolean strict) throws IOException {
        FileSystem fs = datasetDir.getFileSystem(conf);
        if (!fs.isDirectory(datasetDir)) {
            throw new FileNotFoundException(datasetDir + ": dataset folder not found; expected <domain>/<class>/<image> below it");
        }
        SkipCounter skips = new SkipCounter(strict);
        List<String> domainNames = new ArrayList<>();
        List<Map<String, List<String>>> perDomain = new ArrayList<>();
        Set<String> classNames = new TreeSet<>();
        for (FileStatus d : sorted(fs.listStatus(datasetDir))) {
            if (d.isDirectory() && !hidden(d.getPath())) {
                domainNames.add(d.getPath().getName());
                Map<String, List<String>> byClass = listDomain(fs, d.getPath(), skips);
                classNames.addAll(byClass.keySet());
                perDomain.add(byClass);
            }
        }
        if (domainNames.isEmpty()) {
            throw new FileNotFoundException(datasetDir + ": no domain folders; expected <domain>/<class>/<image> below it");
        }
        List<String> classes = new ArrayList<>(classNames);
        String[][] files = new String[domainNames.size()][];
        int[][] labels = new int[domainNames.size()][];
        for (int d = 0; d < files.length; d++) {
            List<String> f = new ArrayList<>();
            List<Integer> l = new ArrayList<>();
            for (Map.Entry<String, List<String>> e : perDomain.get(d).entrySet()) {
                int label = classes.indexOf(e.getKey());
                for (String file : e.getValue()) {
                    f.add(file);
                    l.add(label);
                }
            }
            files[d] = f.toArray(new String[0]);
            labels[d] = l.stream().mapToInt(Integer::intValue).toArray();
        }
        return new DomainBedFolder(name, datasetDir.toString(), domainNames, classes, files, labels, skips.report());
    }

    /** Class name → sorted image paths of one domain (only classes with images). */
    private static Map<String, List<String>> listDomain(FileSystem fs, Path domain, SkipCounter skips) throws IOException {
        Map<String, List<String>> byClass = new TreeMap<>();
        for (FileStatus c : sorted(fs.listStatus(domain))) {
            Path cp = c.getPath();
            if (hidden(cp)) {
                continue;
            }
            if (!c.isDirectory()) {
                skips.skip("stray-file", cp.toString(), 0, "a file directly in a domain folder; expected <domain>/<class>/<image>");
                continue;
            }
            List<String> images = new ArrayList<>();
            listImages(fs, cp, images, skips);
            if (images.isEmpty()) {
                skips.skip("empty-class", cp.toString(), 0, "class folder holds no images; expected at least one");
            } else {
                images.sort(null);
                byClass.put(cp.getName(), images);
            }
        }
        return byClass;
    }

    /**
     * Adds the image files under {@code dir}, recursively. Uses {@code listStatus}, not
     * {@code listFiles}: the latter's located statuses load permissions, which Hadoop's local file
     * system does by forking {@code ls} per file when its native library is missing.
     */
    private static void listImages(FileSystem fs, Path dir, List<String> images, SkipCounter skips) throws IOException {
        for (FileStatus s : fs.listStatus(dir)) {
            Path p = s.getPath();
            if (hidden(p)) {
                continue;
            }
            if (s.isDirectory()) {
                listImages(fs, p, images, skips);
            } else if (isImageName(p.getName())) {
                images.add(p.toString());
            } else {
                skips.skip("non-image", p.toString(), 0, "extension of '" + p.getName() + "'; expected .jpg, .jpeg, .png, .bmp or .gif");
            }
        }
    }

    private static FileStatus[] sorted(FileStatus[] s) {
        Arrays.sort(s, (a, b) -> a.getPath().getName().compareTo(b.getPath().getName()));
        return s;
    }

    private static boolean hidden(Path p) {
        return p.getName().startsWith(".");
    }

    static boolean isImageName(String n) {
        int dot = n.lastIndexOf('.');
        return dot >= 0 && EXTENSIONS.contains(n.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    /** The dataset name. */
    public String name() {
        return name;
    }

    /** The dataset folder. */
    public String path() {
        return dir;
    }

    /** Domain names, sorted; a domain id is an index here. */
    public List<String> domains() {
        return domains;
    }

    /** Class names, sorted; a label is an index here. */
    public List<String> classes() {
        return classes;
    }

    /** Indexed images per domain. */
    public int[] domainSizes() {
        int[] s = new int[files.length];
        for (int d = 0; d < s.length; d++) {
            s[d] = files[d].length;
        }
        return s;
    }

    /** The path of image {@code i} of domain {@code d}. */
    public String file(int d, int i) {
        return files[d][i];
    }

    /** The label of image {@code i} of domain {@code d}. */
    public int label(int d, int i) {
        return labels[d][i];
    }

    /** What indexing skipped (non-image, stray-file, empty-class). */
    public SkipReport skips() {
        return skips;
    }

    /**
     * Decodes image {@code i} of domain {@code d}; runs where called (driver or executor), blocks.
     *
     * @return {@code float[C·H·W]}
     * @throws ImageDecoder.BadImageException naming the file when it is not a readable image
     */
    public float[] decode(int d, int i, ImageDecoder decoder, Configuration conf) throws IOException {
        return decoder.decode(new Path(files[d][i]), conf);
    }

    /**
     * Decodes the images {@code indices} of domain {@code d} into one block; runs where called
     * (typically a Spark task over a split's index ranges), blocks while reading. Bad images are
     * left out of the block and counted in its skips ({@code bad-image}), or in strict mode fail
     * naming the file.
     */
    public ImageBlock decodeBlock(int d, int[] indices, ImageDecoder decoder, Configuration conf, boolean strict)
            throws IOException {
        ImageOptions o = decoder.options();
        SkipCounter skipped = new SkipCounter(strict);
        float[] pixels = new float[Math.multiplyExact(indices.length, o.imageSize())];
        int[] kept = new int[indices.length];
        int[] keptLabels = new int[indices.length];
        int n = 0;
        for (int i : indices) {
            try {
                float[] img = decode(d, i, decoder, conf);
                System.arraycopy(img, 0, pixels, n * img.length, img.length);
                kept[n] = i;
                keptLabels[n++] = labels[d][i];
            } catch (ImageDecoder.BadImageException e) {
                skipped.skip("bad-image", files[d][i], 0, e.getMessage());
            }
        }
        return new ImageBlock(d, o.channels(), o.height(), o.width(), Arrays.copyOf(kept, n), Arrays.copyOf(keptLabels, n),
                n == indices.length ? pixels : Arrays.copyOf(pixels, n * o.imageSize()), skipped.report());
    }

    /**
     * Decodes every image into memory (this JVM, one thread; blocks). Bad images are skipped
     * ({@code bad-image}) or, in strict mode, fail naming the file. The result's skips are the
     * index's plus the decode's.
     *
     * @throws IllegalStateException naming the sizes when the floats would not fit the JVM heap
     */
    public DomainImages load(ImageOptions options, Configuration conf, boolean strict) throws IOException {
        long floats = (long) Arrays.stream(domainSizes()).sum() * options.imageSize();
        if (floats * 4 > Runtime.getRuntime().maxMemory()) {
            throw new IllegalStateException(name + ": " + floats * 4 / (1 << 20) + " MiB of images at " + options
                    + "; the JVM heap is " + Runtime.getRuntime().maxMemory() / (1 << 20)
                    + " MiB. Expected a smaller size, or decode on executors with decode()");
        }
        SkipCounter skipped = new SkipCounter(strict);
        ImageDecoder decoder = new ImageDecoder(options);
        float[][][] images = new float[files.length][][];
        int[][] kept = new int[files.length][];
        for (int d = 0; d < files.length; d++) {
            List<float[]> imgs = new ArrayList<>(files[d].length);
            int[] l = new int[files[d].length];
            for (int i = 0; i < files[d].length; i++) {
                try {
                    float[] img = decode(d, i, decoder, conf);
                    l[imgs.size()] = labels[d][i];
                    imgs.add(img);
                } catch (ImageDecoder.BadImageException e) {
                    skipped.skip("bad-image", files[d][i], 0, e.getMessage());
                }
            }
            images[d] = imgs.toArray(new float[0][]);
            kept[d] = Arrays.copyOf(l, imgs.size());
        }
        return new DomainImages(name, domains, classes, options.channels(), options.height(), options.width(), images, kept,
                skips.merge(skipped.report()));
    }
}
