package dev.sparkmoe.driver.report;

import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.Color;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Chart (e): where step time went. Stacked bars of the mean seconds per step in each stage, per
 * bucket of steps, when the trainer recorded {@code stage_seconds} (the Spark engine); otherwise
 * the total seconds of every step, raw and smoothed.
 */
final class StepTimeChart {
    static final int MAX_BUCKETS = 40;

    private StepTimeChart() {}

    static Figure build(RunLog run) {
        String title = "Step time";
        List<StepRecord> steps = run.steps();
        if (steps.isEmpty()) return Figure.skipped(title, "No step was recorded.");
        Set<String> stages = new LinkedHashSet<>();
        for (StepRecord s : steps) if (s.stageSeconds() != null) stages.addAll(s.stageSeconds().keySet());
        return stages.isEmpty() ? total(steps) : stacked(steps, stages);
    }

    private static Figure stacked(List<StepRecord> steps, Set<String> stages) {
        List<List<StepRecord>> buckets = StepBuckets.of(steps, MAX_BUCKETS);
        CategoryChart c = Charts.category("Step time by stage", "steps from", "seconds per step");
        c.getStyler().setStacked(true);
        c.getStyler().setXAxisLabelRotation(90);
        List<String> x = buckets.stream().map(StepBuckets::label).toList();
        for (String stage : stages) {
            List<Double> y = new ArrayList<>();
            for (List<StepRecord> b : buckets) y.add(mean(b, stage));
            c.addSeries(stage, x, y);
        }
        List<Double> rest = new ArrayList<>();
        boolean anyRest = false;
        for (List<StepRecord> b : buckets) {
            double staged = 0;
            for (String stage : stages) staged += mean(b, stage);
            double other = Math.max(0, b.stream().mapToDouble(StepRecord::seconds).average().orElse(0) - staged);
            anyRest |= other > 0;
            rest.add(other);
        }
        if (anyRest) c.addSeries("other", x, rest).setFillColor(Color.LIGHT_GRAY);
        int size = buckets.get(0).size();
        String caption = "Mean seconds per step in each stage, " + (size == 1 ? "per step" : "per " + size + " steps")
                + (anyRest ? "; \"other\" is the rest of the step's wall time." : ".");
        return Figure.of("Step time", "step_time.png", c, caption);
    }

    private static double mean(List<StepRecord> bucket, String stage) {
        double sum = 0;
        for (StepRecord s : bucket) {
            Map<String, Double> m = s.stageSeconds();
            if (m != null) sum += m.getOrDefault(stage, 0.0);
        }
        return sum / bucket.size();
    }

    private static Figure total(List<StepRecord> steps) {
        XYChart c = Charts.xy("Step time", "step", "seconds");
        double[] x = Charts.steps(steps);
        double[] y = steps.stream().mapToDouble(StepRecord::seconds).toArray();
        int w = Charts.window(y.length);
        XYSeries raw = c.addSeries("step", x, y);
        raw.setMarker(SeriesMarkers.NONE);
        raw.setLineColor(new Color(160, 190, 230));
        if (w > 1) {
            XYSeries smooth = c.addSeries("mean of " + w, x, Charts.smooth(y, w));
            smooth.setMarker(SeriesMarkers.NONE);
            smooth.setLineColor(new Color(31, 90, 180));
        }
        return Figure.of("Step time", "step_time.png", c, "Wall time of every step"
                + (w > 1 ? " and its trailing mean over " + w + " steps" : "")
                + "; this run recorded no stage_seconds, so there is no breakdown by stage.");
    }
}
