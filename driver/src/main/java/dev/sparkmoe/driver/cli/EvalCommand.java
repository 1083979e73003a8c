package dev.sparkmoe.driver.cli;

import dev.sparkmoe.driver.run.domainbed.DomainBedEvalJob;
import dev.sparkmoe.driver.run.glue.GlueEvalJob;
import org.apache.hadoop.conf.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code spark-moe eval RUN_DIR}: batch evaluation of a finished run with its selected
 * checkpoint. The kind of run is read from the directory: a GLUE fine-tuning run has
 * {@code glue/selection.json}, a DomainBed sweep {@code results.json}.
 */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = {"Evaluate a finished run with its selected checkpoints: a GLUE fine-tuning run on its dev and test splits",
                "(rewrites its metrics and submission files), or a DomainBed sweep on each test domain (writes eval.json).",
                "Example: spark-moe eval runs/cola engine.master=local[4]"})
public final class EvalCommand implements Runnable {

    @Parameters(index = "0", paramLabel = "RUN_DIR", description = "the run directory (any Hadoop path)")
    String runDir;

    @Parameters(index = "1..*", paramLabel = "KEY=VALUE", arity = "0..*",
            description = "overrides of the run's saved configuration, e.g. engine.master=local[2] glue.dir=/data/glue/CoLA")
    List<String> overrides = new ArrayList<>();

    @Override public void run() {
        if (GlueEvalJob.isGlueRun(runDir, new Configuration())) {
            new GlueEvalJob(runDir, overrides, System.out).run();
            return;
        }
        if (DomainBedEvalJob.isDomainBedRun(runDir, new Configuration())) {
            new DomainBedEvalJob(runDir, overrides, System.out).run();
            return;
        }
        throw new IllegalArgumentException("eval " + runDir + ": neither a finished GLUE fine-tuning run (glue/selection.json)"
                + " nor a DomainBed sweep (results.json); expected the run.dir of a completed `spark-moe finetune` or"
                + " `spark-moe train` with task=domainbed");
    }
}
