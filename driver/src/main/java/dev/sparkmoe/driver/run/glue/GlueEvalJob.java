package dev.sparkmoe.driver.run.glue;

import dev.sparkmoe.data.glue.GlueResults;
import dev.sparkmoe.data.glue.GlueSplit;
import dev.sparkmoe.data.glue.GlueTask;
import dev.sparkmoe.data.glue.GlueTaskData;
import dev.sparkmoe.driver.checkpoint.CheckpointStore;
import dev.sparkmoe.driver.checkpoint.LatestCheckpoint;
import dev.sparkmoe.driver.config.GlueSettings;
import dev.sparkmoe.driver.config.JobConfig;
import dev.sparkmoe.driver.engine.ExampleStepBatches;
import dev.sparkmoe.driver.run.RunConfigs;
import dev.sparkmoe.driver.run.Training;
import dev.sparkmoe.driver.run.Trainings;
import dev.sparkmoe.worker.model.ModelConfig;
import dev.sparkmoe.worker.state.TrainingState;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Batch evaluation of a finished GLUE fine-tuning run: its {@code config.conf}, the checkpoint
 * its dev selection kept ({@code glue/selection.json}) and the pretraining vocabulary named by
 * its {@code glue.pretrained}. Predicts every dev and test example on the Spark engine (or in one
 * process, as the run's {@code engine.kind} says), rewrites {@code <run>/glue/*-metrics.json} and
 * the submission files, and prints the metrics. Driver side; blocks until done.
 */
public final class GlueEvalJob {
    private final String runDir;
    private final List<String> overrides;
    private final PrintStream out;
    private final Configuration hadoop = new Configuration();

    /**
     * @param runDir    the fine-tuning run directory (any Hadoop path; it may have moved since training)
     * @param overrides {@code key=value} overrides of the run's config (e.g. {@code engine.master}, {@code glue.dir})
     */
    public GlueEvalJob(String runDir, List<String> overrides, PrintStream out) {
        this.runDir = runDir;
        this.overrides = overrides;
        this.out = out;
    }

    /** Whether {@code runDir} is a finished GLUE fine-tuning run (it has a selection record). */
    public static boolean isGlueRun(String runDir, Configuration hadoop) {
        try {
            Path f = GlueOutputs.selectionFile(runDir);
            return f.getFileSystem(hadoop).exists(f);
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /** Runs the evaluation; the result's step is the selected checkpoint's. */
    public GlueOutputs.Result run() {
        JobConfig config = RunConfigs.load(new Path(runDir, "config.conf").toString(), overrides, hadoop);
        long selected = GlueOutputs.readSelection(runDir, hadoop);
        GlueSettings glue = config.glue();
        GlueTask task = glue.task();
        PretrainedRun pretrained = PretrainedRun.open(glue, hadoop);
        ModelConfig model = pretrained.model(glue);
        TrainingState state = selectedState(config, selected);
        List<GlueSplit> wanted = new ArrayList<>(GlueFinetuneJob.devSplits(task));
        wanted.addAll(GlueFinetuneJob.testSplits(task));
        // No train split: evaluation does not need it (QQP's and MNLI's are large).
        GlueTaskData data = GlueFinetuneJob.load(glue, wanted, config.data().strict(), hadoop);
        out.println(data.summary());
        List<GlueSplitSet> sets = GlueFinetuneJob.encode(data, GlueFinetuneJob.devSplits(task), pretrained);
        int devCount = sets.size();
        sets = new ArrayList<>(sets);
        sets.addAll(GlueFinetuneJob.encode(data, GlueFinetuneJob.testSplits(task), pretrained));
        for (GlueSplitSet s : sets) out.println(s.describe());
        int batch = glue.evalBatchSize();
        GlueSplitSet first = sets.get(0);
        // The engine wants training batches; none are stepped, so the first dev split's serve.
        ExampleStepBatches idle = new ExampleStepBatches(null, first.set(), 1, ExampleStepBatches.consecutive(first.size(), batch));
        List<GlueResults> results;
        try (Training training = Trainings.start(config, model, state, "spark-moe eval " + task.displayName(),
                (sc, partitions) -> new ExampleStepBatches(sc, first.set(), partitions,
                        ExampleStepBatches.consecutive(first.size(), batch)), idle::reference);
             GlueEvaluator evaluator = new GlueEvaluator(task, training, batch, sets)) {
            out.printf(Locale.ROOT, "evaluating: %s%n", training.describe());
            results = evaluator.predictAll();
        }
        GlueOutputs.write(runDir, selected, results, hadoop, out);
        List<GlueResults> dev = results.subList(0, devCount);
        out.printf(Locale.ROOT, "done: %s at step %d, dev %s%n", task.displayName(), selected, GlueOutputs.metrics(dev));
        return new GlueOutputs.Result(task.displayName(), selected, GlueOutputs.metrics(dev), runDir);
    }

    /** The run's newest complete checkpoint, which must be the one its selection recorded. */
    private TrainingState selectedState(JobConfig config, long selected) {
        CheckpointStore store = new CheckpointStore(runDir, hadoop, config.renderForCheckpoint(), config.checkpoint());
        LatestCheckpoint latest = store.latest(true);
        for (LatestCheckpoint.Skipped s : latest.skipped()) {
            out.printf(Locale.ROOT, "warning: skipped checkpoint %s: %s%n", s.location(), s.reason());
        }
        if (!latest.found()) throw new IllegalArgumentException(runDir + ": no complete checkpoint in " + store.location());
        if (latest.state().step() != selected) {
            throw new IllegalArgumentException(runDir + ": the newest complete checkpoint " + latest.location() + " is after step "
                    + latest.state().step() + ", but the dev selection kept step " + selected + " (" + GlueOutputs.selectionFile(runDir) + ")");
        }
        out.printf(Locale.ROOT, "model: %s (selected at step %d)%n", latest.location(), selected);
        return latest.state();
    }
}
