package dev.sparkmoe.data.domainbed;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Reads MNIST-style IDX files: {@code idx3-ubyte} images (magic {@code 0x00000803}, then
 * count, rows, cols as big-endian ints, then the pixels) and {@code idx1-ubyte} labels (magic
 * {@code 0x00000801}, count, then one byte per label), raw or gzip-compressed (detected from
 * the content, not the name). Validates the magic numbers, the sizes, the exact file length
 * and that labels are digits {@code 0..9}; every error names the file, the value and what
 * was expected. Files are opened through Hadoop's {@code FileSystem}; reading blocks.
 */
public final class IdxReader {
    /** Magic number of an unsigned-byte 3-D IDX file (images). */
    public static final int IMAGES_MAGIC = 0x00000803;
    /** Magic number of an unsigned-byte 1-D IDX file (labels). */
    public static final int LABELS_MAGIC = 0x00000801;

    private IdxReader() {}

    /**
     * Reads an image file and its label file into one {@link GrayImages}.
     *
     * @throws IOException naming the file and the mismatch (magic, sizes, length, count, label)
     */
    public static GrayImages read(Path images, Path labels, Configuration conf) throws IOException {
        GrayImages img = readImages(images, conf);
        int[] lab = readLabels(labels, conf);
        if (lab.length != img.count()) {
            throw new IOException(labels + ": " + lab.length + " labels; expected " + img.count()
                    + ", the image count of " + images);
        }
        return new GrayImages(img.count(), img.rows(), img.cols(), img.pixels(), lab);
    }

    /**
     * Reads the MNIST layout of a folder, train set then test set ({@code train-images-idx3-ubyte},
     * {@code train-labels-idx1-ubyte}, {@code t10k-images-idx3-ubyte}, {@code t10k-labels-idx1-ubyte},
     * each optionally {@code .gz}, {@code -idx} or {@code .idx}), concatenated as DomainBed does
     * (70,000 images for MNIST and Fashion-MNIST).
     *
     * @throws FileNotFoundException naming the folder and the file names tried
     */
    public static GrayImages readFolder(Path dir, Configuration conf) throws IOException {
        GrayImages train = read(find(dir, "train-images", "idx3-ubyte", conf), find(dir, "train-labels", "idx1-ubyte", conf), conf);
        GrayImages test = read(find(dir, "t10k-images", "idx3-ubyte", conf), find(dir, "t10k-labels", "idx1-ubyte", conf), conf);
        return train.concat(test);
    }

    static Path find(Path dir, String stem, String kind, Configuration conf) throws IOException {
        FileSystem fs = dir.getFileSystem(conf);
        for (String sep : new String[] {"-", "."}) {
            for (String ext : new String[] {"", ".gz"}) {
                Path p = new Path(dir, stem + sep + kind + ext);
                if (fs.isFile(p)) {
                    return p;
                }
            }
        }
        throw new FileNotFoundException(dir + ": no " + stem + "-" + kind + " file; expected " + stem + "-" + kind
                + " or " + stem + "." + kind + ", optionally .gz (the MNIST IDX layout)");
    }

    /** Reads an {@code idx3-ubyte} file; labels of the result are all 0 (see {@link #read}). */
    public static GrayImages readImages(Path file, Configuration conf) throws IOException {
        try (DataInputStream in = open(file, conf)) {
            checkMagic(file, in.readInt(), IMAGES_MAGIC, "idx3-ubyte images");
            int count = dim(file, in.readInt(), "image count", 0);
            int rows = dim(file, in.readInt(), "rows", 1);
            int cols = dim(file, in.readInt(), "cols", 1);
            long size = (long) count * rows * cols;
            if (size > Integer.MAX_VALUE - 8) {
                throw new IOException(file + ": " + count + " images of " + rows + "x" + cols + " = " + size
                        + " bytes; expected at most " + (Integer.MAX_VALUE - 8) + " (one Java array)");
            }
            byte[] pixels = new byte[(int) size];
            readFully(file, in, pixels, "pixel bytes (" + count + " images of " + rows + "x" + cols + ")");
            expectEnd(file, in);
            return new GrayImages(count, rows, cols, pixels, new int[count]);
        } catch (EOFException e) {
            throw truncated(file, e);
        }
    }

    /** Reads an {@code idx1-ubyte} label file; every label must be in {@code 0..9}. */
    public static int[] readLabels(Path file, Configuration conf) throws IOException {
        try (DataInputStream in = open(file, conf)) {
            checkMagic(file, in.readInt(), LABELS_MAGIC, "idx1-ubyte labels");
            int count = dim(file, in.readInt(), "label count", 0);
            byte[] raw = new byte[count];
            readFully(file, in, raw, "label bytes");
            expectEnd(file, in);
            int[] labels = new int[count];
            for (int i = 0; i < count; i++) {
                labels[i] = raw[i] & 0xFF;
                if (labels[i] > 9) {
                    throw new IOException(file + ": label " + i + " is " + labels[i] + "; expected a digit class 0..9");
                }
            }
            return labels;
        } catch (EOFException e) {
            throw truncated(file, e);
        }
    }

    private static DataInputStream open(Path file, Configuration conf) throws IOException {
        FileSystem fs = file.getFileSystem(conf);
        if (!fs.isFile(file)) {
            throw new FileNotFoundException(file + ": no such file; expected an IDX file");
        }
        BufferedInputStream in = new BufferedInputStream(fs.open(file), 1 << 16);
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        InputStream s = (b0 == 0x1f && b1 == 0x8b) ? new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16) : in;
        return new DataInputStream(s);
    }

    private static void checkMagic(Path file, int magic, int expected, String what) throws IOException {
        if (magic != expected) {
            throw new IOException(String.format("%s: magic number 0x%08X; expected 0x%08X (%s)%s", file, magic, expected, what,
                    magic == IMAGES_MAGIC || magic == LABELS_MAGIC ? " — images and labels swapped?" : ""));
        }
    }

    private static int dim(Path file, int value, String name, int min) throws IOException {
        if (value < min) {
            throw new IOException(file + ": " + name + " " + value + " in the header; expected >= " + min);
        }
        return value;
    }

    private static void readFully(Path file, InputStream in, byte[] buf, String what) throws IOException {
        int n = in.readNBytes(buf, 0, buf.length);
        if (n < buf.length) {
            throw new IOException(file + ": truncated: " + n + " " + what + " after the header; expected " + buf.length);
        }
    }

    private static void expectEnd(Path file, InputStream in) throws IOException {
        if (in.read() < 0) {
            return;
        }
        long extra = 1;
        byte[] buf = new byte[8192];
        for (int n; (n = in.read(buf)) > 0; ) {
            extra += n;
        }
        throw new IOException(file + ": " + extra + " bytes after the data the header declares;"
                + " expected the file to end there");
    }

    private static IOException truncated(Path file, EOFException e) {
        return new IOException(file + ": truncated header; expected a 4-byte magic number and big-endian sizes", e);
    }
}
