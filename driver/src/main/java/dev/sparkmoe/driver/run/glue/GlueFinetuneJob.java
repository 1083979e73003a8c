package dev.sparkmoe.driver.run.glue;

import dev.sparkmoe.data.glue.GlueResults;
import dev.sparkmoe.data.glue.GlueSplit;
import dev.sparkmoe.data.glue.GlueTask;
import dev.sparkmoe.data.glue.GlueTaskData;
import dev.sparkmoe.driver.checkpoint.CheckpointStore;
import dev.sparkmoe.driver.config.GlueSettings;
import dev.sparkmoe.driver.config.JobConfig;
import dev.sparkmoe.driver.engine.ExampleStepBatches;
import dev.sparkmoe.driver.report.RunReport;
import dev.sparkmoe.driver.run.RunDirectory;
import dev.sparkmoe.driver.run.RunFiles;
import dev.sparkmoe.driver.run.StepReporter;
import dev.sparkmoe.driver.run.Training;
import dev.sparkmoe.driver.run.Trainings;
import dev.sparkmoe.worker.model.ModelConfig;
import dev.sparkmoe.worker.state.FineTuning;
import dev.sparkmoe.worker.state.TrainingState;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.LongFunction;

/**
 * Fine-tunes a pretrained MoE language model on one GLUE task: the pretraining run's shape,
 * vocabulary and newest checkpoint under a classification (or STS-B regression) head; trains
 * {@code train.steps} steps on the Spark engine (or in one process, {@code engine.kind}); predicts
 * the whole dev split(s) every {@code train.evalEvery} steps and at the end and selects on dev:
 * the best state is saved as the run's checkpoint and its dev and test predictions become
 * {@code <run>/glue/*-metrics.json} and GLUE submission files. Orchestration only.
 */
public final class GlueFinetuneJob {
    private final JobConfig config;
    private final PrintStream out;
    private final Configuration hadoop = new Configuration();

    public GlueFinetuneJob(JobConfig config, PrintStream out) {
        this.config = config;
        this.out = out;
    }

    /** The best dev state so far: its completed steps, score and predictions. */
    private record Best(long step, double score, List<GlueResults> dev, List<GlueResults> test) {}

    /** Runs the job; blocks until the outputs are written. */
    public GlueOutputs.Result run() {
        GlueSettings glue = config.glue();
        GlueTask task = glue.task();
        PretrainedRun pretrained = PretrainedRun.open(glue, hadoop);
        ModelConfig model = pretrained.model(glue);
        GlueTaskData data = load(glue, config.data().strict(), hadoop);
        out.println(data.summary());
        GlueSplitSet train = GlueSplitSet.encode(task, data.split(GlueSplit.TRAIN), pretrained.tokenization());
        List<GlueSplitSet> dev = encode(data, devSplits(task), pretrained);
        List<GlueSplitSet> test = encode(data, testSplits(task), pretrained);
        out.println(train.describe());
        TrainingState start = FineTuning.start(pretrained.latestState(hadoop, out), model, config.seed());
        CheckpointStore checkpoints = new CheckpointStore(config.runDir(), hadoop, config.renderForCheckpoint(), config.checkpoint());
        int batch = config.trainer().batchSize();
        int evalBatch = glue.evalBatchSize();
        LongFunction<int[]> order = ExampleStepBatches.epochs(config.seed(), train.size(), batch);
        ExampleStepBatches inProcess = new ExampleStepBatches(null, train.set(), 1, order);
        Best best = null;
        String runDir;
        try (RunDirectory run = new RunDirectory(config.runDir(), hadoop);
             Training training = Trainings.start(config, model, start, "spark-moe finetune " + task.displayName(),
                     (sc, partitions) -> new ExampleStepBatches(sc, train.set(), partitions, order), inProcess::reference);
             GlueEvaluator devEval = new GlueEvaluator(task, training, evalBatch, dev);
             GlueEvaluator testEval = new GlueEvaluator(task, training, evalBatch, test)) {
            runDir = run.location();
            run.writeText("config.conf", config.render());
            run.writeText("glue/encoding.json", encodingJson(train, dev, test));
            out.printf(Locale.ROOT, "run directory: %s%ntraining: %s%nmodel: %s%n", runDir, training.describe(), model);
            StepReporter reporter = new StepReporter(config, run, out);
            long steps = config.trainer().steps();
            int evalEvery = config.trainer().evalEvery();
            for (long step = 0; step < steps; step++) {
                reporter.onStep(training.step(step));
                if (step + 1 == steps || (evalEvery > 0 && (step + 1) % evalEvery == 0)) {
                    Best now = validate(step, devEval, run);
                    if (best == null || now.score() > best.score()) {
                        best = new Best(now.step(), now.score(), now.dev(), testEval.predictAll());
                        out.printf(Locale.ROOT, "selected: step %d, checkpoint %s%n", step + 1,
                                checkpoints.save(training.capture(step + 1)));
                    }
                }
            }
        }
        GlueOutputs.writeSelection(runDir, best.step(), best.score(), hadoop);
        List<GlueResults> all = new ArrayList<>(best.dev());
        all.addAll(best.test());
        GlueOutputs.write(runDir, best.step(), all, hadoop, out);
        out.printf(Locale.ROOT, "done: %s selected at step %d, dev %s%n", task.displayName(), best.step(),
                GlueOutputs.metrics(best.dev()));
        report(runDir);
        return new GlueOutputs.Result(task.displayName(), best.step(), GlueOutputs.metrics(best.dev()), runDir);
    }

