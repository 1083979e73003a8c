package dev.sparkmoe.data.domainbed;

import java.io.Serializable;
import java.util.Arrays;

/**
 * How {@link ImageDecoder} turns an image file into floats: the output size {@code H×W}
 * (bilinear resize, see {@link ImageResize}), the channels {@code C} (3: RGB; 1: grey, Pillow's
 * {@code L = (299·R + 587·G + 114·B) / 1000} for colour files; 2: red and green, the layout
 * ColoredMNIST's PNGs use), and per-channel normalisation {@code (v/255 − mean[c]) / std[c]}.
 * {@link #DEFAULT} is DomainBed's evaluation transform for the folder datasets: 224×224 RGB,
 * ImageNet mean/std. Immutable, validated here; serialisable so it can travel to executors.
 */
public final class ImageOptions implements Serializable {
    private static final long serialVersionUID = 1L;

    /** ImageNet channel means (R, G, B). */
    public static final float[] IMAGENET_MEAN = {0.485f, 0.456f, 0.406f};
    /** ImageNet channel standard deviations (R, G, B). */
    public static final float[] IMAGENET_STD = {0.229f, 0.224f, 0.225f};
    /** 224×224 RGB, ImageNet normalisation (DomainBed's {@code MultipleEnvironmentImageFolder}). */
    public static final ImageOptions DEFAULT = new ImageOptions(224, 224, 3, IMAGENET_MEAN, IMAGENET_STD);

    private final int height;
    private final int width;
    private final int channels;
    private final float[] mean;
    private final float[] std;

    /**
     * @throws IllegalArgumentException naming the value unless sizes are positive, channels is
     *         1..3, mean and std have one entry per channel and every std is positive
     */
    public ImageOptions(int height, int width, int channels, float[] mean, float[] std) {
        if (height <= 0 || width <= 0) {
            throw new IllegalArgumentException("image size " + height + "x" + width + "; expected positive height and width");
        }
        if (channels < 1 || channels > 3) {
            throw new IllegalArgumentException("channels " + channels + "; expected 1 (grey), 2 (red, green) or 3 (RGB)");
        }
        if (mean.length != channels || std.length != channels) {
            throw new IllegalArgumentException("mean " + Arrays.toString(mean) + ", std " + Arrays.toString(std)
                    + "; expected " + channels + " values each (one per channel)");
        }
        for (float s : std) {
            if (!(s > 0f) || Float.isInfinite(s)) {
                throw new IllegalArgumentException("std " + Arrays.toString(std) + "; expected positive finite values");
            }
        }
        this.height = height;
        this.width = width;
        this.channels = channels;
        this.mean = mean.clone();
        this.std = std.clone();
    }

    /** No normalisation (mean 0, std 1): values {@code v/255} in {@code [0, 1]}. */
    public static ImageOptions raw(int height, int width, int channels) {
        float[] zero = new float[channels];
        float[] one = new float[channels];
        Arrays.fill(one, 1f);
        return new ImageOptions(height, width, channels, zero, one);
    }

    /** These options with another output size. */
    public ImageOptions withSize(int newHeight, int newWidth) {
        return new ImageOptions(newHeight, newWidth, channels, mean, std);
    }

    /** Output height H. */
    public int height() {
        return height;
    }

    /** Output width W. */
    public int width() {
        return width;
    }

    /** Output channels C. */
    public int channels() {
        return channels;
    }

    /** Floats per image, {@code C·H·W}. */
    public int imageSize() {
        return channels * height * width;
    }

    /** Per-channel mean (a copy). */
    public float[] mean() {
        return mean.clone();
    }

    /** Per-channel standard deviation (a copy). */
    public float[] std() {
        return std.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ImageOptions x && x.height == height && x.width == width && x.channels == channels
                && Arrays.equals(x.mean, mean) && Arrays.equals(x.std, std);
    }

    @Override
    public int hashCode() {
        return ((height * 31 + width) * 31 + channels) * 31 + Arrays.hashCode(mean) * 17 + Arrays.hashCode(std);
    }

    @Override
    public String toString() {
        return channels + "x" + height + "x" + width + " mean " + Arrays.toString(mean) + " std " + Arrays.toString(std);
    }
}
