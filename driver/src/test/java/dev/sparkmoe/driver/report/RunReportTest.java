package dev.sparkmoe.driver.report;

import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The report of synthetic run directories, written and read through Hadoop's local FileSystem. */
class RunReportTest {

    private static String write(Path dir) {
        return RunReport.write(dir.toUri().toString(), new Configuration());
    }

    private static List<String> images(String html) {
        Matcher m = Pattern.compile("<img src=\"([^\"]+)\"").matcher(html);
        List<String> out = new java.util.ArrayList<>();
        while (m.find()) out.add(m.group(1));
        return out;
    }

    @Test
    void writesThePageAndEveryChart(@TempDir Path dir) throws IOException {
        SyntheticRun.write(dir.toUri().toString(), true);
        String page = write(dir);
        Path report = dir.resolve("report");
        assertEquals(report.resolve("report.html").toUri().toString(), Path.of(java.net.URI.create(page)).toUri().toString());
        String html = Files.readString(report.resolve("report.html"));
        List<String> images = images(html);
        assertEquals(List.of("loss.png", "experts.png", "active_histogram.png", "active_mean.png",
                "expert_load_layer0.png", "expert_load_layer1.png", "step_time.png"), images);
        for (String name : images) {
            BufferedImage img = ImageIO.read(report.resolve(name).toFile());
            assertNotNull(img, name + " decodes");
            assertEquals(Charts.WIDTH, img.getWidth(), name);
            assertTrue(img.getHeight() >= Charts.HEIGHT, name);
        }
        try (Stream<Path> files = Files.list(report)) {
            assertEquals(images.size() + 1, files.count(), "the page and its images, nothing else");
        }
        assertFalse(html.contains("Not drawn"), html);
        assertTrue(html.contains("<td>topany</td>"), "config excerpt");
        assertTrue(html.contains("<th>controller events</th><td>2</td>"), html);
        assertTrue(html.contains("<tr><td>10</td><td>0</td><td></td><td>[4]</td><td>tokens routed nowhere</td></tr>"), html);
        assertTrue(html.contains("<tr><td>20</td><td>1</td><td>[1]</td><td></td><td>expert &lt;1&gt; unused</td></tr>"), html);
        assertTrue(html.contains("Mean seconds per step in each stage"), "stacked by stage");
    }

    @Test
    void readsBackWhatTheWriterWrote(@TempDir Path dir) throws IOException {
        SyntheticRun.write(dir.toUri().toString(), true);
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(dir.toUri());
        RunLog run = RunLog.read(p.getFileSystem(new Configuration()), p);
        assertEquals(SyntheticRun.STEPS, run.steps().size());
        assertEquals(3, run.validations().size());
        assertEquals(2, run.events().size());
        StepRecord last = run.steps().get(SyntheticRun.STEPS - 1);
        assertEquals(List.of(5, 3), List.of(last.experts()[0], last.experts()[1]));
        assertEquals(List.of(0, 2, 3), java.util.Arrays.stream(last.expertIds()[1]).boxed().toList());
        assertEquals(SyntheticRun.TOKENS, java.util.Arrays.stream(last.activeHistogram()[0]).sum());
        assertEquals(List.of("dense_compute", "dispatch_shuffle", "expert_compute"), List.copyOf(last.stageSeconds().keySet()));
        assertTrue(run.notes().isEmpty());
    }

    /** A metrics file from before active_histogram, expert_ids and stage_seconds, and no events file. */
    @Test
    void olderMetricsStillRender(@TempDir Path dir) throws IOException {
        StringBuilder lines = new StringBuilder();
        for (int step = 0; step < 12; step++) {
            lines.append("{\"step\":").append(step).append(",\"loss\":").append(4.0 - 0.1 * step)
                    .append(",\"aux_loss\":0.01,\"lr\":0.001,\"grad_norm\":1.0,\"tokens\":256,\"seconds\":0.5,\"tokens_per_s\":512.0,")
                    .append("\"experts\":[3],\"active_per_token\":[1.5],\"dropped\":[0],\"unrouted\":[2],")
                    .append("\"tokens_per_expert\":[[200,100,84]]}\n");
        }
        Files.writeString(dir.resolve("metrics.jsonl"), lines);
        write(dir);
        String html = Files.readString(dir.resolve("report/report.html"));
        assertEquals(List.of("loss.png", "experts.png", "active_mean.png", "expert_load_layer0.png", "step_time.png"), images(html));
        assertTrue(html.contains("Not drawn: This metrics.jsonl predates active_histogram"), html);
        assertTrue(html.contains("no stage_seconds"), html);
        assertTrue(html.contains("no config.conf"), html);
        assertTrue(html.contains("<h2>Controller events</h2>\n<p>None.</p>"), html);
    }

