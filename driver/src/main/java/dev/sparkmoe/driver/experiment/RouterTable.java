package dev.sparkmoe.driver.experiment;

import dev.sparkmoe.driver.report.Charts;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The router comparison as Markdown tables (per task, one row per router: its score, mean
 * activated experts per token, final experts per layer and step time) and one bar chart per
 * measure, routers side by side.
 */
final class RouterTable {
    /** The tasks in column order and how each score reads. */
    record Task(String key, String title, String scoreName, String scoreFormat) {}

    private final List<Task> tasks;
    private final Map<String, Map<String, TaskSummary>> rows = new LinkedHashMap<>();   // router → task → summary

    RouterTable(List<Task> tasks) { this.tasks = tasks; }

    void add(String router, String task, TaskSummary summary) {
        rows.computeIfAbsent(router, r -> new LinkedHashMap<>()).put(task, summary);
    }

    /** One table per task: a row per router with its score, experts per token, final experts per layer and step time. */
    String markdown() {
        StringBuilder md = new StringBuilder();
        for (Task t : tasks) {
            md.append("## ").append(t.title()).append("\n\n");
            md.append("| Router | ").append(t.scoreName()).append(" | experts/token | experts per layer (final) | s/step |\n");
            md.append("|---|---:|---:|---:|---:|\n");
            for (Map.Entry<String, Map<String, TaskSummary>> row : rows.entrySet()) {
                TaskSummary s = row.getValue().get(t.key());
                if (s == null) {
                    md.append("| ").append(row.getKey()).append(" | – | – | – | – |\n");
                    continue;
                }
                md.append("| ").append(row.getKey()).append(" | ").append(f(t.scoreFormat(), s.score())).append(" | ")
                        .append(f("%.2f", s.activePerToken())).append(" | ").append(s.experts()).append(" | ")
                        .append(f("%.3f", s.stepSeconds())).append(" |\n");
            }
            md.append('\n');
        }
        return md.toString();
    }

    /** PNG bytes per file name: each task's score, activated experts per token, and step time by router. */
    Map<String, byte[]> charts() throws IOException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        out.put("routers-score.png", chart("Score by router", "score", s -> s.score(), true));
        out.put("routers-experts-per-token.png", chart("Activated experts per token", "experts per token",
                TaskSummary::activePerToken, false));
        out.put("routers-step-time.png", chart("Training step time", "seconds per step", TaskSummary::stepSeconds, false));
        return out;
    }

    private byte[] chart(String title, String yTitle, java.util.function.ToDoubleFunction<TaskSummary> value,
                         boolean scoreNames) throws IOException {
        CategoryChart c = Charts.category(title, "router", yTitle);
        List<String> routers = new ArrayList<>(rows.keySet());
        for (Task t : tasks) {
            List<Double> ys = new ArrayList<>();
            for (String r : routers) {
                TaskSummary s = rows.get(r).get(t.key());
                ys.add(s == null || !Double.isFinite(value.applyAsDouble(s)) ? 0.0 : value.applyAsDouble(s));
            }
            c.addSeries(scoreNames ? t.title() + " (" + t.scoreName() + ")" : t.title(), routers, ys);
        }
        return BitmapEncoder.getBitmapBytes(c, BitmapEncoder.BitmapFormat.PNG);
    }

    private static String f(String format, double v) { return String.format(Locale.ROOT, format, v); }
}
