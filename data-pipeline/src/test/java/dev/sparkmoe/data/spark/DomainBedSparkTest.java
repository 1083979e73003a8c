package dev.sparkmoe.data.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparkmoe.data.domainbed.DomainBedFolder;
import dev.sparkmoe.data.domainbed.DomainImages;
import dev.sparkmoe.data.domainbed.EmbeddedDomainBed;
import dev.sparkmoe.data.domainbed.ImageOptions;
import dev.sparkmoe.data.domainbed.LodoSplit;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import javax.imageio.ImageIO;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.SerializerInstance;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scala.reflect.ClassTag$;

/** DomainBed splits as feature blocks: in memory (RotatedDigits) and decoded on executors (a tiny PNG folder). */
class DomainBedSparkTest {
    private static final ImageOptions OPTIONS = ImageOptions.raw(3, 3, 3);
    private static JavaSparkContext sc;

    @TempDir
    java.nio.file.Path tmp;

    @BeforeAll
    static void start() {
        sc = new JavaSparkContext(SparkTestSupport.conf("domainbed-spark"));
    }

    @AfterAll
    static void stop() {
        sc.close();
    }

    @Test
    void inMemorySplitPartsAreTheSplitsRowsInDomainOrder() {
        DomainImages data = EmbeddedDomainBed.rotatedDigits();
        LodoSplit split = LodoSplit.of(data.domainSizes(), 2, 0.2, 5);
        for (LodoPart part : LodoPart.values()) {
            FeatureBlockRDD rows = DomainBedSpark.fromMemory(sc, data, split, part, 3);
            Rows got = Rows.of(rows);
            int k = 0;
            for (int d = 0; d < split.numDomains(); d++) {
                for (int i : part.indices(split, d)) {
                    assertEquals(d, got.domains[k], part + " row " + k);
                    assertEquals(data.label(d, i), got.labels[k]);
                    assertArrayEquals(data.image(d, i), got.x(k, rows.width()), part + " row " + k);
                    k++;
                }
            }
            assertEquals(part.size(split), k);
            assertEquals(k, got.labels.length);
            rows.unpersist();
        }
    }

    @Test
    void folderDecodedOnExecutorsEqualsInMemoryPath() throws IOException {
        writeFolder();
        Configuration conf = sc.hadoopConfiguration();
        DomainBedFolder index = DomainBedFolder.openDir(new Path(tmp.resolve("set").toUri()), "tiny", conf, true);
        LodoSplit split = LodoSplit.of(index.domainSizes(), 0, 0.25, 3);
        DomainImages loaded = index.load(OPTIONS, conf, true);
        SerializerInstance kryo = new KryoSerializer(sc.getConf()).newInstance(); // how the index is broadcast
        DomainBedFolder copy = kryo.deserialize(kryo.serialize(index, ClassTag$.MODULE$.apply(Object.class)),
                ClassTag$.MODULE$.apply(Object.class));
        assertArrayEquals(index.domainSizes(), copy.domainSizes());
        assertEquals(index.file(1, 5), copy.file(1, 5));
        assertEquals(index.label(1, 5), copy.label(1, 5));
        for (LodoPart part : List.of(LodoPart.TRAIN, LodoPart.TEST)) {
            FeatureBlockRDD mem = DomainBedSpark.fromMemory(sc, loaded, split, part, 2);
            DomainBedRows dec = DomainBedSpark.decodeFolder(sc, index, split, part, OPTIONS, true, 3);
            assertEquals(0, dec.skips().total());
            Rows a = Rows.of(mem);
            Rows b = Rows.of(dec.rows());
            assertArrayEquals(a.x, b.x, part.toString());
            assertArrayEquals(a.labels, b.labels);
            assertArrayEquals(a.domains, b.domains);
            for (long step = 0; step < 3; step++) { // same sample from 2 and 3 partitions, twice
                assertArrayEquals(batchX(mem, step), batchX(dec.rows(), step), "step " + step);
                assertArrayEquals(batchX(dec.rows(), step), batchX(dec.rows(), step), "step " + step);
            }
            mem.unpersist();
            dec.rows().unpersist();
        }
    }

    @Test
    void badImagesAreCountedOnTheDriverOrFailInStrictMode() throws IOException {
        writeFolder();
        Files.write(tmp.resolve("set/d1/cat/bad.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 1});
        Configuration conf = sc.hadoopConfiguration();
        DomainBedFolder index = DomainBedFolder.openDir(new Path(tmp.resolve("set").toUri()), "tiny", conf, true);
        LodoSplit split = LodoSplit.of(index.domainSizes(), 1, 0.25, 3);
        DomainBedRows dec = DomainBedSpark.decodeFolder(sc, index, split, LodoPart.TEST, OPTIONS, false, 2);
        assertEquals(1, dec.skips().count("bad-image"));
        assertTrue(dec.skips().firstPlace("bad-image").contains("bad.png"), dec.skips().toString());
        assertEquals(index.domainSizes()[1] - 1, dec.rows().layout().items());
        dec.rows().unpersist();
        Exception e = assertThrows(Exception.class,
                () -> DomainBedSpark.decodeFolder(sc, index, split, LodoPart.TEST, OPTIONS, true, 2));
        assertTrue(String.valueOf(e.getMessage()).contains("bad.png"), e.toString());
    }

    /** {@code set/{d0,d1}/{cat,dog}/i.png}: 3 images per class, distinct pixels, some not 3×3. */
    private void writeFolder() throws IOException {
        int seed = 1;
        for (String d : List.of("d0", "d1")) {
            for (String c : List.of("cat", "dog")) {
                for (int i = 0; i < 3; i++) {
                    java.nio.file.Path p = tmp.resolve("set/" + d + "/" + c + "/" + i + ".png");
                    Files.createDirectories(p.getParent());
                    Files.write(p, png(3 + i, 4, seed++));
                }
            }
        }
    }

    private static byte[] png(int w, int h, int seed) throws IOException {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, (seed * 0x2F1B37 + x * 0x110501 + y * 0x031D07) & 0xFFFFFF);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertTrue(ImageIO.write(img, "png", out));
        return out.toByteArray();
    }

    /** The features of batch {@code step} (seed 9, B = 5) in batch-row order. */
    private static float[] batchX(FeatureBlockRDD rows, long step) {
        int w = rows.width();
        float[] x = new float[5 * w];
        for (FeatureBatch b : rows.batch(9, step, 5).collect()) {
            for (int i = 0; i < b.size(); i++) {
                System.arraycopy(b.x(), i * w, x, b.rows()[i] * w, w);
            }
        }
        return x;
    }

    /** All rows of a feature RDD, collected in row order. */
    private record Rows(float[] x, int[] labels, int[] domains) {
        static Rows of(FeatureBlockRDD rdd) {
            int n = (int) rdd.layout().items();
            int w = rdd.width();
            Rows r = new Rows(new float[n * w], new int[n], new int[n]);
            for (FeatureBlocks b : rdd.blocks().collect()) {
                int at = (int) b.firstRow();
                System.arraycopy(b.x(), 0, r.x, at * w, b.x().length);
                System.arraycopy(b.labels(), 0, r.labels, at, b.count());
                System.arraycopy(b.domains(), 0, r.domains, at, b.count());
            }
            return r;
        }

        float[] x(int k, int w) {
            return java.util.Arrays.copyOfRange(x, k * w, (k + 1) * w);
        }
    }
}
