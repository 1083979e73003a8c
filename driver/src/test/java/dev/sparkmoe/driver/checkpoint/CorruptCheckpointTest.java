package dev.sparkmoe.driver.checkpoint;

import dev.sparkmoe.driver.config.CheckpointSettings;
import dev.sparkmoe.worker.state.TrainingState;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The newest checkpoint damaged in one way each: {@link CheckpointStore#latest} skips it, names
 * the directory and the reason, and returns the previous one. Damage is done to the real files
 * with java.nio, as a crash or a bad disk would. Hadoop's local file system keeps its own
 * {@code .crc} side files; where a test removes one, it stands for a file system without them (s3a).
 */
class CorruptCheckpointTest {
    private static final String CONFIG = "spark-moe { seed = 77 }";
    private static final String TENSOR = "tensors/dense.00.dense.decayed.bin";
    @TempDir
    Path run;
    private TrainingState older;
    private Path newest;

    private CheckpointStore store(String config) {
        return new CheckpointStore(run.toUri().toString(), new Configuration(), config, new CheckpointSettings(2, 5));
    }

    @BeforeEach
    void twoCheckpoints() {
        older = SampleStates.state(2);
        store(CONFIG).save(older);
        newest = Path.of(java.net.URI.create(store(CONFIG).save(SampleStates.state(4))));
        assertEquals(4, store(CONFIG).latest(false).state().step(), "undamaged, the newest is used");
    }

    /** Asserts that latest() falls back to step 2 and says why it skipped {@code skipped}. */
    private LatestCheckpoint.Skipped assertFallsBack(Path skipped, String... reasonWords) {
        LatestCheckpoint latest = store(CONFIG).latest(false);
        assertEquals(older, latest.state());
        assertTrue(latest.location().endsWith("step-0000000002"), latest.location());
        assertEquals(1, latest.skipped().size(), latest.skipped().toString());
        LatestCheckpoint.Skipped s = latest.skipped().get(0);
        assertEquals(skipped.toUri().toString().replaceAll("/$", ""), s.location().replace("file:/", "file:///"));
        for (String w : reasonWords) {
            assertTrue(s.reason().toLowerCase(Locale.ROOT).contains(w.toLowerCase(Locale.ROOT)), s.reason());
        }
        return s;
    }

    @Test
    void truncatedTensorFile() throws IOException {
        Path file = newest.resolve(TENSOR);
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(f.length() - 7);
        }
        assertFallsBack(newest, file.getFileName().toString(), "truncated", "expected");
    }

    @Test
    void flippedByteCaughtByTheManifestChecksum() throws IOException {
        Path file = newest.resolve(TENSOR);
        flipByte(file);
        Files.delete(crcOf(file));
        assertFallsBack(newest, file.getFileName().toString(), "checksum mismatch", "expected");
    }

    @Test
    void flippedByteCaughtByHadoopsOwnChecksum() throws IOException {
        Path file = newest.resolve(TENSOR);
        flipByte(file);
        assertFallsBack(newest, file.getFileName().toString(), "checksum");
    }

    @Test
    void missingManifest() throws IOException {
        Files.delete(newest.resolve("manifest.json"));
        Files.delete(crcOf(newest.resolve("manifest.json")));
        assertFallsBack(newest, "manifest.json", "missing manifest");
    }

    @Test
    void leftoverTemporaryDirectory() throws IOException {
        deleteTree(newest);
        Path temp = run.resolve("checkpoints/.tmp-step-0000000004-0badc0de");
        Files.createDirectories(temp.resolve("tensors"));
        Files.write(temp.resolve(TENSOR), new byte[]{1, 2, 3});
        assertFallsBack(temp, "temporary", "never completed");
    }

    @Test
    void missingTensorFile() throws IOException {
        Files.delete(newest.resolve(TENSOR));
        assertFallsBack(newest, "missing tensor file", TENSOR);
    }

    @Test
    void unreadableTensorWhoseChecksumMatches() throws IOException {
        Path file = newest.resolve(TENSOR);
        byte[] bytes = Files.readAllBytes(file);
        String before = Sha256.of(bytes);
        java.util.Arrays.fill(bytes, 0, 8, (byte) 0xFF);       // ND4J's header: no longer a valid array
        Files.write(file, bytes);
        Files.delete(crcOf(file));
        rewriteManifest(m -> m.replace(before, Sha256.of(bytes)));
        assertFallsBack(newest, file.getFileName().toString(), "unreadable ND4J array", "expected FLOAT[10]");
    }

    @Test
    void unknownFormatVersion() throws IOException {
        rewriteManifest(m -> m.replace("\"formatVersion\" : 1,", "\"formatVersion\" : 99,"));
        assertFallsBack(newest, "manifest.json", "format version 99 is unknown", "format version 1");
    }

    @Test
    void manifestMissingAField() throws IOException {
        rewriteManifest(m -> m.replace("\"optimizerSteps\" : 8,", ""));
        assertFallsBack(newest, "manifest.json", "optimizerSteps");
    }

    @Test
    void differentConfigIsRefusedUnlessAllowed() {
        CheckpointStore other = store("spark-moe { seed = 78 }");
        ConfigMismatchException e = assertThrows(ConfigMismatchException.class, () -> other.latest(false));
        assertTrue(e.getMessage().contains("step-0000000004") && e.getMessage().contains(Sha256.of(CONFIG))
                && e.getMessage().contains(other.configHash()), e.getMessage());
        LatestCheckpoint allowed = other.latest(true);
        assertTrue(allowed.configDiffers());
        assertEquals(4, allowed.state().step());
    }

    @Test
    void noCheckpointsAtAll() {
        LatestCheckpoint none = new CheckpointStore(run.resolve("elsewhere").toUri().toString(), new Configuration(), CONFIG,
                new CheckpointSettings(2, 5)).latest(false);
        assertFalse(none.found());
        assertTrue(none.skipped().isEmpty());
    }

    private void rewriteManifest(java.util.function.UnaryOperator<String> edit) throws IOException {
        Path manifest = newest.resolve("manifest.json");
        String before = Files.readString(manifest, StandardCharsets.UTF_8);
        String after = edit.apply(before);
        assertFalse(before.equals(after), "the edit applies");
        Files.writeString(manifest, after, StandardCharsets.UTF_8);
        Files.delete(crcOf(manifest));
    }

    private static void flipByte(Path file) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            long at = f.length() - 5;     // inside the last float
            f.seek(at);
            int b = f.read();
            f.seek(at);
            f.write(b ^ 0x10);
        }
    }

    private static Path crcOf(Path file) {
        Path crc = file.resolveSibling("." + file.getFileName() + ".crc");
        assertTrue(Files.exists(crc), "Hadoop's local file system wrote " + crc);
        return crc;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }
}
