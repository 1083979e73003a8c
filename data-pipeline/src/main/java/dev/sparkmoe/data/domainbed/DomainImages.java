package dev.sparkmoe.data.domainbed;

import dev.sparkmoe.data.SkipReport;
import java.io.Serializable;
import java.util.List;

/**
 * A DomainBed dataset decoded into memory: per domain, its images as {@code float[C·H·W]}
 * (channel-major, rows then columns; one array per image so that a domain may exceed 2³¹
 * floats) and its labels as an {@code int[]}. The domain id of an image is the index of its
 * domain in {@link #domains()}; labels index {@link #classes()}. Immutable by contract: the
 * arrays are shared, callers must not modify them. Serializable, so it can be broadcast or
 * parallelised by Spark; for large datasets prefer decoding on executors from a
 * {@link DomainBedFolder} index.
 */
public final class DomainImages implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String name;
    private final List<String> domains;
    private final List<String> classes;
    private final int channels;
    private final int height;
    private final int width;
    private final float[][][] images;
    private final int[][] labels;
    private final SkipReport skips;

    /**
     * @param images per domain, per image, {@code C·H·W} floats
     * @param labels per domain, per image, a class index in {@code [0, classes.size())}
     * @param skips  what was skipped while building it
     * @throws IllegalArgumentException naming the domain, image and the mismatching size or label
     */
    public DomainImages(String name, List<String> domains, List<String> classes, int channels, int height, int width,
                        float[][][] images, int[][] labels, SkipReport skips) {
        if (images.length != domains.size() || labels.length != domains.size()) {
            throw new IllegalArgumentException(name + ": " + images.length + " image lists and " + labels.length
                    + " label lists; expected one per domain (" + domains.size() + ")");
        }
        int size = channels * height * width;
        for (int d = 0; d < images.length; d++) {
            if (images[d].length != labels[d].length) {
                throw new IllegalArgumentException(name + "/" + domains.get(d) + ": " + images[d].length + " images and "
                        + labels[d].length + " labels; expected equal counts");
            }
            for (int i = 0; i < images[d].length; i++) {
                if (images[d][i].length != size) {
                    throw new IllegalArgumentException(name + "/" + domains.get(d) + " image " + i + ": "
                            + images[d][i].length + " floats; expected C·H·W = " + channels + "·" + height + "·" + width);
                }
                if (labels[d][i] < 0 || labels[d][i] >= classes.size()) {
                    throw new IllegalArgumentException(name + "/" + domains.get(d) + " image " + i + ": label "
                            + labels[d][i] + "; expected 0.." + (classes.size() - 1));
                }
            }
        }
        this.name = name;
        this.domains = List.copyOf(domains);
        this.classes = List.copyOf(classes);
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.images = images;
        this.labels = labels;
        this.skips = skips;
    }

    /** The dataset name, e.g. {@code PACS} or {@code RotatedDigits}. */
    public String name() {
        return name;
    }

    /** Domain (environment) names; a domain id is an index into this list. */
    public List<String> domains() {
        return domains;
    }

    /** Class names; a label is an index into this list. */
    public List<String> classes() {
        return classes;
    }

    /** Channels C of every image. */
    public int channels() {
        return channels;
    }

    /** Height H of every image. */
    public int height() {
        return height;
    }

    /** Width W of every image. */
    public int width() {
        return width;
    }

    /** Floats per image, {@code C·H·W}. */
    public int imageSize() {
        return channels * height * width;
    }

    /** Images per domain, in domain order. */
    public int[] domainSizes() {
        int[] s = new int[images.length];
        for (int d = 0; d < s.length; d++) {
            s[d] = images[d].length;
        }
        return s;
    }

    /** Images in domain {@code d}. */
    public int size(int d) {
        return images[d].length;
    }

    /** The label of image {@code i} of domain {@code d}. */
    public int label(int d, int i) {
        return labels[d][i];
    }

    /** Image {@code i} of domain {@code d}, {@code float[C·H·W]}; shared, do not modify. */
    public float[] image(int d, int i) {
        return images[d][i];
    }

    /** What was skipped while building the dataset. */
    public SkipReport skips() {
        return skips;
    }

    /**
     * Copies the images {@code indices} of domain {@code d} into one block.
     *
     * @return {@code float[B·C·H·W]}, B = {@code indices.length}, image {@code b} at {@code b·C·H·W}
     */
    public float[] block(int d, int[] indices) {
        int size = imageSize();
        float[] out = new float[Math.multiplyExact(indices.length, size)];
        for (int b = 0; b < indices.length; b++) {
            System.arraycopy(images[d][indices[b]], 0, out, b * size, size);
        }
        return out;
    }

    /** The labels of the images {@code indices} of domain {@code d}, {@code int[B]}. */
    public int[] labels(int d, int[] indices) {
        int[] out = new int[indices.length];
        for (int b = 0; b < indices.length; b++) {
            out[b] = labels[d][indices[b]];
        }
        return out;
    }

    @Override
    public String toString() {
        return name + " " + domains + " × " + classes.size() + " classes, " + channels + "x" + height + "x" + width
                + ", sizes " + java.util.Arrays.toString(domainSizes()) + ", " + skips;
    }
}
