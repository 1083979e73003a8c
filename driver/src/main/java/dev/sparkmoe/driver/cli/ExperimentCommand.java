package dev.sparkmoe.driver.cli;

import dev.sparkmoe.driver.experiment.RouterExperiment;
import dev.sparkmoe.driver.experiment.RouterVariant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.File;
import java.util.ArrayList;
import java.util.List;

/** {@code spark-moe experiment routers}: the router comparison of {@link RouterExperiment}. */
@Command(name = "experiment", mixinStandardHelpOptions = true,
        description = {"Run an experiment. 'routers': top-1, top-2, top-4, DynMoE (with and without add/prune) and DA-MoE",
                "on the embedded WikiText-layout corpus, the CoLA-format task and RotatedDigits leave-one-domain-out;",
                "writes routers.md and charts into the experiment directory."})
public final class ExperimentCommand implements Runnable {

    @Parameters(index = "0", paramLabel = "NAME", description = "the experiment: routers")
    String name;

    @Parameters(index = "1..*", paramLabel = "KEY=VALUE", description = "overrides applied to every run, e.g. engine.kind=single")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--conf-dir", paramLabel = "DIR", description = "folder of lm.conf, cola.conf, digits.conf (default: conf/experiment)")
    File confDir = new File("conf/experiment");

    @Option(names = "--dir", paramLabel = "PATH", description = "experiment directory, any Hadoop path (default: runs/routers)")
    String dir = "runs/routers";

    @Option(names = "--routers", split = ",", paramLabel = "SLUG",
            description = "only these routers: top1, top2, top4, dynmoe, dynmoe-fixed, da-moe (default: all)")
    List<String> routers = new ArrayList<>();

    @Override public void run() {
        if (!"routers".equals(name)) throw new IllegalArgumentException("experiment '" + name + "': the experiment is 'routers'");
        List<String> known = RouterVariant.all().stream().map(RouterVariant::slug).toList();
        for (String r : routers) {
            if (!known.contains(r)) throw new IllegalArgumentException("--routers " + r + ": must be one of " + known);
        }
        List<RouterVariant> chosen = RouterVariant.all().stream()
                .filter(v -> routers.isEmpty() || routers.contains(v.slug())).toList();
        if (!new File(confDir, "lm.conf").isFile()) {
            throw new IllegalArgumentException("--conf-dir " + confDir + ": lm.conf, cola.conf and digits.conf expected there");
        }
        String table = new RouterExperiment(confDir, dir, overrides, chosen, System.out).run();
        System.out.println();
        System.out.println(table);
        System.out.println("table and charts: " + dir + "/routers.md");
    }
}
