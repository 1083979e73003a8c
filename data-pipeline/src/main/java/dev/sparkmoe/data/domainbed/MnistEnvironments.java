package dev.sparkmoe.data.domainbed;

import dev.sparkmoe.data.DataSeeds;
import java.util.List;
import java.util.SplittableRandom;

/**
 * DomainBed's constructed datasets ({@code domainbed/datasets.py}, {@code MultipleEnvironmentMNIST}
 * and its subclasses), built from labelled 8-bit images:
 * <ol>
 *   <li>the images (DomainBed: MNIST train then test, 70,000) are shuffled with one seeded
 *       permutation, and environment {@code i} of {@code n} takes the shuffled images
 *       {@code i, i + n, i + 2n, ...} ({@code original_images[i::len(environments)]});</li>
 *   <li><b>RotatedMNIST</b>: environments {@code 0, 15, 30, 45, 60, 75}; environment {@code i}'s
 *       images are rotated counter-clockwise by its angle about the centre with Pillow's bicubic
 *       filter, fill 0 ({@link Rotation}, bit-exact with Pillow); 1×H×W, labels the digits;</li>
 *   <li><b>ColoredMNIST</b>: environments {@code +90%, +80%, -90%} with colour-flip
 *       probabilities {@code 0.1, 0.2, 0.9}; label {@code y = digit < 5 ? 1 : 0}, flipped with
 *       probability 0.25; colour {@code c = y}, flipped with the environment's probability; the
 *       image becomes 2×H×W with the digit in channel {@code c} and zeros in the other. At
 *       28×28: DomainBed's current source keeps the 2× subsampling to 14×14 commented out.</li>
 * </ol>
 * Randomness: DomainBed draws from torch's global generator; here every draw comes from a
 * {@link SplittableRandom} seeded by {@link DataSeeds#derive}: the permutation from
 * {@code (seed, 0)}, environment {@code e}'s label flips from {@code (seed, 1, e)} and its colour
 * flips from {@code (seed, 2, e)} (each a uniform {@code nextDouble() < p}, in image order). The
 * construction is identical; the particular random draws differ from torch's. Deterministic.
 */
public final class MnistEnvironments {
    /** DomainBed's RotatedMNIST angles in degrees. */
    public static final double[] ROTATIONS = {0, 15, 30, 45, 60, 75};
    /** DomainBed's ColoredMNIST colour-flip probabilities. */
    public static final double[] COLOR_FLIPS = {0.1, 0.2, 0.9};
    /** DomainBed's ColoredMNIST environment names. */
    public static final List<String> COLORED_NAMES = List.of("+90%", "+80%", "-90%");
    /** ColoredMNIST's label-noise probability. */
    public static final double LABEL_NOISE = 0.25;

    private static final List<String> DIGITS = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");

    private MnistEnvironments() {}

    /** RotatedMNIST with DomainBed's angles and bicubic filter. */
    public static ConstructedDataset rotated(String name, GrayImages src, long seed) {
        return rotated(name, src, ROTATIONS, Interpolation.BICUBIC, seed);
    }

    /**
     * The rotated construction with any angles (one environment each, named by the angle).
     *
     * @throws IllegalArgumentException if there are fewer images than environments or no angles
     */
    public static ConstructedDataset rotated(String name, GrayImages src, double[] angles, Interpolation filter, long seed) {
        int[][] envs = split(src, angles.length, seed);
        int size = src.imageSize();
        byte[][] pixels = new byte[angles.length][];
        int[][] labels = new int[angles.length][];
        String[] names = new String[angles.length];
        for (int e = 0; e < angles.length; e++) {
            int[] idx = envs[e];
            pixels[e] = new byte[idx.length * size];
            labels[e] = new int[idx.length];
            for (int j = 0; j < idx.length; j++) {
                Rotation.rotate(src.pixels(), idx[j] * size, src.rows(), src.cols(), angles[e], filter, pixels[e], j * size);
                labels[e][j] = src.labels()[idx[j]];
            }
            names[e] = angleName(angles[e]);
        }
        return new ConstructedDataset(name, List.of(names), DIGITS, 1, src.rows(), src.cols(), pixels, labels);
    }

    /** ColoredMNIST with DomainBed's environments. */
    public static ConstructedDataset colored(String name, GrayImages src, long seed) {
        int n = COLOR_FLIPS.length;
        int[][] envs = split(src, n, seed);
        int plane = src.imageSize();
        byte[][] pixels = new byte[n][];
        int[][] labels = new int[n][];
        for (int e = 0; e < n; e++) {
            int[] idx = envs[e];
            SplittableRandom labelRng = new SplittableRandom(DataSeeds.derive(seed, 1, e));
            SplittableRandom colorRng = new SplittableRandom(DataSeeds.derive(seed, 2, e));
            pixels[e] = new byte[idx.length * 2 * plane];
            labels[e] = new int[idx.length];
            for (int j = 0; j < idx.length; j++) {
                int y = src.labels()[idx[j]] < 5 ? 1 : 0;
                y ^= labelRng.nextDouble() < LABEL_NOISE ? 1 : 0;
                labels[e][j] = y;
            }
            for (int j = 0; j < idx.length; j++) {
                int color = labels[e][j] ^ (colorRng.nextDouble() < COLOR_FLIPS[e] ? 1 : 0);
                System.arraycopy(src.pixels(), idx[j] * plane, pixels[e], (2 * j + color) * plane, plane);
            }
        }
        return new ConstructedDataset(name, COLORED_NAMES, List.of("0", "1"), 2, src.rows(), src.cols(), pixels, labels);
    }

    /**
     * The seeded shuffle and {@code [i::n]} split: environment {@code i} gets the source indices
     * at shuffled positions {@code i, i + n, ...}.
     */
    static int[][] split(GrayImages src, int n, long seed) {
        if (n < 1 || src.count() < n) {
            throw new IllegalArgumentException(src.count() + " images for " + n + " environments; expected at least one each");
        }
        int[] perm = permutation(src.count(), DataSeeds.derive(seed, 0));
        int[][] envs = new int[n][];
        for (int e = 0; e < n; e++) {
            envs[e] = new int[(src.count() - e + n - 1) / n];
            for (int j = 0; j < envs[e].length; j++) {
                envs[e][j] = perm[e + j * n];
            }
        }
        return envs;
    }

    /** A uniformly random permutation of {@code 0..n-1} (Fisher–Yates) from {@code seed}. */
    static int[] permutation(int n, long seed) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    private static String angleName(double a) {
        return a == Math.rint(a) ? Long.toString((long) a) : Double.toString(a);
    }
}
