package dev.sparkmoe.driver.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code spark-moe experiment routers} end to end on Spark {@code local[2]}, shortened: two
 * routers, each pretraining a language model, fine-tuning the CoLA-format task from it and
 * training RotatedDigits on one test domain, then the table and charts.
 */
class ExperimentCommandTest {

    @Test
    void twoRoutersOnTheThreeTasksWriteTheTableAndCharts(@TempDir Path dir) throws IOException {
        String[] r = MainTest.run("experiment", "routers", "--conf-dir", "../conf/experiment", "--dir", dir.toString(),
                "--routers", "top2,dynmoe", "train.steps=4", "optim.warmupSteps=1", "train.evalEvery=2",
                "train.evalBatches=2", "domainbed.testDomains=[0]", "model.dModel=32", "engine.master=\"local[2]\"");
        assertEquals("0", r[0], r[2]);
        String md = Files.readString(dir.resolve("routers.md"));
        for (String section : List.of("## WikiText-layout LM", "## CoLA-format", "## RotatedDigits LODO")) {
            assertTrue(md.contains(section), md);
        }
        // per task a row per router: score, experts per token, experts per layer, seconds per step
        Matcher rows = Pattern.compile("\\| (top-2|DynMoE) \\| (-?[0-9.]+) \\| ([0-9.]+) \\| ([0-9/]+) \\| ([0-9.]+) \\|").matcher(md);
        int found = 0;
        while (rows.find()) {
            found++;
            assertTrue(Double.parseDouble(rows.group(3)) > 0, "experts per token: " + rows.group());
        }
        assertEquals(6, found, md);
        for (String png : List.of("routers-score.png", "routers-experts-per-token.png", "routers-step-time.png")) {
            assertTrue(Files.size(dir.resolve(png)) > 1000, png);
        }
        assertTrue(Files.exists(dir.resolve("dynmoe/cola/glue/dev-metrics.json")), "the CoLA run is a real fine-tuning run");
        assertTrue(Files.exists(dir.resolve("top2/digits/results.md")), "the digits run is a real DomainBed sweep");
    }

    @Test
    void anUnknownExperimentOrRouterIsRefused() {
        assertEquals("2", MainTest.run("experiment", "nonsense")[0]);
        String[] r = MainTest.run("experiment", "routers", "--routers", "top3");
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("top3"), r[2]);
    }
}