    @Test
    void aCorruptLineNamesTheFileAndTheLine(@TempDir Path dir) throws IOException {
        SyntheticRun.write(dir.toUri().toString(), false);
        List<String> lines = Files.readAllLines(dir.resolve("metrics.jsonl"));
        lines.set(4, lines.get(4).substring(0, 40));
        Files.write(dir.resolve("metrics.jsonl"), lines);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> write(dir));
        assertTrue(e.getMessage().contains("metrics.jsonl line 5: not JSON"), e.getMessage());

        Files.writeString(dir.resolve("metrics.jsonl"), "{\"step\":0,\"loss\":\"high\",\"tokens\":8,\"seconds\":1,"
                + "\"experts\":[],\"active_per_token\":[],\"tokens_per_expert\":[]}\n{\"step\":1}\n");
        e = assertThrows(IllegalArgumentException.class, () -> write(dir));
        assertTrue(e.getMessage().contains("metrics.jsonl line 1: \"loss\" must be a number, got \"high\""), e.getMessage());

        SyntheticRun.write(dir.toUri().toString(), false);
        Files.writeString(dir.resolve("events.jsonl"), "\n{\"step\":3,\"layer\":0,\"removed\":[],\"added\":[\"x\"]}\n");
        e = assertThrows(IllegalArgumentException.class, () -> write(dir));
        assertTrue(e.getMessage().contains("events.jsonl line 2: \"added\"[0] must be a whole number"), e.getMessage());
    }

    /** A run killed mid-write leaves an unterminated last line: dropped with a note, not an error. */
    @Test
    void anUnterminatedLastLineIsLeftOutWithANote(@TempDir Path dir) throws IOException {
        SyntheticRun.write(dir.toUri().toString(), false);
        Files.writeString(dir.resolve("metrics.jsonl"), "{\"step\":30,\"loss\":1.", java.nio.file.StandardOpenOption.APPEND);
        write(dir);
        String html = Files.readString(dir.resolve("report/report.html"));
        assertTrue(html.contains("last line of metrics.jsonl was incomplete"), html);
        assertTrue(html.contains("no stage_seconds"), "no breakdown without stages");

        // A complete last line without its newline (written, not yet terminated) is read; so is
        // a non-finite number as Jackson writes it (a string).
        List<String> lines = new java.util.ArrayList<>(Files.readAllLines(dir.resolve("metrics.jsonl")));
        lines.remove(lines.size() - 1);   // the fragment
        String step29 = lines.get(lines.size() - 2);
        assertTrue(step29.startsWith("{\"step\":29,\"loss\":"), step29);
        String step30 = step29.replaceFirst("\"loss\":[0-9.E-]+", "\"loss\":\"NaN\"").replace("\"step\":29", "\"step\":30");
        Files.writeString(dir.resolve("metrics.jsonl"), String.join("\n", lines) + "\n" + step30);
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(dir.toUri());
        RunLog run = RunLog.read(RunReport.withoutChecksums(p.getFileSystem(new Configuration())), p);
        assertEquals(SyntheticRun.STEPS + 1, run.steps().size(), "the unterminated complete line counts");
        assertTrue(Double.isNaN(run.steps().get(SyntheticRun.STEPS).loss()));
        assertTrue(run.notes().isEmpty());
    }

    @Test
    void aDirectoryWithoutMetricsIsAnError(@TempDir Path dir) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> write(dir));
        assertTrue(e.getMessage().startsWith("no metrics.jsonl in "), e.getMessage());
    }
}
