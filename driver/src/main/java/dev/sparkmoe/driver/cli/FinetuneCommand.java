package dev.sparkmoe.driver.cli;

import dev.sparkmoe.driver.run.glue.GlueFinetuneJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code spark-moe finetune}: fine-tunes a pretrained MoE language model ({@code glue.pretrained},
 * a {@code train} run directory) on a GLUE task on the Spark engine, selects on dev, and writes
 * the selected model's checkpoint, metrics and GLUE submission files into {@code run.dir}.
 */
@Command(name = "finetune", mixinStandardHelpOptions = true,
        description = {"Fine-tune a pretrained MoE language model on a GLUE task (selects on dev; writes metrics and submission files).",
                "Example: spark-moe finetune -c conf/glue/cola.conf glue.dir=/data/glue/CoLA glue.pretrained=runs/tiny",
                "With conf/glue/embedded-cola.conf no GLUE download is needed."})
public final class FinetuneCommand implements Runnable {

    @Mixin JobOptions job;

    @Override public void run() {
        new GlueFinetuneJob(job.load(), System.out).run();
    }
}
