package dev.sparkmoe.data.domainbed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.util.zip.GZIPOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {
    private static final Configuration CONF = new Configuration();

    @TempDir
    java.nio.file.Path tmp;

    static byte[] idx(int magic, int[] dims, byte[] data) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(b);
        out.writeInt(magic);
        for (int d : dims) {
            out.writeInt(d);
        }
        out.write(data);
        return b.toByteArray();
    }

    static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(b)) {
            out.write(raw);
        }
        return b.toByteArray();
    }

    private Path write(String name, byte[] bytes) throws IOException {
        java.nio.file.Path p = tmp.resolve(name);
        Files.write(p, bytes);
        return new Path(p.toUri());
    }

    private static final byte[] PIXELS = {0, 1, 2, 3, 4, 5, (byte) 250, (byte) 255, 9, 10, 11, 12};

    @Test
    void readsRawAndGzipFoldersTrainThenTest() throws IOException {
        write("train-images-idx3-ubyte", idx(0x803, new int[] {2, 2, 3}, PIXELS));
        write("train-labels-idx1-ubyte", idx(0x801, new int[] {2}, new byte[] {7, 3}));
        write("t10k-images-idx3-ubyte.gz", gzip(idx(0x803, new int[] {1, 2, 3}, new byte[] {1, 1, 1, 1, 1, 1})));
        write("t10k-labels-idx1-ubyte.gz", gzip(idx(0x801, new int[] {1}, new byte[] {9})));
        GrayImages g = IdxReader.readFolder(new Path(tmp.toUri()), CONF);
        assertEquals(3, g.count());
        assertEquals(2, g.rows());
        assertEquals(3, g.cols());
        assertArrayEquals(new int[] {7, 3, 9}, g.labels());
        assertEquals((byte) 250, g.pixels()[6]);
        assertEquals(1, g.pixels()[17]);
    }

    @Test
    void badMagicNamesFileValueAndExpectation() throws IOException {
        Path p = write("x-images", idx(0x801, new int[] {1}, new byte[] {1}));
        IOException e = assertThrows(IOException.class, () -> IdxReader.readImages(p, CONF));
        assertTrue(e.getMessage().contains("x-images") && e.getMessage().contains("0x00000801")
                && e.getMessage().contains("expected 0x00000803") && e.getMessage().contains("swapped"), e.getMessage());
    }

    @Test
    void truncatedTrailingAndBadLabelsFail() throws IOException {
        Path shortFile = write("short", idx(0x803, new int[] {2, 2, 3}, new byte[5]));
        assertTrue(assertThrows(IOException.class, () -> IdxReader.readImages(shortFile, CONF)).getMessage()
                .contains("truncated: 5 pixel bytes"));
        Path header = write("header", new byte[] {0, 0, 8, 3, 0});
        assertTrue(assertThrows(IOException.class, () -> IdxReader.readImages(header, CONF)).getMessage()
                .contains("truncated header"));
        Path longFile = write("long.gz", gzip(idx(0x801, new int[] {1}, new byte[] {1, 2})));
        assertTrue(assertThrows(IOException.class, () -> IdxReader.readLabels(longFile, CONF)).getMessage()
                .contains("after the data the header declares"));
        Path longRaw = write("long-raw", idx(0x801, new int[] {1}, new byte[] {1, 2, 3}));
        assertTrue(assertThrows(IOException.class, () -> IdxReader.readLabels(longRaw, CONF)).getMessage()
                .contains("long-raw: 2 bytes after the data the header declares"));
        Path badLabel = write("bad-labels", idx(0x801, new int[] {2}, new byte[] {1, 12}));
        assertTrue(assertThrows(IOException.class, () -> IdxReader.readLabels(badLabel, CONF)).getMessage()
                .contains("label 1 is 12; expected a digit class 0..9"));
        Path negative = write("neg", idx(0x803, new int[] {1, -2, 3}, new byte[0]));
        assertTrue(assertThrows(IOException.class, () -> IdxReader.readImages(negative, CONF)).getMessage()
                .contains("rows -2"));
    }

    @Test
    void countMismatchAndMissingFilesAreNamed() throws IOException {
        Path img = write("i", idx(0x803, new int[] {2, 2, 3}, PIXELS));
        Path lab = write("l", idx(0x801, new int[] {3}, new byte[] {1, 2, 3}));
        assertTrue(assertThrows(IOException.class, () -> IdxReader.read(img, lab, CONF)).getMessage()
                .contains("3 labels; expected 2"));
        FileNotFoundException e = assertThrows(FileNotFoundException.class,
                () -> IdxReader.readFolder(new Path(tmp.toUri()), CONF));
        assertTrue(e.getMessage().contains("train-images-idx3-ubyte"), e.getMessage());
    }
}
