package dev.sparkmoe.driver.report;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The report's header: a few configuration keys, the final train and validation loss, the
 * throughput and the number of controller events, as (label, value) rows.
 *
 * @param rows label and value, in display order
 */
record RunSummary(List<String[]> rows) {

    static RunSummary of(RunLog run) {
        List<String[]> rows = new ArrayList<>();
        config(run.configText(), rows);
        List<StepRecord> steps = run.steps();
        if (!steps.isEmpty()) {
            StepRecord last = steps.get(steps.size() - 1);
            rows.add(row("steps recorded", steps.size() + " (last: step " + (last.step() + 1) + ")"));
            int w = Charts.window(steps.size());
            double tail = steps.subList(steps.size() - w, steps.size()).stream().mapToDouble(StepRecord::loss).average().orElse(Double.NaN);
            rows.add(row("final train loss", f("%.4f", last.loss()) + (w > 1 ? f(" (mean of the last %d steps %.4f)", w, tail) : "")));
            rows.add(row("throughput", throughput(steps)));
            rows.add(row("wall time in steps", f("%.1f s", steps.stream().mapToDouble(StepRecord::seconds).sum())));
            if (last.layers() > 0) {
                rows.add(row("final experts per layer", layers(java.util.Arrays.stream(last.experts()).mapToObj(Integer::toString).toList())));
                rows.add(row("final activated experts per token", layers(java.util.Arrays.stream(last.activePerToken()).mapToObj(x -> f("%.2f", x)).toList())));
            }
        }
        if (!run.validations().isEmpty()) {
            ValidationRecord v = run.validations().get(run.validations().size() - 1);
            rows.add(row("final validation loss", f("%.4f (perplexity %.1f) after step %d", v.loss(), Math.exp(v.loss()), v.step() + 1)
                    + (Double.isNaN(v.unigram()) ? "" : f("; unigram baseline %.4f", v.unigram()))));
        }
        rows.add(row("controller events", Integer.toString(run.events().size())));
        return new RunSummary(rows);
    }

    /** Tokens per second over all steps but the first, which carries the JIT and allocation warm-up. */
    private static String throughput(List<StepRecord> steps) {
        List<StepRecord> timed = steps.size() > 1 ? steps.subList(1, steps.size()) : steps;
        double seconds = timed.stream().mapToDouble(StepRecord::seconds).sum();
        long tokens = timed.stream().mapToLong(StepRecord::tokens).sum();
        if (seconds <= 0) return "n/a";
        return f("%,.0f tokens/s", tokens / seconds) + (steps.size() > 1 ? " (steps after the first)" : "");
    }

    private static void config(String text, List<String[]> rows) {
        if (text == null) {
            rows.add(row("configuration", "no config.conf in the run directory"));
            return;
        }
        Config c;
        try {
            Config parsed = ConfigFactory.parseString(text);
            c = parsed.hasPath("spark-moe") ? parsed.getConfig("spark-moe") : parsed;
        } catch (ConfigException e) {
            rows.add(row("configuration", "config.conf does not parse: " + e.getMessage()));
            return;
        }
        add(rows, c, "router", "router.kind");
        String model = List.of("dModel", "heads", "blocks", "moeBlocks", "experts", "ffnDim", "expertFfnDim", "seqLen").stream()
                .filter(k -> c.hasPath("model." + k)).map(k -> k + "=" + value(c, "model." + k)).collect(Collectors.joining(", "));
        if (!model.isEmpty()) rows.add(row("model", model));
        String train = List.of("steps", "batchSize").stream().filter(k -> c.hasPath("train." + k))
                .map(k -> k + "=" + value(c, "train." + k)).collect(Collectors.joining(", "));
        if (!train.isEmpty()) rows.add(row("train", train));
        if (c.hasPath("controller.enabled")) {
            boolean on = c.getBoolean("controller.enabled");
            rows.add(row("controller", on && c.hasPath("controller.maxExperts") && c.hasPath("controller.minExperts")
                    ? f("enabled, %s..%s experts", value(c, "controller.minExperts"), value(c, "controller.maxExperts"))
                    : on ? "enabled" : "disabled"));
        }
    }

    private static void add(List<String[]> rows, Config c, String label, String key) {
        if (c.hasPath(key)) rows.add(row(label, value(c, key)));
    }

    private static String value(Config c, String key) {
        Object v = c.getValue(key).unwrapped();
        return v instanceof List<?> l ? l.toString() : String.valueOf(v);
    }

    /** Per-layer values as {@code 4 / 6}. */
    private static String layers(List<String> values) {
        return String.join(" / ", values);
    }

    private static String[] row(String label, String value) { return new String[]{label, value}; }

    private static String f(String format, Object... args) { return String.format(Locale.ROOT, format, args); }
}