    /** Writes the run's report (loss, experts); a report that fails leaves the finished run intact and says why. */
    private void report(String runDir) {
        try {
            out.printf(Locale.ROOT, "report: %s%n", RunReport.write(runDir, hadoop));
        } catch (RuntimeException e) {
            out.printf(Locale.ROOT, "warning: no report (%s); retry with: spark-moe report %s%n", e.getMessage(), runDir);
        }
    }

    /** Predicts every dev split, records and prints the metrics; {@code test} left empty. */
    private Best validate(long step, GlueEvaluator devEval, RunDirectory run) {
        List<GlueResults> results = devEval.predictAll();
        double score = GlueOutputs.selectionScore(results);
        double loss = results.stream().mapToDouble(r -> devEval.loss(r.split())).average().orElse(Double.NaN);
        run.metric(GlueOutputs.validationRecord(step, loss, results, score));
        out.printf(Locale.ROOT, "validation at step %d: dev loss %.4f, %s (score %.4f)%n", step + 1, loss,
                GlueOutputs.metrics(results), score);
        // NaN (e.g. a correlation of constant predictions) never beats a number.
        return new Best(step + 1, Double.isNaN(score) ? Double.NEGATIVE_INFINITY : score, results, List.of());
    }

    /** The task's splits from {@code glue.dir} (the embedded task when it is "embedded"). */
    static GlueTaskData load(GlueSettings glue, boolean strict, Configuration hadoop) {
        return load(glue, glue.task().splits(), strict, hadoop);
    }

    /** {@code splits} of the task from {@code glue.dir}; the embedded task always has all of its splits. */
    static GlueTaskData load(GlueSettings glue, List<GlueSplit> splits, boolean strict, Configuration hadoop) {
        try {
            return glue.embedded() ? GlueTaskData.embedded(glue.task(), hadoop)
                    : GlueTaskData.loadTsv(glue.task(), new Path(glue.dir()), splits, hadoop, strict);
        } catch (IOException e) {
            throw new IllegalArgumentException("glue.dir = \"" + glue.dir() + "\": " + e.getMessage(), e);
        }
    }

    /** The labelled evaluation splits (dev; MNLI: matched and mismatched). */
    static List<GlueSplit> devSplits(GlueTask task) {
        return task.splits().stream().filter(s -> s != GlueSplit.TRAIN && s.labelled()).toList();
    }

    /** The test splits (MNLI: matched and mismatched). */
    static List<GlueSplit> testSplits(GlueTask task) {
        return task.splits().stream().filter(s -> !s.labelled()).toList();
    }

    static List<GlueSplitSet> encode(GlueTaskData data, List<GlueSplit> splits, PretrainedRun pretrained) {
        List<GlueSplitSet> out = new ArrayList<>();
        for (GlueSplit s : splits) out.add(GlueSplitSet.encode(data.task(), data.split(s), pretrained.tokenization()));
        return out;
    }

    private String encodingJson(GlueSplitSet train, List<GlueSplitSet> dev, List<GlueSplitSet> test) {
        List<Object> records = new ArrayList<>();
        records.add(train.record());
        dev.forEach(s -> records.add(s.record()));
        test.forEach(s -> records.add(s.record()));
        for (GlueSplitSet s : dev) out.println(s.describe());
        for (GlueSplitSet s : test) out.println(s.describe());
        return RunFiles.json(records);
    }
}
