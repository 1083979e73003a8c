package dev.sparkmoe.driver.cli;

import dev.sparkmoe.driver.checkpoint.ConfigMismatchException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code spark-moe} command line. Each subcommand is its own class; configuration errors
 * print one message naming the key, the value and what is allowed, and exit with status 2.
 */
@Command(name = "spark-moe", mixinStandardHelpOptions = true, version = "spark-moe 0.1.0",
        description = "Trains and evaluates Mixture-of-Experts transformers (top-k, DynMoE, DA-MoE).",
        subcommands = {TrainCommand.class, FinetuneCommand.class, EvalCommand.class, InfoCommand.class, ConvertCommand.class,
                ReportCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required: train, finetune, eval, info, convert or report");
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line (also what the tests drive). */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            if (ex instanceof IllegalArgumentException || ex instanceof ConfigMismatchException) {
                cmd.getErr().println("error: " + ex.getMessage());
                return 2;
            }
            throw ex;
        });
        return cl;
    }
}
