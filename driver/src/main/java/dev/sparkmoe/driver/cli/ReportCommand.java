package dev.sparkmoe.driver.cli;

import dev.sparkmoe.driver.report.RunReport;
import org.apache.hadoop.conf.Configuration;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code spark-moe report RUN_DIR}: (re)writes the report of a run directory — loss, experts
 * per layer with controller events, activated experts per token, expert load and step time —
 * into {@code RUN_DIR/report/} and prints where {@code report.html} is. Works on a run still
 * in progress (the steps so far) and on any Hadoop path.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Write the HTML report (with PNG charts) of a run directory into RUN_DIR/report/.")
public final class ReportCommand implements Runnable {

    @Parameters(index = "0", paramLabel = "RUN_DIR",
            description = "The run directory (any Hadoop path: a local folder, file://, hdfs://, s3a://).")
    String runDir;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override public void run() {
        String page = RunReport.write(runDir, new Configuration());
        spec.commandLine().getOut().println("report: " + page);
        spec.commandLine().getOut().flush();
    }
}
