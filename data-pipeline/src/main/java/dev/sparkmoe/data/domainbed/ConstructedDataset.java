package dev.sparkmoe.data.domainbed;

import dev.sparkmoe.data.SkipReport;
import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.util.List;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A constructed DomainBed dataset (RotatedMNIST, ColoredMNIST, RotatedDigits) in its compact
 * 8-bit form, as built by {@link MnistEnvironments}: per environment, one {@code byte[]} of
 * {@code N·C·H·W} unsigned pixels and an {@code int[N]} of labels. {@link #toImages()} gives
 * the float form DomainBed trains on ({@code pixel / 255}, no mean/std normalisation, as
 * DomainBed's MNIST datasets); {@link #writeFolder} writes the DomainBed folder layout as PNG
 * files. Arrays are shared, not copied.
 */
public final class ConstructedDataset {
    private final String name;
    private final List<String> domains;
    private final List<String> classes;
    private final int channels;
    private final int height;
    private final int width;
    private final byte[][] pixels;
    private final int[][] labels;

    /**
     * @param pixels per domain, {@code N·C·H·W} unsigned bytes
     * @param labels per domain, {@code N} class indices
     */
    public ConstructedDataset(String name, List<String> domains, List<String> classes, int channels, int height,
                              int width, byte[][] pixels, int[][] labels) {
        if (channels < 1 || channels > 3) {
            throw new IllegalArgumentException(name + ": " + channels + " channels; expected 1, 2 or 3");
        }
        for (int d = 0; d < domains.size(); d++) {
            if (pixels[d].length != (long) labels[d].length * channels * height * width) {
                throw new IllegalArgumentException(name + "/" + domains.get(d) + ": " + pixels[d].length + " bytes for "
                        + labels[d].length + " images; expected N·C·H·W");
            }
        }
        this.name = name;
        this.domains = List.copyOf(domains);
        this.classes = List.copyOf(classes);
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.pixels = pixels;
        this.labels = labels;
    }

    /** The dataset name, also the folder name {@link #writeFolder} uses. */
    public String name() {
        return name;
    }

    /** Environment names in construction order (e.g. {@code 0, 15, ..., 75}). */
    public List<String> domains() {
        return domains;
    }

    /** Class names; labels index them. */
    public List<String> classes() {
        return classes;
    }

    /** Channels C per image (1, or 2 for ColoredMNIST). */
    public int channels() {
        return channels;
    }

    /** Image height H. */
    public int height() {
        return height;
    }

    /** Image width W. */
    public int width() {
        return width;
    }

    /** Environment {@code d}'s pixels, {@code N·C·H·W} unsigned bytes; shared. */
    public byte[] pixels(int d) {
        return pixels[d];
    }

    /** Environment {@code d}'s labels; shared. */
    public int[] labels(int d) {
        return labels[d];
    }

    /** The float form: every pixel {@code v} becomes {@code v / 255f}, as torchvision's {@code ToTensor}. */
    public DomainImages toImages() {
        int size = channels * height * width;
        float[][][] images = new float[domains.size()][][];
        for (int d = 0; d < images.length; d++) {
            images[d] = new float[labels[d].length][size];
            for (int i = 0; i < images[d].length; i++) {
                float[] img = images[d][i];
                for (int k = 0; k < size; k++) {
                    img[k] = (pixels[d][i * size + k] & 0xFF) / 255f;
                }
            }
        }
        return new DomainImages(name, domains, classes, channels, height, width, images, labels, SkipReport.EMPTY);
    }

    /**
     * Writes {@code root/<name>/<domain>/<class>/<index>.png} ({@code index} the 6-digit position
     * in its environment; only classes present in an environment get a folder there): 1-channel
     * images as 8-bit grey PNGs, 2-channel images as RGB PNGs with the channels in red and green
     * and blue 0. Reading the folder back with
     * {@link DomainBedFolder} and {@link ImageOptions#raw} of the same size and channels gives
     * {@link #toImages()}'s floats exactly (domains in sorted folder-name order). Blocks; existing
     * files are overwritten.
     *
     * @return the dataset folder {@code root/<name>}
     */
    public Path writeFolder(Path root, Configuration conf) throws IOException {
        Path dir = new Path(root, name);
        FileSystem fs = dir.getFileSystem(conf);
        int size = channels * height * width;
        BufferedImage img = new BufferedImage(width, height, channels == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_3BYTE_BGR);
        int[] samples = new int[height * width];
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("png");
        if (!writers.hasNext()) {
            throw new IOException(dir + ": no PNG writer in this JVM; expected javax.imageio's");
        }
        ImageWriter writer = writers.next();
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        for (int d = 0; d < domains.size(); d++) {
            boolean[] present = new boolean[classes.size()];
            for (int label : labels[d]) {
                present[label] = true;
            }
            for (int c = 0; c < present.length; c++) {
                if (present[c]) { // an empty class folder would be a reader's "empty-class" skip
                    mkdirs(fs, new Path(new Path(dir, domains.get(d)), classes.get(c)));
                }
            }
            for (int i = 0; i < labels[d].length; i++) {
                fill(img.getRaster(), pixels[d], i * size, samples);
                Path file = new Path(new Path(new Path(dir, domains.get(d)), classes.get(labels[d][i])), String.format("%06d.png", i));
                png.reset();
                try (ImageOutputStream ios = new MemoryCacheImageOutputStream(png)) {
                    writer.setOutput(ios);
                    writer.write(img);
                }
                try (OutputStream out = create(fs, file)) {
                    png.writeTo(out);
                }
            }
        }
        writer.dispose();
        return dir;
    }

    /**
     * Hadoop's local file system runs {@code chmod} in a child process for every file and folder
     * it creates when its native library is missing (about 6 ms each), so local paths are written
     * with java.nio, without {@code .crc} files (which Hadoop does not require).
     */
    private static OutputStream create(FileSystem fs, Path file) throws IOException {
        return fs instanceof LocalFileSystem local
                ? Files.newOutputStream(local.pathToFile(file).toPath())
                : fs.create(file, true);
    }

    private static void mkdirs(FileSystem fs, Path dir) throws IOException {
        if (fs instanceof LocalFileSystem local) {
            Files.createDirectories(local.pathToFile(dir).toPath());
        } else {
            fs.mkdirs(dir);
        }
    }

    private void fill(WritableRaster raster, byte[] src, int off, int[] samples) {
        int plane = height * width;
        for (int band = 0; band < raster.getNumBands(); band++) {
            for (int k = 0; k < plane; k++) {
                samples[k] = band < channels ? src[off + band * plane + k] & 0xFF : 0;
            }
            raster.setSamples(0, 0, width, height, band, samples);
        }
    }
}
