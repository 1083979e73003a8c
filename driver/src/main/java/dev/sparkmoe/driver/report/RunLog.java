package dev.sparkmoe.driver.report;

import dev.sparkmoe.driver.run.JsonLines;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sparkmoe.worker.train.ControllerEvent;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything a run directory recorded, read back through Hadoop's FileSystem: the step and
 * validation lines of {@code metrics.jsonl}, the controller events of {@code events.jsonl}
 * (absent in runs without a controller: no events) and the text of {@code config.conf} (null
 * when absent). Driver side only.
 *
 * @param notes what was incomplete, in words, for the report to show
 */
public record RunLog(List<StepRecord> steps, List<ValidationRecord> validations, List<ControllerEvent> events,
                     String configText, List<String> notes) {

    /**
     * Reads the run directory {@code dir}.
     *
     * @throws IllegalArgumentException when {@code metrics.jsonl} is missing, or a line of it or
     *                                  of {@code events.jsonl} is corrupt (naming file and line)
     * @throws IOException              when a file cannot be read
     */
    public static RunLog read(FileSystem fs, Path dir) throws IOException {
        Path metricsFile = new Path(dir, "metrics.jsonl");
        if (!fs.exists(metricsFile)) throw new IllegalArgumentException("no metrics.jsonl in " + fs.makeQualified(dir));
        List<String> notes = new ArrayList<>();
        JsonLines.Result<Object> metrics = JsonLines.read(fs, metricsFile, RunLog::metricLine);
        if (metrics.truncated()) notes.add("the last line of metrics.jsonl was incomplete (run interrupted?) and is left out");
        List<StepRecord> steps = new ArrayList<>();
        List<ValidationRecord> validations = new ArrayList<>();
        for (Object o : metrics.values()) {
            if (o instanceof StepRecord s) steps.add(s);
            else validations.add((ValidationRecord) o);
        }
        List<ControllerEvent> events = List.of();
        Path eventsFile = new Path(dir, "events.jsonl");
        if (fs.exists(eventsFile)) {
            JsonLines.Result<ControllerEvent> e = JsonLines.read(fs, eventsFile, RunLog::event);
            if (e.truncated()) notes.add("the last line of events.jsonl was incomplete and is left out");
            events = e.values();
        }
        return new RunLog(steps, validations, events, text(fs, new Path(dir, "config.conf")), notes);
    }

    private static Object metricLine(JsonNode n) {
        if (n.has("valid_loss")) {
            return new ValidationRecord(JsonLines.whole(n, "step"), JsonLines.number(n, "valid_loss"),
                    JsonLines.optionalNumber(n, "unigram_loss"));
        }
        int[] experts = ints(JsonLines.wholes(n, "experts"));
        int m = experts.length;
        double[] active = JsonLines.numbers(n, "active_per_token", false);
        long[][] perExpert = JsonLines.wholeMatrix(n, "tokens_per_expert", false);
        long[][] ids = JsonLines.wholeMatrix(n, "expert_ids", true);
        long[][] histogram = JsonLines.wholeMatrix(n, "active_histogram", true);
        checkLayers("active_per_token", active.length, m);
        checkLayers("tokens_per_expert", perExpert.length, m);
        if (ids != null) checkLayers("expert_ids", ids.length, m);
        if (histogram != null) checkLayers("active_histogram", histogram.length, m);
        for (int l = 0; l < m; l++) {
            checkSlots("tokens_per_expert", l, perExpert[l].length, experts[l]);
            if (ids != null) checkSlots("expert_ids", l, ids[l].length, experts[l]);
        }
        return new StepRecord(JsonLines.whole(n, "step"), JsonLines.number(n, "loss"), JsonLines.whole(n, "tokens"),
                JsonLines.number(n, "seconds"), experts, active, perExpert, ids == null ? null : intRows(ids), histogram,
                stages(n));
    }

    private static Map<String, Double> stages(JsonNode n) {
        JsonNode s = n.get("stage_seconds");
        if (s == null || s.isNull()) return null;
        if (!s.isObject()) throw new IllegalArgumentException("\"stage_seconds\" must be an object, got " + s);
        Map<String, Double> out = new LinkedHashMap<>();
        for (Iterator<String> it = s.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            out.put(name, JsonLines.number(s, name));
        }
        return out;
    }

    private static ControllerEvent event(JsonNode n) {
        JsonNode reason = n.get("reason");
        return new ControllerEvent(JsonLines.whole(n, "step"), Math.toIntExact(JsonLines.whole(n, "layer")),
                ints(JsonLines.wholes(n, "removed")), ints(JsonLines.wholes(n, "added")),
                reason == null || reason.isNull() ? "" : reason.asText());
    }

    private static void checkLayers(String field, int got, int layers) {
        if (got != layers) {
            throw new IllegalArgumentException("\"" + field + "\" has " + got + " layers but \"experts\" has " + layers);
        }
    }

    private static void checkSlots(String field, int layer, int got, int experts) {
        if (got != experts) {
            throw new IllegalArgumentException("\"" + field + "\"[" + layer + "] has " + got + " entries for " + experts + " experts");
        }
    }

    private static int[] ints(long[] v) {
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) out[i] = Math.toIntExact(v[i]);
        return out;
    }

    private static int[][] intRows(long[][] v) {
        int[][] out = new int[v.length][];
        for (int i = 0; i < v.length; i++) out[i] = ints(v[i]);
        return out;
    }

    private static String text(FileSystem fs, Path file) throws IOException {
        if (!fs.exists(file)) return null;
        try (FSDataInputStream in = fs.open(file)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
