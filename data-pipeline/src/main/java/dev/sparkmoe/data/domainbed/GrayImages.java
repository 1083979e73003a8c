package dev.sparkmoe.data.domainbed;

import java.util.Arrays;

/**
 * Labelled 8-bit single-channel images, the raw material of the constructed datasets: MNIST
 * or Fashion-MNIST read from IDX files ({@link IdxReader}) or the UCI digits ({@link DigitsCsv}).
 * {@code pixels} holds {@code count·rows·cols} unsigned bytes, image after image, row-major;
 * {@code labels[i]} is image {@code i}'s class in {@code [0, 10)}. Arrays are shared, not copied.
 */
public record GrayImages(int count, int rows, int cols, byte[] pixels, int[] labels) {

    /** @throws IllegalArgumentException naming the sizes when the arrays do not match them */
    public GrayImages {
        if (count < 0 || rows <= 0 || cols <= 0) {
            throw new IllegalArgumentException("image count " + count + ", size " + rows + "x" + cols
                    + "; expected count >= 0 and positive sizes");
        }
        if (pixels.length != (long) count * rows * cols) {
            throw new IllegalArgumentException("pixels has " + pixels.length + " bytes; expected count·rows·cols = "
                    + count + "·" + rows + "·" + cols);
        }
        if (labels.length != count) {
            throw new IllegalArgumentException(labels.length + " labels for " + count + " images; expected one each");
        }
    }

    /** Pixels per image, {@code rows·cols}. */
    public int imageSize() {
        return rows * cols;
    }

    /** The images {@code [from, from + n)} with their own copies of the arrays. */
    public GrayImages slice(int from, int n) {
        int size = imageSize();
        return new GrayImages(n, rows, cols, Arrays.copyOfRange(pixels, from * size, (from + n) * size),
                Arrays.copyOfRange(labels, from, from + n));
    }

    /** These images followed by {@code other}'s (same size), as DomainBed concatenates MNIST's train and test sets. */
    public GrayImages concat(GrayImages other) {
        if (other.rows != rows || other.cols != cols) {
            throw new IllegalArgumentException("cannot concatenate " + rows + "x" + cols + " images with "
                    + other.rows + "x" + other.cols + " images; expected equal sizes");
        }
        byte[] p = Arrays.copyOf(pixels, pixels.length + other.pixels.length);
        System.arraycopy(other.pixels, 0, p, pixels.length, other.pixels.length);
        int[] l = Arrays.copyOf(labels, count + other.count);
        System.arraycopy(other.labels, 0, l, count, other.count);
        return new GrayImages(count + other.count, rows, cols, p, l);
    }

    /**
     * Every image resized to {@code size×size} with {@link ImageResize#bilinear} (half-pixel
     * centres, edges repeated), rounded to the nearest byte; used to upscale the 8×8 digits.
     */
    public GrayImages resized(int size) {
        if (size == rows && size == cols) {
            return this;
        }
        ImageResize resize = new ImageResize(rows, cols, size, size);
        float[] in = new float[imageSize()];
        float[] out = new float[size * size];
        byte[] p = new byte[count * size * size];
        for (int i = 0; i < count; i++) {
            for (int k = 0; k < in.length; k++) {
                in[k] = pixels[i * in.length + k] & 0xFF;
            }
            resize.bilinear(in, 0, out, 0);
            for (int k = 0; k < out.length; k++) {
                p[i * out.length + k] = (byte) Math.min(255, Math.round(out[k]));
            }
        }
        return new GrayImages(count, size, size, p, labels);
    }
}
