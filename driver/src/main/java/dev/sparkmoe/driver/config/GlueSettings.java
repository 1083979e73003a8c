package dev.sparkmoe.driver.config;

import com.typesafe.config.Config;
import dev.sparkmoe.data.glue.GlueTask;
import dev.sparkmoe.worker.nn.ClassificationHead.Pooling;

import java.util.Locale;

/**
 * What {@code finetune} and {@code eval} work on: a GLUE task, where its files are, the
 * pretraining run to start from, and how examples are encoded and pooled.
 *
 * @param task       the GLUE task
 * @param dir        "embedded" or a Hadoop path to the task's folder in GLUE's layout
 * @param pretrained the pretraining run directory
 * @param maxLength  tokens per encoded example
 * @param pooling    how the encoder's rows become one vector
 * @param evalBatchSize examples per evaluation batch (whole splits are predicted in batches of this size)
 */
public record GlueSettings(GlueTask task, String dir, String pretrained, int maxLength, Pooling pooling, int evalBatchSize) {
    public static final String EMBEDDED = "embedded";

    static GlueSettings from(Config c) {
        String name = c.getString("glue.task");
        GlueTask task;
        try {
            task = GlueTask.of(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("glue.task = \"" + name + "\": must be one of " + GlueTask.names(), e);
        }
        int maxLength = JobConfig.positiveInt(c, "glue.maxLength");
        if (maxLength < 4) throw new IllegalArgumentException("glue.maxLength = " + maxLength + ": must be >= 4");
        String pooling = c.getString("glue.pooling");
        Pooling p = switch (pooling.toLowerCase(Locale.ROOT)) {
            case "mean" -> Pooling.MEAN;
            case "first" -> Pooling.FIRST;
            default -> throw new IllegalArgumentException("glue.pooling = \"" + pooling + "\": must be mean or first");
        };
        return new GlueSettings(task, c.getString("glue.dir"), c.getString("glue.pretrained"), maxLength, p,
                JobConfig.positiveInt(c, "glue.evalBatchSize"));
    }

    public boolean embedded() { return EMBEDDED.equals(dir); }
}
