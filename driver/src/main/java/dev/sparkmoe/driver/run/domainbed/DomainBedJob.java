package dev.sparkmoe.driver.run.domainbed;

import dev.sparkmoe.data.domainbed.DomainBedSources;
import dev.sparkmoe.data.domainbed.DomainImages;
import dev.sparkmoe.data.domainbed.LodoSplit;
import dev.sparkmoe.data.domainbed.TrainingDomainSelection;
import dev.sparkmoe.driver.config.DomainBedSettings;
import dev.sparkmoe.driver.config.JobConfig;
import dev.sparkmoe.driver.checkpoint.CheckpointStore;
import dev.sparkmoe.driver.engine.ExampleStepBatches;
import dev.sparkmoe.driver.engine.ShippedExamples;
import dev.sparkmoe.driver.report.RunReport;
import dev.sparkmoe.driver.run.RunDirectory;
import dev.sparkmoe.driver.run.StepReporter;
import dev.sparkmoe.driver.run.Training;
import dev.sparkmoe.driver.run.Trainings;
import dev.sparkmoe.routing.AttentionKConfig;
import dev.sparkmoe.routing.RouterConfig;
import dev.sparkmoe.routing.Seeds;
import dev.sparkmoe.routing.TopKConfig;
import dev.sparkmoe.worker.model.ModelConfig;
import dev.sparkmoe.worker.model.ModelHead;
import dev.sparkmoe.worker.model.ModelInput;
import dev.sparkmoe.worker.nn.ClassificationHead;
import org.apache.hadoop.conf.Configuration;
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
import java.util.function.LongFunction;

/**
 * DomainBed's leave-one-domain-out protocol with a vision MoE transformer: for every test domain
 * (or those in {@code domainbed.testDomains}) a fresh model, seeded from {@code (seed, testDomain)},
 * trains on the other domains' train splits (a batch from each per step), is evaluated every
 * {@code train.evalEvery} steps and at the end on their held-out splits and on the test domain,
 * and the evaluation with the best training-domain validation accuracy is reported. All trainings
 * share one Spark context. Writes {@code <run>/env<d>/} per test domain (config, metrics.jsonl,
 * selection.json, report) and {@code <run>/results.md}, {@code results.json}. Driver side; blocks.
 */
public final class DomainBedJob {
    private static final int EVAL_STEPS_PER_BATCH = 4;
    private final JobConfig config;
    private final PrintStream out;
    private final Configuration hadoop = new Configuration();

    /** A sweep of {@code config} ({@code task = domainbed}), progress and the summary printed to {@code out}. */
    public DomainBedJob(JobConfig config, PrintStream out) {
        this.config = config;
        this.out = out;
    }

    /**
     * @param accuracies selected test accuracy per tested domain index, in [0, 1]
     * @param average    their mean
     */
    public record Result(Map<Integer, Double> accuracies, double average, String runDir) {}

    /**
     * Runs the sweep: blocks until every tested domain is trained, evaluated and selected.
     *
     * @throws IllegalArgumentException naming {@code domainbed.patch} when it does not divide the image side, or a
     *                                  test domain the dataset lacks
     * @throws java.io.UncheckedIOException when the data cannot be read or the run directory written
     */
    public Result run() {
        DomainBedSettings s = config.domainbed();
        if (s.imageSize() > 0) checkPatch(s.imageSize(), s.patch());
        DomainImages images = load(s);
        ModelConfig model = model(config, images);
        DomainBedExamples examples = DomainBedExamples.of(images, model.maxSeqLen());
        String runDir = new Path(config.runDir()).toString();
        List<DomainBedResults.Tested> tested = new ArrayList<>();
        DomainBedResults.writeText(runDir, hadoop, "config.conf", config.render());   // what `eval` rebuilds the sweep from
        JavaSparkContext sc = Trainings.context(config, "spark-moe domainbed " + images.name());
        // One broadcast of the images serves every test domain's training and evaluation batches.
        try (ShippedExamples shipped = new ShippedExamples(sc, examples.set())) {
            for (int d : testDomains(s, images)) tested.add(trainAndSelect(shipped, images, examples, model, d));
        } finally {
            if (sc != null) sc.stop();
        }
        DomainBedResults.write(runDir, hadoop, images.name(), images.domains(), algorithm(config.router()), tested, out);
        Map<Integer, Double> accuracies = new LinkedHashMap<>();
        for (DomainBedResults.Tested t : tested) accuracies.put(t.testDomain(), t.selected().testAccuracy());
        return new Result(accuracies, DomainBedResults.average(tested), runDir);
    }

