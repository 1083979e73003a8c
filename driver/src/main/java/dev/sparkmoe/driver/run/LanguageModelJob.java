package dev.sparkmoe.driver.run;

import dev.sparkmoe.data.lm.SequencePacker;
import dev.sparkmoe.data.lm.UnigramBaseline;
import dev.sparkmoe.data.text.Vocabulary;
import dev.sparkmoe.data.wikitext.EmbeddedCorpus;
import dev.sparkmoe.data.wikitext.TokenIds;
import dev.sparkmoe.data.wikitext.WikiTextCorpus;
import dev.sparkmoe.data.wikitext.WikiTextOptions;
import dev.sparkmoe.data.wikitext.WikiTextSplit;
import dev.sparkmoe.data.wikitext.WikiTextVariant;
import dev.sparkmoe.driver.checkpoint.CheckpointStore;
import dev.sparkmoe.driver.checkpoint.LatestCheckpoint;
import dev.sparkmoe.driver.config.DataSettings;
import dev.sparkmoe.driver.engine.PackedStepBatches;
import dev.sparkmoe.driver.engine.StepBatches;
import dev.sparkmoe.driver.report.RunReport;
import dev.sparkmoe.driver.config.JobConfig;
import dev.sparkmoe.worker.model.TokenBatch;
import dev.sparkmoe.worker.state.TrainingState;
import dev.sparkmoe.worker.train.TokenBatches;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.Locale;

/**
 * Language-model pretraining on a WikiText-layout corpus: reads and tokenises the corpus,
 * builds the vocabulary, trains on the Spark engine (or in one process, {@code engine.kind}),
 * with progress lines, validates on schedule, and writes the run directory. Orchestration only;
 * the math is the worker's.
 */
public final class LanguageModelJob {
    private final JobConfig config;
    private final PrintStream out;
    private final Configuration hadoop = new Configuration();

    private final Resume resume;

    public LanguageModelJob(JobConfig config, PrintStream out) {
        this(config, out, Resume.NO);
    }

    /** @param resume whether (and how strictly) to continue from the run directory's newest complete checkpoint */
    public LanguageModelJob(JobConfig config, PrintStream out, Resume resume) {
        this.config = config;
        this.out = out;
        this.resume = resume;
    }

    /** Whether a run starts fresh or continues from its newest complete checkpoint. */
    public enum Resume {
        /** Start at step 0 (existing checkpoints of the run directory are replaced as new ones are written). */
        NO,
        /** Continue from the newest complete checkpoint written with the same configuration; start fresh if there is none. */
        SAME_CONFIG,
        /** Continue from the newest complete checkpoint even if the configuration changed (e.g. more steps). */
        ANY_CONFIG
    }

    /** Runs the job and returns the final validation cross-entropy (nats). */
    public Result run() {
        Corpus corpus = loadCorpus();
        CheckpointStore checkpoints = new CheckpointStore(config.runDir(), hadoop, config.renderForCheckpoint(), config.checkpoint());
        TrainingState restored = restored(checkpoints);
        long first = restored == null ? 0 : restored.nextStep();
        double valid;
        String runDir;
        try (RunDirectory run = new RunDirectory(config.runDir(), hadoop, restored == null ? -1 : first);
             Training training = training(corpus, restored)) {
            run.writeText("config.conf", config.render());
            saveVocabulary(corpus.vocab, run);
            out.printf(Locale.ROOT, "run directory: %s%n", run.location());
            out.printf(Locale.ROOT, "training: %s%n", training.describe());
            StepReporter reporter = new StepReporter(config, run, out);
            StepBatches validation = corpus.valid(config, training);
            int evalBatches = config.trainer().evalBatches();
            int evalEvery = config.trainer().evalEvery();
            long steps = config.trainer().steps();
            for (long step = first; step < steps; step++) {
                reporter.onStep(training.step(step));
                if (evalEvery > 0 && (step + 1) % evalEvery == 0 && step + 1 < steps) {
                    reporter.onValidation(step, training.evaluate(validation, evalBatches).loss(), corpus.unigram);
                }
                if (checkpoints.due(step + 1, steps)) {
                    out.printf(Locale.ROOT, "checkpoint: %s%n", checkpoints.save(training.capture(step + 1)));
                }
            }
            valid = training.evaluate(validation, evalBatches).loss();
            runDir = run.location();
            reporter.onValidation(steps - 1, valid, corpus.unigram);
            out.printf(Locale.ROOT, "done: validation loss %.4f (perplexity %.1f) vs unigram baseline %.4f (perplexity %.1f)%n",
                    valid, Math.exp(valid), corpus.unigram, Math.exp(corpus.unigram));
            out.printf(Locale.ROOT, "metrics: %s/metrics.jsonl%n", run.location());
        }
        report(runDir);
        return new Result(valid, corpus.unigram, runDir);
    }

