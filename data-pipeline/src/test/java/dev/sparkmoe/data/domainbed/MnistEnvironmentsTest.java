package dev.sparkmoe.data.domainbed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ColoredMNIST's statistics on synthetic digits, the [i::n] split, and PNG round trips. */
class MnistEnvironmentsTest {
    private static final Configuration CONF = new Configuration();

    @TempDir
    java.nio.file.Path tmp;

    /** n 2×2 images; image i has all pixels (i % 250) + 1 and label i % 10. */
    static GrayImages synthetic(int n) {
        byte[] p = new byte[n * 4];
        int[] l = new int[n];
        for (int i = 0; i < n; i++) {
            Arrays.fill(p, 4 * i, 4 * i + 4, (byte) (i % 250 + 1));
            l[i] = i % 10;
        }
        return new GrayImages(n, 2, 2, p, l);
    }

    /** Whether each example's label/colour agrees with (digit < 5) / the label, per environment. */
    static double[][] rates(ConstructedDataset c, GrayImages src) {
        double[][] r = new double[c.domains().size()][2];
        for (int e = 0; e < r.length; e++) {
            int[] labels = c.labels(e);
            int plane = c.height() * c.width();
            int labelAgree = 0;
            int colorAgree = 0;
            for (int j = 0; j < labels.length; j++) {
                int value = c.pixels(e)[2 * j * plane] & 0xFF; // channel 0's first pixel
                int color = value != 0 ? 0 : 1;
                int other = c.pixels(e)[(2 * j + 1 - color) * plane] & 0xFF;
                int digit = findDigit(src, c.pixels(e)[(2 * j + color) * plane] & 0xFF);
                assertEquals(0, other, "the other channel is zero");
                labelAgree += labels[j] == (digit < 5 ? 1 : 0) ? 1 : 0;
                colorAgree += color == labels[j] ? 1 : 0;
            }
            r[e][0] = labelAgree / (double) labels.length;
            r[e][1] = colorAgree / (double) labels.length;
        }
        return r;
    }

    private static int findDigit(GrayImages src, int value) {
        return (value - 1) % 10; // i % 250 + 1 with 250 a multiple of 10: digit = (value - 1) % 10
    }

    @Test
    void coloredMnistNoiseAndColourRatesMatchDomainBed() {
        GrayImages src = synthetic(60_000);
        ConstructedDataset c = MnistEnvironments.colored("ColoredMNIST", src, 0);
        assertEquals(List.of("+90%", "+80%", "-90%"), c.domains());
        assertEquals(2, c.channels());
        double[][] r = rates(c, src);
        double[] colour = {0.9, 0.8, 0.1};
        for (int e = 0; e < 3; e++) {
            assertEquals(20_000, c.labels(e).length);
            assertEquals(0.75, r[e][0], 0.015, "label noise 0.25 in env " + e);
            assertEquals(colour[e], r[e][1], 0.015, "colour agreement in env " + e);
        }
        DomainImages f = c.toImages();
        assertEquals(2 * 2 * 2, f.imageSize());
    }

    @Test
    void environmentsTakeEveryNthShuffledImage() {
        GrayImages src = synthetic(25);
        int[][] envs = MnistEnvironments.split(src, 6, 9);
        int[] perm = MnistEnvironments.permutation(25, dev.sparkmoe.data.DataSeeds.derive(9, 0));
        assertEquals(5, envs[0].length);
        assertEquals(4, envs[5].length);
        assertEquals(perm[6 + 3], envs[3][1]);
        int[] all = Arrays.stream(envs).flatMapToInt(Arrays::stream).sorted().toArray();
        assertArrayEquals(java.util.stream.IntStream.range(0, 25).toArray(), all);
        assertThrows(IllegalArgumentException.class, () -> MnistEnvironments.split(src, 26, 0));
    }

