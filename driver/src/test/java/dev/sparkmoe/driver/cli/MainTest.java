package dev.sparkmoe.driver.cli;

import dev.sparkmoe.driver.report.SyntheticRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MainTest {

    /** Runs the command line; returns exit code, stdout and stderr (shared with the other CLI tests). */
    static String[] run(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new String[]{Integer.toString(code), out.toString(), err.toString()};
    }

    @Test
    void helpListsTheSubcommands() {
        String[] r = run("--help");
        assertEquals("0", r[0]);
        assertTrue(r[1].contains("train") && r[1].contains("info") && r[1].contains("report"), r[1]);
        assertEquals("0", run("train", "--help")[0]);
        String[] report = run("report", "--help");
        assertEquals("0", report[0]);
        assertTrue(report[1].contains("RUN_DIR"), report[1]);
    }

    @Test
    void badConfigurationExitsWithTwoAndOneMessage() {
        String[] r = run("train", "router.kind=switch");
        assertEquals("2", r[0]);
        assertTrue(r[2].startsWith("error: router.kind = \"switch\""), r[2]);
        assertEquals("2", run("train", "--no-such-option")[0]);
    }

    @Test
    void infoCountsTotalAndActivatedParameters() {
        PrintStream saved = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            assertEquals("0", run("info", "-c", "../conf/tiny.conf", "router.kind=topk")[0]);
        } finally {
            System.setOut(saved);
        }
        String out = buf.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("parameters: total") && out.contains("activated per token"), out);
    }

    /** The main job, shrunk: trains on the embedded corpus and beats the unigram baseline. */
    @Test
    void tinyTrainingRunLearnsAndWritesItsRunDirectory(@TempDir Path dir) throws Exception {
        PrintStream saved = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        String[] r;
        try {
            r = run("train", "-c", "../conf/tiny.conf", "run.dir=\"" + dir.toUri() + "\"");
        } finally {
            System.setOut(saved);
        }
        String out = buf.toString(StandardCharsets.UTF_8);
        assertEquals("0", r[0], r[2] + out);
        assertTrue(out.contains("step 200/200"), out);
        String done = out.lines().filter(l -> l.startsWith("done:")).findFirst().orElseThrow();
        double valid = Double.parseDouble(done.replaceAll(".*validation loss ([0-9.]+).*", "$1"));
        double unigram = Double.parseDouble(done.replaceAll(".*unigram baseline ([0-9.]+).*", "$1"));
        assertTrue(valid < unigram, done);
        List<String> metrics = Files.readAllLines(dir.resolve("metrics.jsonl"));
        assertTrue(metrics.size() >= 200, "one line per step plus validations");
        assertTrue(metrics.get(0).contains("\"active_per_token\""), metrics.get(0));
        assertTrue(Files.readString(dir.resolve("config.conf")).contains("seqLen"));
        assertTrue(Files.exists(dir.resolve("vocab.txt")));
        assertTrue(metrics.get(0).contains("\"active_histogram\"") && metrics.get(0).contains("\"expert_ids\""), metrics.get(0));

        String[] report = run("report", dir.toString());
        assertEquals("0", report[0], report[2]);
        String html = Files.readString(dir.resolve("report/report.html"));
        assertTrue(html.contains("<td>topany</td>") && !html.contains("Not drawn: This metrics.jsonl predates"), html);
        assertTrue(Files.exists(dir.resolve("report/active_histogram.png")));
    }

    @Test
    void reportPrintsWhereThePageIs(@TempDir Path dir) throws Exception {
        SyntheticRun.write(dir.toUri().toString(), false);
        String[] r = run("report", dir.toUri().toString());
        assertEquals("0", r[0], r[2]);
        assertEquals("report: " + dir.resolve("report/report.html").toUri().toString().replace("file:///", "file:/"), r[1].strip());
        assertTrue(Files.exists(dir.resolve("report/loss.png")));
    }

    @Test
    void reportOfADirectoryWithoutMetricsExitsWithTwo(@TempDir Path dir) {
        String[] r = run("report", dir.toString());
        assertEquals("2", r[0]);
        assertTrue(r[2].startsWith("error: no metrics.jsonl in "), r[2]);
        assertEquals("2", run("report")[0], "RUN_DIR is required");
    }
}
