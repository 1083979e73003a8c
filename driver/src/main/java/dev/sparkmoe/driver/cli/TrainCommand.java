package dev.sparkmoe.driver.cli;

import dev.sparkmoe.driver.run.LanguageModelJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code spark-moe train}: language-model pretraining on a WikiText-layout corpus (the
 * embedded State of the Union corpus by default) with the single-process reference trainer.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train an MoE language model on a WikiText-layout corpus.",
                "With no arguments: the embedded corpus, DynMoE routing with adaptive experts, a few minutes on 2 cores."})
public final class TrainCommand implements Runnable {

    @Mixin JobOptions job;

    @Override public void run() {
        new LanguageModelJob(job.load(), System.out).run();
    }
}
