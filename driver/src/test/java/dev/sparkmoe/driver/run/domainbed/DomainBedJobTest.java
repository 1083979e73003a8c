package dev.sparkmoe.driver.run.domainbed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sparkmoe.driver.config.JobConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The LODO sweep end to end on the Spark engine (local[2]): RotatedDigits, two test domains, a
 * tiny vision MoE. Accuracy at this size is not asserted beyond [0, 1]; what must hold is the
 * protocol: DomainBed's table layout, one evaluation per schedule point, and the selection of
 * the best training-domain validation accuracy.
 */
class DomainBedJobTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aTwoDomainSweepWritesDomainBedsTableAndSelectsOnValidation(@TempDir Path tmp) throws IOException {
        Path run = tmp.resolve("run");
        JobConfig config = JobConfig.load(new File("../conf/domainbed/rotated-digits.conf"), List.of(
                "engine.master=\"local[2]\"", "domainbed.testDomains=[0, 1]", "train.steps=30", "train.evalEvery=10",
                "train.batchSize=8", "train.logEvery=10", "optim.warmupSteps=3", "model.blocks=2", "model.moeBlocks=[1]",
                "model.dModel=32", "model.ffnDim=64", "model.expertFfnDim=64", "run.dir=\"" + run.toUri() + "\""));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DomainBedJob.Result result = new DomainBedJob(config, new PrintStream(bytes, true, StandardCharsets.UTF_8)).run();
        String out = bytes.toString(StandardCharsets.UTF_8);
        System.out.println(out);    // the job's log, kept in the surefire report

        assertEquals(List.of(0, 1), new ArrayList<>(result.accuracies().keySet()), out);
        for (double a : result.accuracies().values()) assertTrue(Double.isFinite(a) && a >= 0 && a <= 1, out);
        assertEquals((result.accuracies().get(0) + result.accuracies().get(1)) / 2, result.average(), 1e-12);

        List<String> md = Files.readAllLines(run.resolve("results.md"));
        String header = md.stream().filter(l -> l.startsWith("| Algorithm")).findFirst().orElseThrow();
        assertEquals("| Algorithm | 0 | 15 | 30 | 45 | 60 | 75 | Avg |", header);
        String row = md.get(md.indexOf(header) + 2);
        String[] cells = row.split("\\|");
        assertEquals(" DynMoE ", cells[1]);
        assertTrue(cells[2].trim().matches("\\d+\\.\\d \\+/- 0\\.0") && cells[3].trim().matches("\\d+\\.\\d \\+/- 0\\.0"), row);
        for (int c = 4; c <= 7; c++) assertEquals("X", cells[c].trim(), row);
        assertEquals("X", cells[8].trim(), "no average over untested domains: " + row);

        JsonNode results = JSON.readTree(run.resolve("results.json").toFile());
        assertEquals(result.average(), results.get("average_test_accuracy").asDouble(), 1e-12);
        for (int d = 0; d < 2; d++) {
            JsonNode sel = JSON.readTree(run.resolve("env" + d).resolve("selection.json").toFile());
            JsonNode evals = sel.get("evaluations");
            assertEquals(3, evals.size(), "evaluated after steps 10, 20, 30");
            double best = -1;
            boolean found = false;
            for (JsonNode e : evals) {
                best = Math.max(best, e.get("val_accuracy").asDouble());
                found |= e.get("step").asLong() == sel.get("selected_step").asLong();
            }
            assertTrue(found, "the selected step was evaluated: " + sel);
            assertEquals(best, sel.get("val_accuracy").asDouble(), 0, "selected on the best validation accuracy");
            assertEquals(result.accuracies().get(d), sel.get("test_accuracy").asDouble(), 0);
            assertEquals(sel.get("test_accuracy").asDouble(), results.get("results").get(d).get("test_accuracy").asDouble(), 0);
            List<String> metrics = Files.readAllLines(run.resolve("env" + d).resolve("metrics.jsonl"));
            assertEquals(30 + 3, metrics.size(), "a line per step and per evaluation");
            assertTrue(Files.exists(run.resolve("env" + d).resolve("report").resolve("report.html")), out);
        }
        assertTrue(out.contains("average"), out);

        // eval: the selected checkpoints, evaluated again on the same engine settings, give the selection's accuracies
        assertEquals(0, dev.sparkmoe.driver.cli.Main.commandLine().execute("eval", run.toUri().toString()));
        JsonNode eval = JSON.readTree(run.resolve("eval.json").toFile());
        for (int d = 0; d < 2; d++) {
            JsonNode sel = JSON.readTree(run.resolve("env" + d).resolve("selection.json").toFile());
            JsonNode again = eval.get("domains").get(d);
            assertEquals(sel.get("selected_step").asLong() + 1, again.get("checkpoint_step").asLong(), "the selected step's checkpoint");
            assertEquals(sel.get("test_accuracy").asDouble(), again.get("test_accuracy").asDouble(), 0, "test domain " + d);
            assertEquals(sel.get("val_accuracy").asDouble(), again.get("val_accuracy").asDouble(), 0, "held-out, domain " + d);
        }
    }

    @Test
    void trainDispatchesTaskDomainbedToTheSweep(@TempDir Path tmp) {
        Path run = tmp.resolve("cli");
        int code = dev.sparkmoe.driver.cli.Main.commandLine().execute("train", "-c", "../conf/domainbed/rotated-digits.conf",
                "engine.kind=single", "domainbed.testDomains=[5]", "train.steps=2", "train.evalEvery=0", "optim.warmupSteps=1",
                "model.blocks=2", "model.moeBlocks=[1]", "model.dModel=32", "run.dir=\"" + run.toUri() + "\"");
        assertEquals(0, code);
        assertTrue(Files.exists(run.resolve("results.md")) && Files.exists(run.resolve("env5").resolve("selection.json")));
        assertTrue(Files.notExists(run.resolve("env0")), "only the named test domain runs");
    }

    @Test
    void aPatchThatDoesNotDivideTheImageIsRefusedNamingTheKey() {
        JobConfig config = JobConfig.load(new File("../conf/domainbed/rotated-digits.conf"),
                List.of("domainbed.patch=3", "engine.kind=single"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new DomainBedJob(config, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)).run());
        assertTrue(e.getMessage().contains("domainbed.patch"), e.getMessage());
    }
}
