package dev.sparkmoe.data.domainbed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The committed digits and RotatedDigits built from them. */
class EmbeddedDomainBedTest {

    @Test
    void digitsAreTheUciTestSet() {
        GrayImages g = EmbeddedDomainBed.digits();
        assertEquals(1797, g.count());
        assertEquals(8, g.rows());
        int[] hist = new int[10];
        for (int l : g.labels()) {
            hist[l]++;
        }
        assertArrayEquals(new int[] {178, 182, 177, 183, 181, 182, 181, 179, 174, 180}, hist);
        // first row of digits.csv: 0,0,5,13,9,1,0,0 -> round(v * 255 / 16)
        assertArrayEquals(new byte[] {0, 0, 80, (byte) 207, (byte) 143, 16, 0, 0}, java.util.Arrays.copyOf(g.pixels(), 8));
    }

    @Test
    void rotatedDigitsIsDomainBedsRotatedConstruction() {
        DomainImages d = EmbeddedDomainBed.rotatedDigits();
        assertEquals("RotatedDigits", d.name());
        assertEquals(List.of("0", "15", "30", "45", "60", "75"), d.domains());
        assertEquals(10, d.classes().size());
        assertArrayEquals(new int[] {300, 300, 300, 299, 299, 299}, d.domainSizes());
        assertEquals(1, d.channels());
        assertEquals(64, d.imageSize());
        GrayImages src = EmbeddedDomainBed.digits();
        int[] perm = MnistEnvironments.permutation(src.count(), dev.sparkmoe.data.DataSeeds.derive(0, 0));
        for (int e = 0; e < 6; e++) {
            for (int j = 0; j < d.size(e); j += 37) {
                int s = perm[e + 6 * j];
                assertEquals(src.labels()[s], d.label(e, j));
                byte[] expected = new byte[64];
                Rotation.rotate(src.pixels(), s * 64, 8, 8, 15 * e, Interpolation.BICUBIC, expected, 0);
                for (int k = 0; k < 64; k++) {
                    assertEquals((expected[k] & 0xFF) / 255f, d.image(e, j)[k], "env " + e + " image " + j);
                }
            }
        }
        float[] block = d.block(2, new int[] {5, 0});
        assertArrayEquals(d.image(2, 0), java.util.Arrays.copyOfRange(block, 64, 128));
        assertArrayEquals(new int[] {d.label(2, 5), d.label(2, 0)}, d.labels(2, new int[] {5, 0}));
    }

    @Test
    void seededAndUpscalable() {
        ConstructedDataset a = EmbeddedDomainBed.rotatedDigits(8, 3);
        ConstructedDataset b = EmbeddedDomainBed.rotatedDigits(8, 3);
        ConstructedDataset c = EmbeddedDomainBed.rotatedDigits(8, 4);
        assertArrayEquals(a.pixels(4), b.pixels(4));
        assertArrayEquals(a.labels(4), b.labels(4));
        assertFalse(java.util.Arrays.equals(a.labels(4), c.labels(4)));
        ConstructedDataset big = EmbeddedDomainBed.rotatedDigits(16, 3);
        assertEquals(16, big.height());
        assertArrayEquals(a.labels(1), big.labels(1));
        assertEquals(300 * 256, big.pixels(0).length);
    }

    @Test
    void malformedCsvNamesLineAndValue() {
        String csv = "0,".repeat(64) + "3\n" + "0,".repeat(63) + "17,3\n";
        IOException e = assertThrows(IOException.class, () -> DigitsCsv.read(
                new ByteArrayInputStream(csv.getBytes(StandardCharsets.US_ASCII)), "d.csv"));
        assertTrue(e.getMessage().startsWith("d.csv:2: pixel 63 '17'; expected an integer 0..16"), e.getMessage());
        IOException f = assertThrows(IOException.class, () -> DigitsCsv.read(
                new ByteArrayInputStream("1,2,3\n".getBytes(StandardCharsets.US_ASCII)), "d.csv"));
        assertTrue(f.getMessage().contains("d.csv:1: 3 fields; expected 65"), f.getMessage());
    }
}
