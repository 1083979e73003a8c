package dev.sparkmoe.driver.cli;

import dev.sparkmoe.driver.checkpoint.CheckpointStore;
import dev.sparkmoe.driver.config.CheckpointSettings;
import dev.sparkmoe.worker.state.TrainingState;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code train --resume} on the Spark engine, end to end: a run that lost its last checkpoint
 * (as if it crashed after writing the previous one) and a run whose newest checkpoint is corrupt
 * both continue from the previous complete checkpoint and end bit-identical to the run that
 * never stopped, with one metrics line per step.
 */
class TrainResumeTest {
    private static final int STEPS = 6;

    @Test
    void resumedRunsEndBitIdenticalToTheUninterruptedOne(@TempDir Path tmp) throws IOException {
        Path straight = tmp.resolve("straight");
        String out = train(straight, false);
        assertTrue(out.contains("checkpoint: ") && out.contains("step-0000000003"), out);
        TrainingState expected = latest(straight);
        assertEquals(STEPS, expected.step());

        Path crashed = copy(straight, tmp.resolve("crashed"));
        deleteTree(crashed.resolve("checkpoints/step-0000000006"));
        out = train(crashed, true);
        assertTrue(out.contains("resume: from") && out.contains("(3 steps done)"), out);
        assertEquals(expected, latest(crashed), "bit-identical final state after the resume");
        assertOneMetricsLinePerStep(crashed);

        Path corrupt = copy(straight, tmp.resolve("corrupt"));
        Path tensor;
        try (Stream<Path> files = Files.list(corrupt.resolve("checkpoints/step-0000000006/tensors"))) {
            tensor = files.filter(f -> f.toString().endsWith(".bin")).findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(tensor);
        bytes[bytes.length / 2] ^= 0x40;
        Files.write(tensor, bytes);
        Files.deleteIfExists(tensor.resolveSibling("." + tensor.getFileName() + ".crc"));
        out = train(corrupt, true);
        assertTrue(out.contains("warning: skipped checkpoint") && out.contains("step-0000000006"), out);
        assertTrue(out.contains("(3 steps done)"), out);
        assertEquals(expected, latest(corrupt));
    }

    @Test
    void aChangedConfigurationIsRefusedUnlessAllowed(@TempDir Path tmp) {
        Path dir = tmp.resolve("run");
        train(dir, false);
        String[] r = MainTest.run("train", "-c", "../conf/tiny.conf", "train.steps=8", "optim.warmupSteps=2", "train.evalEvery=0", "train.evalBatches=1",
                "checkpoint.every=3", "run.dir=\"" + dir.toUri() + "\"", "--resume");
        assertEquals("2", r[0], r[2]);
        assertTrue(r[2].startsWith("error: ") && r[2].contains("config hash") && r[2].contains("--allow-config-change"), r[2]);
        assertEquals("2", MainTest.run("train", "--allow-config-change")[0]);
    }

    private static String train(Path dir, boolean resume) {
        List<String> args = new ArrayList<>(List.of("train", "-c", "../conf/tiny.conf", "train.steps=" + STEPS,
                "optim.warmupSteps=2", "train.evalEvery=0", "train.evalBatches=1", "train.logEvery=1", "checkpoint.every=3",
                "run.dir=\"" + dir.toUri() + "\""));
        if (resume) args.add("--resume");
        PrintStream saved = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        String[] r;
        try {
            r = MainTest.run(args.toArray(new String[0]));
        } finally {
            System.setOut(saved);
        }
        String out = buf.toString(StandardCharsets.UTF_8);
        assertEquals("0", r[0], r[2] + out);
        return out;
    }

    private static TrainingState latest(Path dir) {
        return new CheckpointStore(dir.toUri().toString(), new Configuration(), "unused", new CheckpointSettings(3, 3))
                .latest(true).state();
    }

    private static void assertOneMetricsLinePerStep(Path dir) throws IOException {
        List<Long> steps = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("metrics.jsonl"))) {
            if (line.contains("\"loss\"")) steps.add(Long.parseLong(line.replaceAll(".*\"step\":(\\d+).*", "$1")));
        }
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L), steps);
        assertFalse(Files.readString(dir.resolve("events.jsonl")).isEmpty() && steps.isEmpty());
    }

    private static Path copy(Path from, Path to) throws IOException {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(target);
                else Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return to;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) Files.delete(p);
        }
    }
}
