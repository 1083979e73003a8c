package dev.sparkmoe.driver.cli;

import dev.sparkmoe.driver.config.JobConfig;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.File;
import java.util.ArrayList;
import java.util.List;

/** Options every job command shares: a HOCON job file and {@code key=value} overrides. */
public final class JobOptions {

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "HOCON job file (see conf/); keys not set there keep their defaults")
    File config;

    @Parameters(paramLabel = "KEY=VALUE", arity = "0..*",
            description = "overrides of configuration keys, relative to spark-moe, e.g. router.kind=topk train.steps=100")
    List<String> overrides = new ArrayList<>();

    /** Loads and validates the job configuration. */
    public JobConfig load() { return JobConfig.load(config, overrides); }
}
