package dev.sparkmoe.data.domainbed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparkmoe.data.domainbed.DomainBedSources.Request;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DomainBedSourcesTest {
    private static final Configuration CONF = new Configuration();

    @TempDir
    java.nio.file.Path tmp;

    private Path root() {
        return new Path(tmp.toUri());
    }

    private static void assertSameImages(DomainImages expected, DomainImages actual) {
        assertEquals(expected.name(), actual.name());
        assertEquals(expected.domains(), actual.domains());
        assertEquals(expected.classes(), actual.classes());
        assertEquals(List.of(expected.channels(), expected.height(), expected.width()),
                List.of(actual.channels(), actual.height(), actual.width()));
        assertArrayEquals(expected.domainSizes(), actual.domainSizes());
        for (int d = 0; d < expected.domains().size(); d++) {
            for (int i = 0; i < expected.size(d); i++) {
                assertArrayEquals(expected.image(d, i), actual.image(d, i), "domain " + d + " image " + i);
                assertEquals(expected.label(d, i), actual.label(d, i));
            }
        }
    }

    @Test
    void rotatedDigitsWithoutRootIsTheEmbeddedDefault() throws IOException {
        DomainImages data = DomainBedSources.load(Request.of("rotateddigits", null), CONF);
        assertSameImages(EmbeddedDomainBed.rotatedDigits(), data);
        assertEquals(List.of("0", "15", "30", "45", "60", "75"), data.domains());
        DomainImages big = DomainBedSources.load(Request.of("RotatedDigits", null).withImageSize(16).withSeed(3), CONF);
        assertSameImages(EmbeddedDomainBed.rotatedDigits(16, 3).toImages(), big);
    }

    @Test
    void rotatedDigitsWithRootReadsTheConvertedFolder() throws IOException {
        DomainBedConversions.rotatedDigits(root(), 8, 0, CONF);
        DomainImages data = DomainBedSources.load(Request.of("RotatedDigits", root()), CONF);
        DomainImages embedded = EmbeddedDomainBed.rotatedDigits();
        assertArrayEquals(embedded.domainSizes(), data.domainSizes());
        for (int d = 0; d < embedded.domains().size(); d++) {
            // the folder lists a domain's files class by class, each class in construction order
            int domain = d;
            int[] byClass = IntStream.range(0, embedded.size(d)).boxed()
                    .sorted(Comparator.comparingInt(i -> embedded.label(domain, i))).mapToInt(Integer::intValue).toArray();
            for (int i = 0; i < byClass.length; i++) {
                assertArrayEquals(embedded.image(d, byClass[i]), data.image(d, i), "domain " + d + " image " + i);
                assertEquals(embedded.label(d, byClass[i]), data.label(d, i));
            }
        }
    }

    @Test
    void folderDatasetGoesThroughDomainBedFolder() throws IOException {
        GrayImages few = EmbeddedDomainBed.digits().slice(0, 40);
        MnistEnvironments.rotated("PACS", few, new double[] {0, 90, 180, 270}, Interpolation.BILINEAR, 1)
                .writeFolder(root(), CONF);
        DomainImages data = DomainBedSources.load(Request.of("pacs", root()).withImageSize(12).withStrict(true), CONF);
        assertEquals("PACS", data.name());
        assertEquals(List.of("0", "180", "270", "90"), data.domains()); // sorted folder names
        assertEquals(List.of(3, 12, 12), List.of(data.channels(), data.height(), data.width()));
        assertArrayEquals(new int[] {10, 10, 10, 10}, data.domainSizes());
        ImageOptions options = ImageOptions.DEFAULT.withSize(12, 12);
        assertSameImages(DomainBedFolder.open(root(), "PACS", CONF, true).load(options, CONF, true), data);
    }

    @Test
    void constructedMnistFromIdxInTorchvisionLayout() throws IOException {
        java.nio.file.Path raw = Files.createDirectories(tmp.resolve("MNIST/raw"));
        GrayImages train = EmbeddedDomainBed.digits().slice(0, 30);
        GrayImages test = EmbeddedDomainBed.digits().slice(30, 12);
        writeIdx(raw, "train", train);
        writeIdx(raw, "t10k", test);
        GrayImages all = train.concat(test);

        DomainImages rotated = DomainBedSources.load(Request.of("RotatedMNIST", root()).withSeed(5), CONF);
        assertSameImages(MnistEnvironments.rotated("RotatedMNIST", all, 5).toImages(), rotated);
        DomainImages colored = DomainBedSources.load(Request.of("ColoredMNIST", root()).withImageSize(10), CONF);
        assertSameImages(MnistEnvironments.colored("ColoredMNIST", all.resized(10), 0).toImages(), colored);
        assertEquals(List.of(2, 10, 10), List.of(colored.channels(), colored.height(), colored.width()));
    }

    @Test
    void idxFilesDirectlyUnderTheRootAreFoundToo() throws IOException {
        writeIdx(tmp, "train", EmbeddedDomainBed.digits().slice(0, 6));
        writeIdx(tmp, "t10k", EmbeddedDomainBed.digits().slice(6, 6));
        assertArrayEquals(new int[] {2, 2, 2, 2, 2, 2}, DomainBedSources.load(Request.of("RotatedMNIST", root()), CONF).domainSizes());
    }

    @Test
    void unknownDatasetListsTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DomainBedSources.load(Request.of("CIFAR10", root()), CONF));
        assertTrue(e.getMessage().contains("unknown DomainBed dataset 'CIFAR10'; expected one of RotatedDigits, RotatedMNIST, "
                + "ColoredMNIST, PACS, VLCS, OfficeHome, TerraIncognita, DomainNet"), e.getMessage());
    }

    @Test
    void missingDataSaysWhatAndWhereWasExpected() {
        FileNotFoundException e = assertThrows(FileNotFoundException.class,
                () -> DomainBedSources.load(Request.of("RotatedMNIST", null), CONF));
        assertTrue(e.getMessage().startsWith("RotatedMNIST: no data root given; expected train-images-idx3-ubyte"), e.getMessage());
        assertTrue(e.getMessage().contains("ROOT/MNIST/raw"), e.getMessage());

        e = assertThrows(FileNotFoundException.class, () -> DomainBedSources.load(Request.of("ColoredMNIST", root()), CONF));
        assertTrue(e.getMessage().startsWith("ColoredMNIST: no MNIST IDX files under " + root()), e.getMessage());
        assertTrue(e.getMessage().contains("MNIST/raw"), e.getMessage());

        e = assertThrows(FileNotFoundException.class, () -> DomainBedSources.load(Request.of("office_home", null), CONF));
        assertTrue(e.getMessage().contains("OfficeHome: no data root given; expected a root holding office_home or OfficeHome"),
                e.getMessage());

        e = assertThrows(FileNotFoundException.class, () -> DomainBedSources.load(Request.of("VLCS", root()), CONF));
        assertTrue(e.getMessage().contains(root() + ": no VLCS folder"), e.getMessage());
    }

    @Test
    void badSettingsAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Request.of("PACS", null).withImageSize(-1));
        assertTrue(e.getMessage().contains("PACS: image size -1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Request.of(" ", null));
        assertTrue(e.getMessage().contains("expected one of RotatedDigits"), e.getMessage());
    }

    private static void writeIdx(java.nio.file.Path dir, String stem, GrayImages g) throws IOException {
        byte[] labels = new byte[g.count()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = (byte) g.labels()[i];
        }
        Files.write(dir.resolve(stem + "-images-idx3-ubyte"),
                IdxReaderTest.idx(IdxReader.IMAGES_MAGIC, new int[] {g.count(), g.rows(), g.cols()}, g.pixels()));
        Files.write(dir.resolve(stem + "-labels-idx1-ubyte.gz"),
                IdxReaderTest.gzip(IdxReaderTest.idx(IdxReader.LABELS_MAGIC, new int[] {g.count()}, labels)));
    }
}
