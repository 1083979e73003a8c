package dev.sparkmoe.driver.run.domainbed;

import dev.sparkmoe.data.domainbed.DomainImages;
import dev.sparkmoe.data.domainbed.LodoSplit;
import dev.sparkmoe.driver.checkpoint.CheckpointStore;
import dev.sparkmoe.driver.checkpoint.LatestCheckpoint;
import dev.sparkmoe.driver.config.JobConfig;
import dev.sparkmoe.driver.engine.ExampleStepBatches;
import dev.sparkmoe.driver.engine.ShippedExamples;
import dev.sparkmoe.driver.run.RunConfigs;
import dev.sparkmoe.driver.run.Training;
import dev.sparkmoe.driver.run.Trainings;
import dev.sparkmoe.worker.model.ModelConfig;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Batch evaluation of a finished DomainBed sweep: for every tested domain ({@code env<d>/}), the
 * checkpoint its training-domain selection kept is evaluated on the training domains' held-out
 * splits and on the test domain, on the Spark engine (or in one process, as the run's
 * {@code engine.kind} says). Writes {@code <run>/eval.json} and prints the test-domain accuracies;
 * with the run's engine settings they equal the sweep's {@code results.json}. Driver side.
 */
public final class DomainBedEvalJob {
    private final String runDir;
    private final List<String> overrides;
    private final PrintStream out;
    private final Configuration hadoop = new Configuration();

    /**
     * @param runDir    the sweep's run directory (any Hadoop path)
     * @param overrides {@code key=value} overrides of its saved configuration (e.g. {@code domainbed.dir})
     */
    public DomainBedEvalJob(String runDir, List<String> overrides, PrintStream out) {
        this.runDir = runDir;
        this.overrides = List.copyOf(overrides);
        this.out = out;
    }

    /** Whether {@code runDir} is a finished DomainBed sweep (its configuration and results are there). */
    public static boolean isDomainBedRun(String runDir, Configuration hadoop) {
        try {
            Path root = new Path(runDir);
            FileSystem fs = root.getFileSystem(hadoop);
            return fs.exists(new Path(root, "results.json")) && fs.exists(new Path(root, "config.conf"));
        } catch (IOException e) {
            return false;
        }
    }

    /** Evaluates every tested domain's selected checkpoint; returns the test-domain accuracies. */
    public DomainBedJob.Result run() {
        JobConfig config = RunConfigs.load(new Path(runDir, "config.conf").toString(), overrides, hadoop);
        DomainImages images;
        try {
            images = DomainBedJob.load(config, hadoop);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load " + config.domainbed().dataset() + ": " + e.getMessage(), e);
        }
        ModelConfig model = DomainBedJob.model(config, images);
        DomainBedExamples examples = DomainBedExamples.of(images, model.maxSeqLen());
        Map<Integer, Double> accuracies = new LinkedHashMap<>();
        List<Map<String, Object>> records = new ArrayList<>();
        JavaSparkContext sc = Trainings.context(config, "spark-moe eval domainbed " + images.name());
        try (ShippedExamples shipped = new ShippedExamples(sc, examples.set())) {
            for (Map.Entry<Integer, String> env : testedDomains().entrySet()) {
                int d = env.getKey();
                JobConfig job = DomainBedJob.forDomain(config, d);
                LodoSplit split = DomainBedJob.split(config, images, d);
                HeldOutEvaluation heldOut = DomainBedJob.heldOut(job, examples, split, images.classes().size());
                LatestCheckpoint selected = selected(job, env.getValue());
                long step = selected.state().step();
                HeldOutEvaluation.Scored scored = evaluate(shipped, job, model, heldOut, selected);
                accuracies.put(d, scored.counts().testAccuracy());
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("test_domain", d);
                r.put("domain", images.domains().get(d));
                r.put("checkpoint_step", step);
                r.put("val_accuracy", scored.counts().valAccuracy());
                r.put("test_accuracy", scored.counts().testAccuracy());
                records.add(r);
                out.printf(Locale.ROOT, "test domain %d (%s): checkpoint after step %d, val accuracy %.1f%%, test accuracy %.1f%%%n",
                        d, images.domains().get(d), step, 100 * scored.counts().valAccuracy(), 100 * scored.counts().testAccuracy());
            }
        } finally {
            if (sc != null) sc.stop();
        }
        double average = accuracies.values().stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("dataset", images.name());
        json.put("domains", records);
        json.put("average_test_accuracy", average);
        DomainBedResults.writeText(runDir, hadoop, "eval.json", DomainBedResults.json(json));
        out.printf(Locale.ROOT, "done: average test-domain accuracy %.1f%% over %d domains; %s/eval.json%n",
                100 * average, accuracies.size(), runDir);
        return new DomainBedJob.Result(accuracies, average, runDir);
    }

    /** The sweep's {@code env<d>} directories by domain. */
    private Map<Integer, String> testedDomains() {
        try {
            Path root = new Path(runDir);
            Map<Integer, String> envs = new TreeMap<>();
            for (FileStatus s : root.getFileSystem(hadoop).listStatus(root)) {
                String name = s.getPath().getName();
                if (s.isDirectory() && name.matches("env[0-9]+")) envs.put(Integer.parseInt(name.substring(3)), s.getPath().toString());
            }
            if (envs.isEmpty()) throw new IllegalArgumentException(runDir + ": no env<d> directories: not a DomainBed sweep");
            return envs;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + runDir + ": " + e.getMessage(), e);
        }
    }

    /** The newest complete checkpoint of {@code env}: the sweep saves one each time the held-out accuracy improves. */
    private LatestCheckpoint selected(JobConfig job, String env) {
        LatestCheckpoint latest = new CheckpointStore(env, hadoop, job.renderForCheckpoint(), job.checkpoint()).latest(true);
        for (LatestCheckpoint.Skipped s : latest.skipped()) {
            out.printf(Locale.ROOT, "warning: skipped checkpoint %s: %s%n", s.location(), s.reason());
        }
        if (!latest.found()) throw new IllegalArgumentException(env + ": no complete checkpoint (a sweep from before eval existed?)");
        return latest;
    }

    private HeldOutEvaluation.Scored evaluate(ShippedExamples shipped, JobConfig job, ModelConfig model,
                                              HeldOutEvaluation heldOut, LatestCheckpoint selected) {
        // The engine wants training batches; none are stepped, so the evaluation's serve.
        ExampleStepBatches idle = new ExampleStepBatches(null, shipped.set(), 1, heldOut.chooser());
        try (Training training = Trainings.start(job, model, selected.state(), shipped.sparkContext(),
                (ctx, partitions) -> new ExampleStepBatches(shipped, partitions, heldOut.chooser()), idle::reference)) {
            ExampleStepBatches batches = new ExampleStepBatches(shipped, training.dataPartitions(), heldOut.chooser());
            return heldOut.score(selected.state().step() - 1, training.evaluate(batches, heldOut.batches()));
        }
    }
}
