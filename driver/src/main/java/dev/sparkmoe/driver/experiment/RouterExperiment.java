package dev.sparkmoe.driver.experiment;

import dev.sparkmoe.driver.config.JobConfig;
import dev.sparkmoe.driver.run.LanguageModelJob;
import dev.sparkmoe.driver.run.RunFiles;
import dev.sparkmoe.driver.run.domainbed.DomainBedJob;
import dev.sparkmoe.driver.run.glue.GlueFinetuneJob;
import dev.sparkmoe.driver.run.glue.GlueOutputs;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The router comparison: for each {@link RouterVariant}, (a) a language model on the embedded
 * WikiText-layout corpus (validation perplexity), (b) the CoLA-format task fine-tuned from that
 * language model (dev Matthews correlation of the model selected on dev), and (c) RotatedDigits
 * leave-one-domain-out (mean test-domain accuracy under training-domain validation). Every run
 * is the real job on the configured engine, in its own run directory under the experiment's;
 * the table ({@code routers.md}) and charts ({@code routers-*.png}) are written at the end.
 */
public final class RouterExperiment {
    static final List<RouterTable.Task> TASKS = List.of(
            new RouterTable.Task("lm", "WikiText-layout LM", "valid. perplexity", "%.1f"),
            new RouterTable.Task("cola", "CoLA-format", "dev MCC", "%.3f"),
            new RouterTable.Task("digits", "RotatedDigits LODO", "test acc.", "%.3f"));

    private final File confDir;
    private final String dir;
    private final List<String> overrides;
    private final List<RouterVariant> variants;
    private final PrintStream out;
    private final Configuration hadoop = new Configuration();

    /**
     * @param confDir   the folder of {@code lm.conf}, {@code cola.conf} and {@code digits.conf}
     * @param dir       the experiment's directory (any Hadoop path)
     * @param overrides {@code key=value} overrides applied to every run (e.g. {@code engine.kind=single})
     */
    public RouterExperiment(File confDir, String dir, List<String> overrides, List<RouterVariant> variants, PrintStream out) {
        this.confDir = confDir;
        this.dir = dir;
        this.overrides = List.copyOf(overrides);
        this.variants = List.copyOf(variants);
        this.out = out;
    }

    /** Runs every router on every task; returns the Markdown table (also in {@code routers.md}). */
    public String run() {
        RouterTable table = new RouterTable(TASKS);
        for (RouterVariant v : variants) {
            long start = System.nanoTime();
            out.printf(Locale.ROOT, "== %s%n", v.name());
            String base = new Path(dir, v.slug()).toString();

            LanguageModelJob.Result lm = new LanguageModelJob(config("lm.conf", v, base + "/lm"), out).run();
            table.add(v.name(), "lm", TaskSummary.of(Math.exp(lm.validLoss()), List.of(lm.runDir()), hadoop));

            GlueOutputs.Result cola = new GlueFinetuneJob(config("cola.conf", v, base + "/cola",
                    "glue.pretrained=\"" + lm.runDir() + "\""), out).run();
            table.add(v.name(), "cola", TaskSummary.of(mcc(cola.devMetrics()), List.of(cola.runDir()), hadoop));

            DomainBedJob.Result digits = new DomainBedJob(config("digits.conf", v, base + "/digits"), out).run();
            table.add(v.name(), "digits", TaskSummary.of(digits.average(), envRuns(digits.runDir()), hadoop));
            out.printf(Locale.ROOT, "== %s done in %.0f s%n", v.name(), (System.nanoTime() - start) / 1e9);
            write(table);   // after every router, so a stopped experiment keeps what it measured
        }
        return table.markdown();
    }

    private JobConfig config(String file, RouterVariant v, String runDir, String... extra) {
        List<String> all = new ArrayList<>(v.overrides());
        all.addAll(overrides);
        all.add("run.dir=\"" + runDir + "\"");
        all.addAll(List.of(extra));
        return JobConfig.load(new File(confDir, file), all);
    }

    /** The dev Matthews correlation among the fine-tuning job's dev metrics. */
    private static double mcc(Map<String, Double> devMetrics) {
        for (Map.Entry<String, Double> e : devMetrics.entrySet()) if (e.getKey().contains("mcc")) return e.getValue();
        throw new IllegalStateException("no Matthews correlation among the dev metrics " + devMetrics.keySet());
    }

    /** The per-test-domain run directories ({@code env<d>}) of a DomainBed sweep. */
    private List<String> envRuns(String runDir) {
        try {
            Path root = new Path(runDir);
            FileSystem fs = root.getFileSystem(hadoop);
            List<String> runs = new ArrayList<>();
            for (FileStatus s : fs.listStatus(root)) {
                if (s.isDirectory() && s.getPath().getName().startsWith("env")) runs.add(s.getPath().toString());
            }
            runs.sort(null);
            return runs;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + runDir + ": " + e.getMessage(), e);
        }
    }

    private void write(RouterTable table) {
        Path root = new Path(dir);
        RunFiles.writeText(new Path(root, "routers.md"), "# Router comparison\n\n" + table.markdown(), hadoop);
        try {
            for (Map.Entry<String, byte[]> c : table.charts().entrySet()) RunFiles.write(new Path(root, c.getKey()), c.getValue(), hadoop);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot draw the experiment's charts for " + dir + ": " + e.getMessage(), e);
        }
    }
}
