package dev.sparkmoe.driver.checkpoint;

import dev.sparkmoe.driver.config.CheckpointSettings;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code checkpoint.keep}: older checkpoints go once a newer one is complete; leftovers are cleaned up. */
class CheckpointRetentionTest {
    @TempDir
    Path run;

    private CheckpointStore store(int keep) {
        return new CheckpointStore(run.toUri().toString(), new Configuration(), "c", new CheckpointSettings(1, keep));
    }

    private List<String> names() throws IOException {
        try (Stream<Path> s = Files.list(run.resolve("checkpoints"))) {
            return s.map(p -> p.getFileName().toString()).filter(n -> !n.endsWith(".crc")).sorted().toList();
        }
    }

    @Test
    void keepsTheNewestKeepCheckpoints() throws IOException {
        CheckpointStore store = store(2);
        for (long step = 1; step <= 5; step++) store.save(SampleStates.state(step));
        assertEquals(List.of("step-0000000004", "step-0000000005"), names());
        assertEquals(5, store.latest(false).state().step());
    }

    @Test
    void keepOneLeavesOnlyTheNewestAndRemovesLeftoverTemporaryDirectories() throws IOException {
        CheckpointStore store = store(1);
        store.save(SampleStates.state(1));
        Files.createDirectories(run.resolve("checkpoints/.tmp-step-0000000002-deadbeef/tensors"));
        store.save(SampleStates.state(3));
        assertEquals(List.of("step-0000000003"), names());
    }

    @Test
    void savingAfterResumingFromAnOlderCheckpointLeavesNewerOnesAndReplacesTheSameStep() throws IOException {
        CheckpointStore store = store(2);
        for (long step = 2; step <= 6; step += 2) store.save(SampleStates.state(step));
        assertEquals(List.of("step-0000000004", "step-0000000006"), names());
        store.save(SampleStates.state(4));       // a run resumed from step 2 or 4 writes step 4 again
        assertEquals(List.of("step-0000000004", "step-0000000006"), names());
        CheckpointReader four = new CheckpointReader(org.apache.hadoop.fs.FileSystem.getLocal(new Configuration()),
                new org.apache.hadoop.fs.Path(run.resolve("checkpoints/step-0000000004").toUri()));
        assertEquals(SampleStates.state(4), four.state(four.manifest()));
        store.save(SampleStates.state(5));
        assertEquals(List.of("step-0000000004", "step-0000000005", "step-0000000006"), names(),
                "6 is newer than the checkpoint just written: not deleted; 4 is the one older one kept");
    }
}
