package dev.sparkmoe.driver.run;

import dev.sparkmoe.driver.config.JobConfig;
import dev.sparkmoe.worker.train.ControllerEvent;
import dev.sparkmoe.worker.train.StepMetrics;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Turns step metrics into the progress line (every {@code train.logEvery} steps), one
 * {@code metrics.jsonl} line per step and one {@code events.jsonl} line per controller event
 * (their fields: {@link MetricsRecords}).
 */
public final class StepReporter {
    private final JobConfig config;
    private final RunDirectory run;
    private final PrintStream out;
    private double smoothedTokensPerSecond;

    /** Reports {@code config}'s run into {@code run}, progress lines to {@code out}. */
    public StepReporter(JobConfig config, RunDirectory run, PrintStream out) {
        this.config = config;
        this.run = run;
        this.out = out;
    }

    /** Records step {@code m} and prints its progress line when due. */
    public void onStep(StepMetrics m) {
        double tps = m.tokensPerSecond();
        smoothedTokensPerSecond = smoothedTokensPerSecond == 0 ? tps : 0.9 * smoothedTokensPerSecond + 0.1 * tps;
        run.metric(MetricsRecords.step(m));
        for (ControllerEvent e : m.events()) {
            run.event(MetricsRecords.event(e));
            out.println("controller: " + e);
        }
        if ((m.step() + 1) % config.logEvery() == 0 || m.step() == 0) {
            out.println(Progress.line(m, config.trainer().steps(), smoothedTokensPerSecond, m.tokens()));
        }
    }

    /** Records a validation after step {@code step} (0-based) with its baseline and prints it. */
    public void onValidation(long step, double loss, double unigram) {
        run.metric(MetricsRecords.validation(step, loss, unigram));
        out.printf(Locale.ROOT, "validation at step %d: loss %.4f (perplexity %.1f), unigram baseline %.4f%n",
                step + 1, loss, Math.exp(loss), unigram);
    }
}
