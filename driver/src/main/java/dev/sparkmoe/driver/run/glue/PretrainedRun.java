package dev.sparkmoe.driver.run.glue;

import dev.sparkmoe.data.glue.GlueTokenization;
import dev.sparkmoe.driver.checkpoint.CheckpointStore;
import dev.sparkmoe.driver.checkpoint.LatestCheckpoint;
import dev.sparkmoe.driver.config.GlueSettings;
import dev.sparkmoe.driver.config.JobConfig;
import dev.sparkmoe.driver.run.RunConfigs;
import dev.sparkmoe.worker.model.ModelConfig;
import dev.sparkmoe.worker.model.ModelHead;
import dev.sparkmoe.worker.state.TrainingState;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/**
 * A language-model pretraining run directory as fine-tuning and evaluation read it: its
 * resolved {@code config.conf}, its {@code vocab.txt} (with GLUE's encoder at
 * {@code glue.maxLength}) and, on request, its newest complete checkpoint. Driver side; every
 * method blocks on the (Hadoop) file system and fails naming the key and the path.
 *
 * @param dir          the run directory as given ({@code glue.pretrained})
 * @param config       the pretraining job's resolved configuration
 * @param tokenization the pretraining vocabulary and the GLUE encoder of {@code glue.maxLength}
 */
public record PretrainedRun(String dir, JobConfig config, GlueTokenization tokenization) {

    /**
     * Opens {@code glue.pretrained} of {@code glue}.
     *
     * @throws IllegalArgumentException naming {@code glue.pretrained} and the path when it is not a
     *                                  pretraining run, or {@code glue.maxLength} when it exceeds the pretrained seqLen
     */
    public static PretrainedRun open(GlueSettings glue, Configuration hadoop) {
        String dir = glue.pretrained();
        Path config = new Path(dir, "config.conf");
        try {
            FileSystem fs = config.getFileSystem(hadoop);
            if (!fs.exists(config)) {
                throw new IllegalArgumentException("glue.pretrained = \"" + dir + "\": no pretraining run there ("
                        + config + " does not exist); expected the run.dir of a `spark-moe train` run");
            }
            JobConfig pretrained = RunConfigs.load(fs, config, List.of());
            int seqLen = pretrained.seqLen();
            if (glue.maxLength() > seqLen) {
                throw new IllegalArgumentException("glue.maxLength = " + glue.maxLength() + ": must be <= the pretrained model.seqLen = "
                        + seqLen + " of " + dir + " (its positional embeddings end there)");
            }
            GlueTokenization tokenization = GlueTokenization.fromRunDirectory(new Path(dir), glue.maxLength(), hadoop);
            return new PretrainedRun(dir, pretrained, tokenization);
        } catch (IOException e) {
            throw new IllegalArgumentException("glue.pretrained = \"" + dir + "\": cannot read the pretraining run: "
                    + e.getMessage(), e);
        }
    }

    /** The pretrained shape with the task's head: {@code classes} logits, or one score for STS-B. */
    public ModelConfig model(GlueSettings glue) {
        ModelHead head = glue.task().isRegression() ? ModelHead.regression(glue.pooling())
                : ModelHead.classification(glue.task().numClasses(), glue.pooling());
        return config.model(tokenization.vocabulary().size()).withHead(head);
    }

    /**
     * The newest complete checkpoint (any configuration: a pretraining run's own), skipped ones
     * reported on {@code out}.
     *
     * @throws IllegalArgumentException naming {@code glue.pretrained} when there is none
     */
    public TrainingState latestState(Configuration hadoop, PrintStream out) {
        CheckpointStore store = new CheckpointStore(dir, hadoop, config.renderForCheckpoint(), config.checkpoint());
        LatestCheckpoint latest = store.latest(true);
        for (LatestCheckpoint.Skipped s : latest.skipped()) {
            out.printf(Locale.ROOT, "warning: skipped checkpoint %s: %s%n", s.location(), s.reason());
        }
        if (!latest.found()) {
            throw new IllegalArgumentException("glue.pretrained = \"" + dir + "\": no complete checkpoint in " + store.location());
        }
        out.printf(Locale.ROOT, "pretrained: %s (%d steps)%n", latest.location(), latest.state().step());
        return latest.state();
    }
}
