package dev.sparkmoe.driver.report;

import dev.sparkmoe.worker.train.ControllerEvent;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.Color;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Chart (b): live experts per MoE layer over the steps, with the controller's additions and prunings marked. */
final class ExpertCountChart {
    private ExpertCountChart() {}

    static Figure build(RunLog run) {
        String title = "Experts per layer";
        List<StepRecord> steps = run.steps();
        if (steps.isEmpty()) return Figure.skipped(title, "No step was recorded.");
        int layers = steps.get(0).layers();
        if (layers == 0) return Figure.skipped(title, "The model has no MoE layer.");
        XYChart c = Charts.xy(title, "step", "live experts");
        double[] x = Charts.steps(steps);
        for (int l = 0; l < layers; l++) {
            int layer = l;
            double[] y = steps.stream().mapToDouble(s -> layer < s.layers() ? s.experts()[layer] : Double.NaN).toArray();
            XYSeries s = c.addSeries("layer " + l, x, y);
            s.setMarker(SeriesMarkers.NONE);
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Step);
        }
        Map<Long, StepRecord> byStep = new HashMap<>();
        for (StepRecord s : steps) byStep.put(s.step(), s);
        List<double[]> added = new ArrayList<>();
        List<double[]> pruned = new ArrayList<>();
        for (ControllerEvent e : run.events()) {
            StepRecord before = byStep.get(e.step());
            if (before == null || e.layer() >= before.layers()) continue;
            double after = before.experts()[e.layer()] - e.removed().length + e.added().length;
            // At the first step that ran with the change (1-based e.step() + 2): the corner of the step line.
            if (e.added().length > 0) added.add(new double[]{e.step() + 2, after});
            if (e.removed().length > 0) pruned.add(new double[]{e.step() + 2, after});
        }
        markers(c, "expert added", added, SeriesMarkers.TRIANGLE_UP, new Color(40, 150, 60));
        markers(c, "expert pruned", pruned, SeriesMarkers.TRIANGLE_DOWN, new Color(200, 50, 50));
        String caption = "Live experts of each MoE layer in each step. Triangles mark controller events at the first "
                + "step that ran with the change, at the layer's new expert count: up for additions, down for "
                + "prunings (" + run.events().size() + " events; the table below lists them).";
        return Figure.of(title, "experts.png", c, caption);
    }

    private static void markers(XYChart c, String name, List<double[]> points, org.knowm.xchart.style.markers.Marker marker,
                                Color color) {
        if (points.isEmpty()) return;
        XYSeries s = c.addSeries(name, points.stream().mapToDouble(p -> p[0]).toArray(),
                points.stream().mapToDouble(p -> p[1]).toArray());
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        s.setMarker(marker);
        s.setMarkerColor(color);
    }
}
