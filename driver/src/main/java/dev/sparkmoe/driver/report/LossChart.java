package dev.sparkmoe.driver.report;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.Color;
import java.util.List;

/** Chart (a): train loss per step, raw and smoothed, validation points and the unigram baseline. */
final class LossChart {
    private LossChart() {}

    static Figure build(RunLog run) {
        String title = "Loss";
        List<StepRecord> steps = run.steps();
        if (steps.isEmpty()) return Figure.skipped(title, "No step was recorded.");
        XYChart c = Charts.xy(title, "step", "cross-entropy (nats)");
        double[] x = Charts.steps(steps);
        double[] loss = steps.stream().mapToDouble(StepRecord::loss).toArray();
        int w = Charts.window(loss.length);
        XYSeries raw = c.addSeries("train", x, loss);
        raw.setMarker(SeriesMarkers.NONE);
        raw.setLineColor(new Color(160, 190, 230));
        raw.setLineWidth(1f);
        if (w > 1) {
            XYSeries smooth = c.addSeries("train, mean of " + w, x, Charts.smooth(loss, w));
            smooth.setMarker(SeriesMarkers.NONE);
            smooth.setLineColor(new Color(31, 90, 180));
            smooth.setLineWidth(2f);
        } else {
            raw.setLineColor(new Color(31, 90, 180));
        }
        List<ValidationRecord> valid = run.validations();
        if (!valid.isEmpty()) {
            double[] vx = valid.stream().mapToDouble(v -> v.step() + 1).toArray();
            XYSeries v = c.addSeries("validation", vx, valid.stream().mapToDouble(ValidationRecord::loss).toArray());
            v.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            v.setMarker(SeriesMarkers.DIAMOND);
            v.setMarkerColor(new Color(210, 60, 40));
            double unigram = valid.get(valid.size() - 1).unigram();
            if (!Double.isNaN(unigram)) {
                XYSeries u = c.addSeries("unigram baseline", new double[]{x[0], x[x.length - 1]}, new double[]{unigram, unigram});
                u.setMarker(SeriesMarkers.NONE);
                u.setLineStyle(SeriesLines.DASH_DASH);
                u.setLineColor(Color.GRAY);
            }
        }
        String caption = (w > 1 ? "Train loss of every step (light), its trailing mean over " + w + " steps (dark)"
                : "Train loss of every step")
                + (valid.isEmpty() ? "; no validation was recorded." : ", validation loss (diamonds)"
                + (Double.isNaN(valid.get(valid.size() - 1).unigram()) ? "." : " and the unigram baseline (dashed)."));
        return Figure.of(title, "loss.png", c, caption);
    }
}
