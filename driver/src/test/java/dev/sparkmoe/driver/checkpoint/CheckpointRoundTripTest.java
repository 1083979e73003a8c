package dev.sparkmoe.driver.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sparkmoe.driver.config.CheckpointSettings;
import dev.sparkmoe.worker.state.TrainingState;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CheckpointRoundTripTest {
    @TempDir
    Path run;

    private CheckpointStore store() {
        return new CheckpointStore(run.toUri().toString(), new Configuration(), "spark-moe { seed = 77 }",
                new CheckpointSettings(0, 3));
    }

    @Test
    void writeThenReadIsBitwiseEqual() {
        TrainingState saved = SampleStates.state(7);
        String location = store().save(saved);
        assertTrue(location.endsWith("/checkpoints/step-0000000007"), location);

        LatestCheckpoint latest = store().latest(false);
        assertEquals(location, latest.location());
        assertTrue(latest.skipped().isEmpty(), latest.skipped().toString());
        assertFalse(latest.configDiffers());
        TrainingState read = latest.state();
        assertEquals(saved, read, "every float compared bit for bit (Arrays.equals), every id and count");
        float[] decayed = read.dense().get(0).values();
        // ND4J's writer goes through DataOutputStream.writeFloat, which canonicalises NaN payloads.
        assertTrue(Float.isNaN(decayed[3]), "NaN kept (its payload is not)");
        assertEquals(Float.floatToRawIntBits(-0.0f), Float.floatToRawIntBits(decayed[4]), "negative zero kept");
        assertArrayEquals(new int[]{0, 2, 3}, read.expertSets().get(1).ids());
        assertEquals(4, read.expertSets().get(1).nextId());
        assertFalse(read.expertsOf(1).get(2).hasMoments(), "expert 3 of layer 1 has no moments");
        assertEquals(0, read.dense().get(1).slots());
        assertNull(read.controller().layers().get(1).window());
    }

    @Test
    void manifestListsFormatConfigHashRngAndEveryTensorWithItsChecksum() throws Exception {
        TrainingState saved = SampleStates.state(3);
        Path dir = Path.of(java.net.URI.create(store().save(saved)));
        JsonNode m = CheckpointFormat.JSON.readTree(dir.resolve("manifest.json").toFile());
        assertEquals(CheckpointFormat.VERSION, m.get("formatVersion").intValue());
        assertEquals(3, m.get("step").longValue());
        assertEquals(Sha256.of("spark-moe { seed = 77 }"), m.get("configHash").textValue());
        assertEquals(77, m.get("rng").get("seed").longValue());
        assertEquals(3, m.get("rng").get("nextStep").longValue());
        assertEquals(6, m.get("optimizerSteps").longValue());
        assertEquals("[0,2,3]", m.get("layers").get(1).get("liveIds").toString());
        assertEquals(1, m.get("placement").get("layers").get(0).get("partitionOf").get("1").intValue());
        // 4 dense values + 3 × 2 moments, 6 experts × 2 params + 5 × 4 moments, 2 routing sums.
        assertEquals(4 + 6 + 12 + 20 + 2, m.get("tensors").size());
        for (JsonNode t : m.get("tensors")) {
            Path file = dir.resolve(t.get("file").textValue());
            byte[] bytes = Files.readAllBytes(file);
            assertEquals(t.get("bytes").longValue(), bytes.length, file.toString());
            assertEquals(t.get("sha256").textValue(), Sha256.of(bytes), file.toString());
        }
        assertFalse(Files.list(dir.getParent()).anyMatch(p -> p.getFileName().toString().startsWith(".tmp-")),
                "the temporary directory was renamed");
    }

    private static void assertArrayEquals(int[] expected, int[] actual) {
        org.junit.jupiter.api.Assertions.assertArrayEquals(expected, actual);
    }
}
