package dev.sparkmoe.driver.report;

import org.knowm.xchart.internal.chartpart.Chart;

/**
 * One chart of the report, or the note that says why it was left out (a metrics file from
 * before the field it needs, a run without MoE layers).
 *
 * @param title   heading in the report
 * @param file    image file name inside the report folder; null when skipped
 * @param chart   the chart to render; null when skipped
 * @param caption what the chart shows, or why it is missing
 */
record Figure(String title, String file, Chart<?, ?> chart, String caption) {

    /** A chart to render into {@code file}. */
    static Figure of(String title, String file, Chart<?, ?> chart, String caption) {
        return new Figure(title, file, chart, caption);
    }

    /** A chart left out, with the reason. */
    static Figure skipped(String title, String why) {
        return new Figure(title, null, null, why);
    }

    boolean rendered() { return chart != null; }
}
