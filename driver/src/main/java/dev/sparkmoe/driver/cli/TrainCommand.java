package dev.sparkmoe.driver.cli;

import dev.sparkmoe.driver.config.JobConfig;
import dev.sparkmoe.driver.run.LanguageModelJob;
import dev.sparkmoe.driver.run.domainbed.DomainBedJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code spark-moe train}: language-model pretraining on a WikiText-layout corpus (the
 * embedded State of the Union corpus by default) on the Spark engine, or in one process with
 * {@code engine.kind=single}; {@code --resume} continues from the run directory's newest complete
 * checkpoint. With {@code task=domainbed}: DomainBed's leave-one-domain-out protocol with a vision
 * MoE transformer ({@link DomainBedJob}).
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train an MoE language model on a WikiText-layout corpus, or (task=domainbed) a vision MoE transformer",
                "on a DomainBed dataset, leave-one-domain-out, reporting DomainBed's results table (e.g. -c conf/domainbed/rotated-digits.conf).",
                "With no arguments: the embedded corpus, DynMoE routing with adaptive experts, on Spark local[*], a few minutes on 2 cores."})
public final class TrainCommand implements Runnable {

    @Mixin JobOptions job;

    @Option(names = "--resume",
            description = "continue from the newest complete checkpoint in run.dir (a corrupt or half-written one is skipped "
                    + "with a warning); starts at step 0 when there is none")
    boolean resume;

    @Option(names = "--allow-config-change",
            description = "with --resume: accept a checkpoint written with a different configuration (e.g. more train.steps)")
    boolean allowConfigChange;

    @Override public void run() {
        if (allowConfigChange && !resume) throw new IllegalArgumentException("--allow-config-change needs --resume");
        JobConfig config = job.load();
        if (config.task().equals("domainbed")) {
            if (resume) throw new IllegalArgumentException("--resume is not supported with task = domainbed");
            new DomainBedJob(config, System.out).run();
            return;
        }
        LanguageModelJob.Resume mode = !resume ? LanguageModelJob.Resume.NO
                : allowConfigChange ? LanguageModelJob.Resume.ANY_CONFIG : LanguageModelJob.Resume.SAME_CONFIG;
        new LanguageModelJob(config, System.out, mode).run();
    }
}