    /** Writes the run's report; a report that fails leaves the finished run intact and says why. */
    private void report(String runDir) {
        try {
            out.printf(Locale.ROOT, "report: %s%n", RunReport.write(runDir, hadoop));
        } catch (RuntimeException e) {
            out.printf(Locale.ROOT, "warning: no report (%s); retry with: spark-moe report %s%n", e.getMessage(), runDir);
        }
    }

    /** The checkpoint to continue from, or null to start fresh. */
    private TrainingState restored(CheckpointStore checkpoints) {
        if (resume == Resume.NO) return null;
        LatestCheckpoint latest = checkpoints.latest(resume == Resume.ANY_CONFIG);
        for (LatestCheckpoint.Skipped s : latest.skipped()) {
            out.printf(Locale.ROOT, "warning: skipped checkpoint %s: %s%n", s.location(), s.reason());
        }
        if (!latest.found()) {
            out.printf(Locale.ROOT, "resume: no complete checkpoint in %s, starting at step 0%n", checkpoints.location());
            return null;
        }
        TrainingState state = latest.state();
        if (state.nextStep() > config.trainer().steps()) {
            throw new IllegalArgumentException("checkpoint " + latest.location() + " is after step " + state.nextStep()
                    + ", beyond train.steps = " + config.trainer().steps());
        }
        out.printf(Locale.ROOT, "resume: from %s (%d steps done)%s%n", latest.location(), state.nextStep(),
                latest.configDiffers() ? ", written with a different configuration" : "");
        return state;
    }

    /** The single-process trainer or the Spark engine, fresh or continuing {@code restored} (may be null). */
    private Training training(Corpus corpus, TrainingState restored) {
        long seed = config.seed();
        int batch = config.trainer().batchSize();
        return Trainings.start(config, config.model(corpus.vocab.size()), restored, "spark-moe train",
                (sc, partitions) -> new PackedStepBatches(sc, corpus.train, partitions, seed, batch), corpus.train(config));
    }

    private Corpus loadCorpus() {
        DataSettings d = config.data();
        WikiTextOptions options = WikiTextOptions.DEFAULT.withStrict(d.strict());
        try {
            WikiTextCorpus corpus = d.embedded() ? EmbeddedCorpus.open(hadoop, options)
                    : WikiTextCorpus.open(new Path(d.corpus()), hadoop, WikiTextVariant.valueOf(d.variant().toUpperCase(Locale.ROOT)), options);
            Vocabulary vocab = corpus.buildVocabulary(WikiTextSplit.TRAIN, d.vocabMaxSize(), d.vocabMinFrequency());
            TokenIds train = corpus.tokenIds(WikiTextSplit.TRAIN, vocab);
            TokenIds valid = corpus.tokenIds(WikiTextSplit.VALID, vocab);
            out.printf(Locale.ROOT, "corpus %s: vocabulary %d, train %,d tokens (%.1f%% <unk>), valid %,d tokens; skipped: train %s, valid %s%n",
                    corpus, vocab.size(), train.length(), 100 * train.unknownRate(), valid.length(), train.skips(), valid.skips());
            double unigram = UnigramBaseline.crossEntropy(train.ids(), valid.ids(), vocab.size());
            return new Corpus(vocab, new SequencePacker(train.ids(), config.seqLen()),
                    new SequencePacker(valid.ids(), config.seqLen()), unigram);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read corpus " + d.corpus() + ": " + e.getMessage(), e);
        }
    }

    private void saveVocabulary(Vocabulary vocab, RunDirectory run) {
        try {
            vocab.save(new Path(run.location(), "vocab.txt"), hadoop);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save the vocabulary: " + e.getMessage(), e);
        }
    }

    /** Tokenised splits and the unigram baseline of the validation split. */
    private record Corpus(Vocabulary vocab, SequencePacker train, SequencePacker valid, double unigram) {
        TokenBatches train(JobConfig c) {
            long seed = c.seed();
            int b = c.trainer().batchSize();
            return step -> TokenBatch.ofWindows(train.batch(seed, step, b));
        }

        /** Validation batch {@code i}: consecutive blocks (wrapping around), the same every time, on {@code training}'s partitions. */
        StepBatches valid(JobConfig c, Training training) {
            if (valid.blockCount() == 0) {
                throw new IllegalArgumentException("the validation split of " + c.data().corpus() + " has "
                        + valid.tokenCount() + " tokens: fewer than one sequence of model.seqLen = " + c.seqLen() + " + 1");
            }
            return PackedStepBatches.consecutive(training.sparkContext(), valid, training.dataPartitions(), c.trainer().batchSize());
        }
    }

    /**
     * @param validLoss final validation cross-entropy (nats)
     * @param unigram   unigram baseline cross-entropy of the validation split (nats)
     */
    public record Result(double validLoss, double unigram, String runDir) {}
}
