package dev.sparkmoe.driver.report;

import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.knowm.xchart.style.theme.XChartTheme;

import java.awt.Color;
import java.util.List;

/**
 * The report's common chart look (size, legend, background, step axis), so every chart builder
 * only adds series, and the per-step helpers they share. Sizes are in pixels of the PNG files.
 */
public final class Charts {
    static final int WIDTH = 960;
    static final int HEIGHT = 440;

    private Charts() {}

    /** An empty XY chart with axis titles, legend outside on the right. */
    static XYChart xy(String title, String xTitle, String yTitle) {
        XYChart c = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        c.getStyler().setChartBackgroundColor(Color.WHITE);
        c.getStyler().setPlotGridLinesVisible(true);
        // When all x values of a chart are equally spaced (steps 1..N), XChart 3.8 labels a subset
        // of the data values and underestimates their width: 3-digit step labels run together on
        // long runs. One invisible point (NaN y, not in the legend) off the grid makes it fall back
        // to round tick values (0, 50, 100, ...).
        // It takes the first entry of the colour cycle, so the palette starts with a spare one.
        Color[] palette = new XChartTheme().getSeriesColors();
        Color[] shifted = new Color[palette.length + 1];
        shifted[0] = Color.WHITE;
        System.arraycopy(palette, 0, shifted, 1, palette.length);
        c.getStyler().setSeriesColors(shifted);
        XYSeries anchor = c.addSeries(" ", new double[]{0.5}, new double[]{Double.NaN});
        anchor.setShowInLegend(false);
        anchor.setMarker(SeriesMarkers.NONE);
        return c;
    }

    /** An empty category (bar) chart with axis titles, legend outside on the right. */
    public static CategoryChart category(String title, String xTitle, String yTitle) {
        CategoryChart c = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle)
                .yAxisTitle(yTitle).build();
        c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        c.getStyler().setChartBackgroundColor(Color.WHITE);
        return c;
    }

    /** 1-based step numbers of the records, the x values of every per-step chart. */
    static double[] steps(List<StepRecord> steps) {
        double[] x = new double[steps.size()];
        for (int i = 0; i < x.length; i++) x[i] = steps.get(i).step() + 1;
        return x;
    }

    /** Trailing moving average over {@code window} values (fewer at the start). */
    static double[] smooth(double[] y, int window) {
        double[] out = new double[y.length];
        double sum = 0;
        for (int i = 0; i < y.length; i++) {
            sum += y[i];
            if (i >= window) sum -= y[i - window];
            out[i] = sum / Math.min(i + 1, window);
        }
        return out;
    }

    /** A smoothing window of about a fiftieth of the run, at least 1. */
    static int window(int n) {
        return Math.max(1, n / 50);
    }
}
