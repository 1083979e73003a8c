package dev.sparkmoe.driver.report;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.ChecksumFileSystem;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.knowm.xchart.BitmapEncoder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a run's report: reads {@code metrics.jsonl}, {@code events.jsonl} and
 * {@code config.conf} from the run directory and writes {@code report/report.html} and its PNG
 * charts into the folder {@code report} of the run directory (any Hadoop file system). The
 * folder is replaced as a whole, so a report never mixes charts of two renderings; it holds
 * nothing else, and links its images relatively, so it can be copied anywhere.
 *
 * <p>Runs on the driver, blocking, after (or during) training: the files are flushed line by
 * line, so a report of a running job shows the steps so far. Charts are drawn headless (this
 * class sets {@code java.awt.headless=true} unless the property is already set). Charts whose
 * fields a metrics file predates are left out with a note.
 */
public final class RunReport {
    /** The folder, inside the run directory, that holds the report. */
    public static final String FOLDER = "report";
    /** The page's name inside {@link #FOLDER}. */
    public static final String PAGE = "report.html";

    private RunReport() {}

    /**
     * Writes the report of the run directory {@code runDir}.
     *
     * @return the fully qualified path of {@code report.html}
     * @throws IllegalArgumentException when the run directory has no {@code metrics.jsonl} or a
     *                                  line of it or of {@code events.jsonl} is corrupt (the
     *                                  message names the file and the line)
     * @throws UncheckedIOException     when a file cannot be read or written
     */
    public static String write(String runDir, Configuration hadoop) {
        if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
        Path dir = new Path(runDir);
        try {
            FileSystem fs = withoutChecksums(dir.getFileSystem(hadoop));
            RunLog run = RunLog.read(fs, dir);
            List<Figure> figures = figures(run);
            Path out = new Path(dir, FOLDER);
            fs.delete(out, true);
            fs.mkdirs(out);
            for (Figure f : figures) {
                if (f.rendered()) write(fs, new Path(out, f.file()), BitmapEncoder.getBitmapBytes(f.chart(), BitmapEncoder.BitmapFormat.PNG));
            }
            String html = ReportHtml.render(fs.makeQualified(dir).toString(), RunSummary.of(run), run.notes(), figures,
                    run.events(), run.configText());
            Path page = new Path(out, PAGE);
            write(fs, page, html.getBytes(StandardCharsets.UTF_8));
            return fs.makeQualified(page).toString();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report of " + runDir + ": " + e.getMessage(), e);
        }
    }

    /** The report's figures, in page order. */
    static List<Figure> figures(RunLog run) {
        List<Figure> figures = new ArrayList<>();
        figures.add(LossChart.build(run));
        figures.add(ExpertCountChart.build(run));
        figures.add(ActiveExpertsCharts.histogram(run));
        figures.add(ActiveExpertsCharts.mean(run));
        figures.addAll(ExpertLoadHeatmap.build(run));
        figures.add(StepTimeChart.build(run));
        return figures;
    }

    /**
     * The raw file system under Hadoop's checksummed local one. A run appends its files line by
     * line and may die mid-chunk, leaving a {@code .crc} file that no longer matches, so the
     * report reads the lines unchecked (each is checked by parsing); and it writes without
     * {@code .crc} files, so the report folder holds only what the page links.
     */
    static FileSystem withoutChecksums(FileSystem fs) {
        return fs instanceof ChecksumFileSystem c ? c.getRawFileSystem() : fs;
    }

    private static void write(FileSystem fs, Path file, byte[] bytes) throws IOException {
        try (FSDataOutputStream o = fs.create(file, true)) {
            o.write(bytes);
        }
    }
}