    @Test
    void rotatedDigitsRoundTripThroughPngFolders() throws IOException {
        ConstructedDataset c = MnistEnvironments.rotated("RotatedDigits", EmbeddedDomainBed.digits().slice(0, 300), 0);
        Path dir = c.writeFolder(new Path(tmp.toUri()), CONF);
        DomainBedFolder f = DomainBedFolder.openDir(dir, "RotatedDigits", CONF, true);
        assertEquals(c.domains(), f.domains());
        assertEquals(c.classes(), f.classes());
        DomainImages read = f.load(ImageOptions.raw(8, 8, 1), CONF, true);
        assertRoundTrip(c, f, read, new int[] {0, 1, 2, 3, 4, 5});
    }

    @Test
    void coloredRoundTripKeepsBothChannels() throws IOException {
        ConstructedDataset c = MnistEnvironments.colored("ColoredDigits", EmbeddedDomainBed.digits().slice(0, 60), 5);
        Path dir = c.writeFolder(new Path(tmp.toUri()), CONF);
        DomainBedFolder f = DomainBedFolder.openDir(dir, "ColoredDigits", CONF, true);
        assertEquals(List.of("+80%", "+90%", "-90%"), f.domains(), "sorted folder names");
        DomainImages read = f.load(ImageOptions.raw(8, 8, 2), CONF, true);
        assertRoundTrip(c, f, read, new int[] {1, 0, 2});
    }

    /** Folder domain d is constructed domain map[d]; file NNNNNN.png is constructed image NNNNNN. */
    private static void assertRoundTrip(ConstructedDataset c, DomainBedFolder f, DomainImages read, int[] map) {
        DomainImages mem = c.toImages();
        for (int d = 0; d < map.length; d++) {
            assertEquals(mem.size(map[d]), read.size(d));
            for (int i = 0; i < read.size(d); i++) {
                String name = new Path(f.file(d, i)).getName();
                int j = Integer.parseInt(name.substring(0, name.indexOf('.')));
                assertArrayEquals(mem.image(map[d], j), read.image(d, i), f.file(d, i));
                assertEquals(mem.label(map[d], j), read.label(d, i));
            }
        }
    }

    @Test
    void conversionsWriteFoldersAndRejectBadArguments() throws IOException {
        java.nio.file.Path idx = Files.createDirectories(tmp.resolve("idx"));
        GrayImages digits = EmbeddedDomainBed.digits().slice(0, 12);
        Files.write(idx.resolve("train-images-idx3-ubyte"), IdxReaderTest.idx(0x803, new int[] {12, 8, 8}, digits.pixels()));
        byte[] labels = new byte[12];
        for (int i = 0; i < 12; i++) {
            labels[i] = (byte) digits.labels()[i];
        }
        Files.write(idx.resolve("train-labels-idx1-ubyte"), IdxReaderTest.idx(0x801, new int[] {12}, labels));
        Files.write(idx.resolve("t10k-images-idx3-ubyte.gz"), IdxReaderTest.gzip(IdxReaderTest.idx(0x803, new int[] {0, 8, 8}, new byte[0])));
        Files.write(idx.resolve("t10k-labels-idx1-ubyte.gz"), IdxReaderTest.gzip(IdxReaderTest.idx(0x801, new int[] {0}, new byte[0])));
        Path idxDir = new Path(idx.toUri());
        Path outRoot = new Path(tmp.resolve("out").toUri());
        Path out = DomainBedConversions.fromMnist(DomainBedConversions.Construction.COLORED, idxDir, outRoot, null, 1, 9, CONF);
        DomainBedFolder f = DomainBedFolder.openDir(out, "ColoredMNIST", CONF, true);
        assertEquals("ColoredMNIST", out.getName());
        assertArrayEquals(new int[] {3, 3, 3}, f.domainSizes());
        Path rot = DomainBedConversions.fromMnist(DomainBedConversions.Construction.ROTATED, idxDir, outRoot, "RotatedTiny", 0,
                Integer.MAX_VALUE, CONF);
        assertEquals(12, Arrays.stream(DomainBedFolder.openDir(rot, "RotatedTiny", CONF, true).domainSizes()).sum());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DomainBedConversions.rotatedDigits(outRoot, 0, 0, CONF))
                .getMessage().contains("size=0; expected a positive integer"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DomainBedConversions.fromMnist(
                DomainBedConversions.Construction.ROTATED, idxDir, outRoot, null, 0, 0, CONF))
                .getMessage().contains("limit=0; expected a positive integer"));
    }
}