    /** One LODO training on the shipment's Spark context (none in one process), evaluated on schedule, then selected. */
    private DomainBedResults.Tested trainAndSelect(ShippedExamples shipped, DomainImages images, DomainBedExamples examples,
                                                   ModelConfig model, int testDomain) {
        JobConfig job = forDomain(config, testDomain);
        LodoSplit split = split(config, images, testDomain);
        int batch = job.trainer().batchSize();
        LongFunction<int[]> chooser = examples.trainChooser(split, job.seed(), batch);
        HeldOutEvaluation heldOut = heldOut(job, examples, split, images.classes().size());
        ExampleStepBatches inProcess = new ExampleStepBatches(null, examples.set(), 1, chooser);
        List<TrainingDomainSelection.Evaluation> evaluations = new ArrayList<>();
        String env = new Path(config.runDir(), "env" + testDomain).toString();
        String name = images.domains().get(testDomain);
        out.printf(Locale.ROOT, "test domain %d (%s): %s%n", testDomain, name, split);
        CheckpointStore checkpoints = new CheckpointStore(env, hadoop, job.renderForCheckpoint(), job.checkpoint());
        double bestVal = Double.NEGATIVE_INFINITY;
        try (RunDirectory run = new RunDirectory(env, hadoop);
             Training training = Trainings.start(job, model, null, shipped.sparkContext(),
                     (ctx, partitions) -> new ExampleStepBatches(shipped, partitions, chooser), inProcess::reference)) {
            run.writeText("config.conf", job.render());
            ExampleStepBatches evalBatches = new ExampleStepBatches(shipped, training.dataPartitions(), heldOut.chooser());
            StepReporter reporter = new StepReporter(job, run, out);
            long steps = job.trainer().steps();
            int every = job.trainer().evalEvery();
            for (long step = 0; step < steps; step++) {
                reporter.onStep(training.step(step));
                if (step + 1 == steps || (every > 0 && (step + 1) % every == 0)) {
                    HeldOutEvaluation.Scored scored = heldOut.score(step, training.evaluate(evalBatches, heldOut.batches()));
                    evaluations.add(scored.counts());
                    run.metric(validationLine(step, scored));
                    if (scored.counts().valAccuracy() > bestVal) {   // strictly better: ties keep the earlier step, as the selection does
                        bestVal = scored.counts().valAccuracy();
                        checkpoints.save(training.capture(step + 1));
                    }
                    out.printf(Locale.ROOT, "evaluation at step %d: val loss %.4f, val accuracy %.1f%%, test accuracy %.1f%%%n",
                            step + 1, scored.valLoss(), 100 * scored.counts().valAccuracy(), 100 * scored.counts().testAccuracy());
                }
            }
            TrainingDomainSelection.Selected selected = TrainingDomainSelection.select(evaluations);
            DomainBedResults.Tested t = new DomainBedResults.Tested(testDomain, name, List.copyOf(evaluations), selected);
            run.writeText("selection.json", DomainBedResults.json(DomainBedResults.selectionJson(t)));
            out.printf(Locale.ROOT, "test domain %d (%s): selected step %d, val accuracy %.1f%%, test accuracy %.1f%%%n",
                    testDomain, name, selected.step() + 1, 100 * selected.valAccuracy(), 100 * selected.testAccuracy());
            report(env);
            return t;
        }
    }

