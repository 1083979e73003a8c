package dev.sparkmoe.data.domainbed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparkmoe.data.BadRecordException;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Folder datasets from tiny images written here with ImageIO. */
class DomainBedFolderTest {
    private static final Configuration CONF = new Configuration();

    @TempDir
    java.nio.file.Path tmp;

    static byte[] image(String format, int w, int h, int rgb) throws IOException {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, rgb == -1 ? (x * 37 + y * 91) * 0x010101 & 0xFFFFFF : rgb);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertTrue(ImageIO.write(img, format, out));
        return out.toByteArray();
    }

    private void put(String rel, byte[] bytes) throws IOException {
        java.nio.file.Path p = tmp.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.write(p, bytes);
    }

    /** office_home/{Art,Clipart}/{cat,dog,zebra}: zebra only in Clipart. */
    private void goodLayout() throws IOException {
        put("office_home/Clipart/dog/b.png", image("png", 4, 4, 0x00FF00));
        put("office_home/Clipart/zebra/z.jpg", image("jpg", 16, 16, -1));
        put("office_home/Art/dog/2.png", image("png", 4, 4, 0xFF0000));
        put("office_home/Art/dog/1.jpg", image("jpg", 8, 6, -1));
        put("office_home/Art/cat/sub/c.PNG", image("png", 3, 5, 0x0000FF));
        put("office_home/Art/.DS_Store", new byte[] {1});
        put("office_home/README.txt", new byte[] {1});
    }

    private Path root() {
        return new Path(tmp.toUri());
    }

    @Test
    void domainsSortedClassesUnionLabelsConsistent() throws IOException {
        goodLayout();
        DomainBedFolder f = DomainBedFolder.open(root(), "OfficeHome", CONF, true);
        assertEquals("OfficeHome", f.name());
        assertEquals(List.of("Art", "Clipart"), f.domains());
        assertEquals(List.of("cat", "dog", "zebra"), f.classes());
        assertArrayEquals(new int[] {3, 2}, f.domainSizes());
        assertTrue(f.file(0, 0).endsWith("Art/cat/sub/c.PNG"));
        assertTrue(f.file(0, 1).endsWith("Art/dog/1.jpg"));
        assertEquals(1, f.label(0, 2));
        assertEquals(1, f.label(1, 0));
        assertEquals(2, f.label(1, 1));
        assertEquals(0, f.skips().total());

        DomainImages d = f.load(ImageOptions.DEFAULT.withSize(2, 2), CONF, true);
        assertEquals(12, d.imageSize());
        float[] red = d.image(0, 2);
        float[] expected = {(1 - 0.485f) / 0.229f, (0 - 0.456f) / 0.224f, (0 - 0.406f) / 0.225f};
        for (int c = 0; c < 3; c++) {
            for (int k = 0; k < 4; k++) {
                assertEquals(expected[c], red[c * 4 + k], 1e-6, "channel " + c);
            }
        }
        assertEquals(0, d.skips().total());
    }

    @Test
    void greyAndTwoChannelOptions() throws IOException {
        put("PACS/a/x/1.png", image("png", 4, 4, 0x336699));
        DomainImages grey = DomainBedFolder.open(root(), "pacs", CONF, true).load(ImageOptions.raw(4, 4, 1), CONF, true);
        float luma = ((0x33 * 19595 + 0x66 * 38470 + 0x99 * 7471 + 0x8000) >> 16) / 255f;
        assertEquals(luma, grey.image(0, 0)[5], 1e-7);
        DomainImages rg = DomainBedFolder.open(root(), "PACS", CONF, true).load(ImageOptions.raw(2, 2, 2), CONF, true);
        assertEquals(0x33 / 255f, rg.image(0, 0)[0], 1e-7);
        assertEquals(0x66 / 255f, rg.image(0, 0)[4], 1e-7);
    }

    @Test
    void badInputIsCountedLenientlyAndFailsStrictly() throws IOException {
        goodLayout();
        byte[] jpeg = image("jpg", 64, 64, -1);
        put("office_home/Art/dog/3-truncated.jpg", Arrays.copyOf(jpeg, jpeg.length / 2));
        put("office_home/Art/dog/4-text.png", "not an image".getBytes());
        put("office_home/Art/dog/notes.txt", "x".getBytes());
        put("office_home/Clipart/stray.jpg", image("jpg", 4, 4, 0));
        Files.createDirectories(tmp.resolve("office_home/Clipart/empty"));

        DomainBedFolder f = DomainBedFolder.open(root(), "office_home", CONF, false);
        assertEquals(1, f.skips().count("non-image"));
        assertEquals(1, f.skips().count("stray-file"));
        assertEquals(1, f.skips().count("empty-class"));
        assertTrue(f.skips().firstPlace("empty-class").contains("Clipart/empty"));
        DomainImages d = f.load(ImageOptions.raw(4, 4, 3), CONF, false);
        assertEquals(2, d.skips().count("bad-image"));
        assertEquals(5, d.skips().total());
        assertArrayEquals(new int[] {3, 2}, d.domainSizes());
        assertTrue(d.skips().firstPlace("bad-image").contains("3-truncated.jpg"), d.skips().toString());

        BadRecordException strictIndex = assertThrows(BadRecordException.class,
                () -> DomainBedFolder.open(root(), "OfficeHome", CONF, true));
        assertTrue(strictIndex.getMessage().contains("notes.txt"), strictIndex.getMessage());
        BadRecordException strictLoad = assertThrows(BadRecordException.class,
                () -> f.load(ImageOptions.raw(4, 4, 3), CONF, true));
        assertTrue(strictLoad.getMessage().contains("3-truncated.jpg") && strictLoad.getMessage().contains("bad-image"),
                strictLoad.getMessage());
        ImageBlock block = f.decodeBlock(0, new int[] {4, 0, 2}, new ImageDecoder(ImageOptions.raw(4, 4, 3)), CONF, false);
        assertArrayEquals(new int[] {0, 2}, block.indices(), "the text file (index 4) is left out");
        assertArrayEquals(new int[] {0, 1}, block.labels());
        assertEquals(2 * 48, block.pixels().length);
        assertEquals(1, block.skips().count("bad-image"));
        ImageDecoder.BadImageException text = assertThrows(ImageDecoder.BadImageException.class,
                () -> f.decode(0, 4, new ImageDecoder(ImageOptions.DEFAULT), CONF));
        assertTrue(text.getMessage().contains("4-text.png") && text.getMessage().contains("not an image"), text.getMessage());
    }

    @Test
    void missingRootDatasetAndUnknownNamesFailAtOnce() throws IOException {
        Path missing = new Path(tmp.resolve("nope").toUri());
        FileNotFoundException r = assertThrows(FileNotFoundException.class,
                () -> DomainBedFolder.open(missing, "PACS", CONF, false));
        assertTrue(r.getMessage().contains("nope") && r.getMessage().contains("data root"), r.getMessage());
        FileNotFoundException ds = assertThrows(FileNotFoundException.class,
                () -> DomainBedFolder.open(root(), "TerraIncognita", CONF, false));
        assertTrue(ds.getMessage().contains("terra_incognita") && ds.getMessage().contains("TerraIncognita"), ds.getMessage());
        IllegalArgumentException u = assertThrows(IllegalArgumentException.class,
                () -> DomainBedFolder.open(root(), "MNIST-M", CONF, false));
        assertTrue(u.getMessage().contains("'MNIST-M'") && u.getMessage().contains("DomainNet"), u.getMessage());
        Files.createDirectories(tmp.resolve("VLCS"));
        assertThrows(FileNotFoundException.class, () -> DomainBedFolder.open(root(), "VLCS", CONF, false));
        assertEquals(DomainBedDataset.DOMAIN_NET, DomainBedDataset.forName("domain_net"));
        assertEquals(List.of("domain_net", "DomainNet"), DomainBedDataset.DOMAIN_NET.folders());
    }

    @Test
    void resizeIsHalfPixelBilinear() {
        ImageResize up = new ImageResize(1, 2, 1, 4);
        float[] out = new float[4];
        up.bilinear(new float[] {0f, 1f}, 0, out, 0);
        assertArrayEquals(new float[] {0f, 0.25f, 0.75f, 1f}, out, 1e-6f);
        ImageResize down = new ImageResize(2, 2, 1, 1);
        float[] one = new float[1];
        down.bilinear(new float[] {0f, 1f, 2f, 3f}, 0, one, 0);
        assertEquals(1.5f, one[0], 1e-6f);
    }
}
