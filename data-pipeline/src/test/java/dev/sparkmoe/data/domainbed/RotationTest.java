package dev.sparkmoe.data.domainbed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** {@link Rotation} against Pillow 9.4.0's own output ({@code pil-rotate-golden.txt}). */
class RotationTest {

    @Test
    void matchesPillowBitForBit() throws IOException {
        int checked = 0;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                getClass().getResourceAsStream("pil-rotate-golden.txt"), StandardCharsets.US_ASCII))) {
            byte[] src = null;
            int h = 0;
            int w = 0;
            for (String line; (line = r.readLine()) != null; ) {
                String[] f = line.split(" ");
                if (f[0].equals("src")) {
                    h = Integer.parseInt(f[1]);
                    w = Integer.parseInt(f[2]);
                    src = HexFormat.of().parseHex(f[3]);
                } else if (f[0].equals("rot")) {
                    byte[] expected = HexFormat.of().parseHex(f[3]);
                    byte[] actual = new byte[h * w];
                    Rotation.rotate(src, 0, h, w, Double.parseDouble(f[2]), Interpolation.valueOf(f[1]), actual, 0);
                    assertArrayEquals(expected, actual, line.substring(0, 20) + " " + h + "x" + w);
                    checked++;
                }
            }
        }
        assertEquals(8 * 2 * 8, checked);
    }

    @Test
    void zeroDegreesIsACopyAndOffsetsAreHonoured() {
        byte[] src = {9, 1, 2, 3, 4};
        byte[] dst = new byte[6];
        Rotation.rotate(src, 1, 2, 2, 360, Interpolation.BICUBIC, dst, 2);
        assertArrayEquals(new byte[] {0, 0, 1, 2, 3, 4}, dst);
        Rotation.rotate(src, 1, 2, 2, 180, Interpolation.BILINEAR, dst, 2);
        assertArrayEquals(new byte[] {0, 0, 4, 3, 2, 1}, dst);
        assertTrue(Rotation.matrix(90, 1, 1)[0] == 0.0, "cos 90 rounded to 0 as Pillow does");
    }
}