    /**
     * A validation line of {@code metrics.jsonl} as the run report reads it ({@code valid_loss}:
     * the val splits' cross-entropy), plus the accuracies DomainBed's selection works on.
     */
    private static Map<String, Object> validationLine(long step, HeldOutEvaluation.Scored s) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("step", step);
        r.put("valid_loss", s.valLoss());
        r.put("valid_perplexity", Math.exp(s.valLoss()));
        r.put("val_accuracy", s.counts().valAccuracy());
        double[] perDomain = new double[s.counts().numTrainDomains()];
        for (int k = 0; k < perDomain.length; k++) perDomain[k] = s.counts().valAccuracy(k);
        r.put("val_accuracy_per_domain", perDomain);
        r.put("test_accuracy", s.counts().testAccuracy());
        return r;
    }

    /** Writes a test domain's run report; one that fails leaves the sweep going and says why. */
    private void report(String dir) {
        try {
            out.printf(Locale.ROOT, "report: %s%n", RunReport.write(dir, hadoop));
        } catch (RuntimeException e) {
            out.printf(Locale.ROOT, "warning: no report (%s); retry with: spark-moe report %s%n", e.getMessage(), dir);
        }
    }

    /** The algorithm column of the results table: the router, as the MoE papers name it. */
    /**
     * The held-out evaluation of one test domain's run: every training domain's val split and the
     * test domain, in batches of {@value #EVAL_STEPS_PER_BATCH} training steps (evaluation keeps no
     * backward state, so four steps' rows fit where one step's do, with a quarter of the Spark jobs).
     * {@code eval} rebuilds it the same way, so its batches (and routing groups) are the training run's.
     */
    static HeldOutEvaluation heldOut(JobConfig job, DomainBedExamples examples, LodoSplit split, int classes) {
        return new HeldOutEvaluation(examples, split, EVAL_STEPS_PER_BATCH * job.trainer().batchSize() * split.trainDomains().length,
                classes);
    }

    /** The split of test domain {@code d}: it depends on the job seed only, so every test domain's run sees the same held-out sets. */
    static LodoSplit split(JobConfig config, DomainImages images, int d) {
        return LodoSplit.of(images.domainSizes(), d, config.domainbed().holdout(), config.seed());
    }

    /** The configuration of test domain {@code d}'s training: the job's, seeded from {@code (seed, d)}. */
    static JobConfig forDomain(JobConfig config, int d) {
        return config.withSeed(Seeds.derive(config.seed(), d));
    }

    /**
     * The vision transformer for {@code images}: the configured blocks and router over patches of
     * {@code domainbed.patch} with a class token, and a class-token classification head.
     *
     * @throws IllegalArgumentException naming {@code domainbed.patch} when it does not divide the image side
     */
    public static ModelConfig model(JobConfig config, DomainImages images) {
        int patch = config.domainbed().patch();
        checkPatch(images.height(), patch);
        checkPatch(images.width(), patch);
        ModelInput.Patches input = new ModelInput.Patches(images.channels(), images.height(), images.width(), patch);
        return config.model().withInput(input, input.rows())
                .withHead(ModelHead.classification(images.classes().size(), ClassificationHead.Pooling.FIRST));
    }

    /** The dataset of {@code domainbed.*}, in memory. */
    public static DomainImages load(JobConfig config, Configuration hadoop) throws IOException {
        DomainBedSettings s = config.domainbed();
        Path root = s.embedded() ? null : new Path(s.dir());
        // the construction seed stays the default: one dataset for every job seed
        return DomainBedSources.load(DomainBedSources.Request.of(s.dataset(), root).withImageSize(s.imageSize()), hadoop);
    }

    static String algorithm(RouterConfig router) {
        if (router instanceof TopKConfig k) return "top-" + k.k();
        if (router instanceof AttentionKConfig) return "attention-k";
        return "DynMoE";
    }

    private static void checkPatch(int side, int patch) {
        if (side % patch != 0) {
            throw new IllegalArgumentException("domainbed.patch = " + patch + ": must divide the image side " + side
                    + " (domainbed.imageSize, or the dataset's own size when it is 0)");
        }
    }

    private DomainImages load(DomainBedSettings s) {
        try {
            DomainImages images = load(config, hadoop);
            out.printf(Locale.ROOT, "dataset %s%n", images);
            return images;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load " + s.dataset() + " from " + s.dir() + ": " + e.getMessage(), e);
        }
    }

    private static int[] testDomains(DomainBedSettings s, DomainImages images) {
        int n = images.domains().size();
        if (s.testDomains().isEmpty()) return java.util.stream.IntStream.range(0, n).toArray();
        for (int d : s.testDomains()) {
            if (d >= n) {
                throw new IllegalArgumentException("domainbed.testDomains = " + s.testDomains() + ": " + images.name()
                        + " has domains 0.." + (n - 1) + " " + images.domains());
            }
        }
        return s.testDomains().stream().mapToInt(Integer::intValue).toArray();
    }
}
