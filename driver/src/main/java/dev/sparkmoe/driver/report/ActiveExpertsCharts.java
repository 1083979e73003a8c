package dev.sparkmoe.driver.report;

import dev.sparkmoe.worker.train.LayerStats;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.util.ArrayList;
import java.util.List;

/**
 * Chart (c): how many experts each token activated — the distribution summed over the run
 * (from {@code active_histogram}) and the mean per token over the steps (from
 * {@code active_per_token}, present in every metrics file).
 */
final class ActiveExpertsCharts {
    private ActiveExpertsCharts() {}

    /** Share of tokens with 0, 1, 2, ... kept experts, per layer, over every step that recorded it. */
    static Figure histogram(RunLog run) {
        String title = "Activated experts per token";
        List<StepRecord> steps = run.steps();
        int layers = steps.isEmpty() ? 0 : steps.get(0).layers();
        if (layers == 0) return Figure.skipped(title, steps.isEmpty() ? "No step was recorded." : "The model has no MoE layer.");
        long[][] sum = new long[layers][];
        int recorded = 0;
        for (StepRecord s : steps) {
            if (s.activeHistogram() == null || s.layers() != layers) continue;
            recorded++;
            for (int l = 0; l < layers; l++) sum[l] = LayerStats.addHistograms(sum[l], s.activeHistogram()[l]);
        }
        if (recorded == 0) {
            return Figure.skipped(title, "This metrics.jsonl predates active_histogram; the mean per token is charted below.");
        }
        int bins = 0;
        for (long[] h : sum) bins = Math.max(bins, h.length);
        List<String> x = new ArrayList<>();
        for (int k = 0; k < bins; k++) x.add(Integer.toString(k));
        CategoryChart c = Charts.category(title, "kept experts per token", "share of tokens (%)");
        for (int l = 0; l < layers; l++) {
            long total = 0;
            for (long v : sum[l]) total += v;
            List<Double> y = new ArrayList<>();
            for (int k = 0; k < bins; k++) y.add(total == 0 || k >= sum[l].length ? 0.0 : 100.0 * sum[l][k] / total);
            c.addSeries("layer " + l, x, y);
        }
        String caption = "Tokens by the number of experts they were kept on, summed over " + recorded + " of "
                + steps.size() + " steps; 0 means routed nowhere (or every assignment dropped by capacity).";
        return Figure.of(title, "active_histogram.png", c, caption);
    }

    /** Mean kept experts per token, per layer, over the steps. */
    static Figure mean(RunLog run) {
        String title = "Mean activated experts per token";
        List<StepRecord> steps = run.steps();
        int layers = steps.isEmpty() ? 0 : steps.get(0).layers();
        if (layers == 0) return Figure.skipped(title, steps.isEmpty() ? "No step was recorded." : "The model has no MoE layer.");
        XYChart c = Charts.xy(title, "step", "experts per token");
        double[] x = Charts.steps(steps);
        for (int l = 0; l < layers; l++) {
            int layer = l;
            double[] y = steps.stream().mapToDouble(s -> layer < s.layers() ? s.activePerToken()[layer] : Double.NaN).toArray();
            XYSeries s = c.addSeries("layer " + l, x, y);
            s.setMarker(SeriesMarkers.NONE);
        }
        return Figure.of(title, "active_mean.png", c, "Kept (token, expert) assignments per non-padding token, each step.");
    }
}
