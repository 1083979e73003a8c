package dev.sparkmoe.driver.run;

import dev.sparkmoe.worker.train.LayerStats;
import dev.sparkmoe.worker.train.StepMetrics;

import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Formats the one-line progress report of a step: step/total, loss, tokens/s, experts per
 * layer, mean activated experts per token, dropped tokens, ETA. Pure formatting.
 */
public final class Progress {
    private Progress() {}

    /**
     * @param smoothedTokensPerSecond throughput averaged over recent steps, for the ETA
     */
    public static String line(StepMetrics m, long totalSteps, double smoothedTokensPerSecond, long tokensPerStep) {
        String experts = m.layers().stream().map(l -> Integer.toString(l.experts())).collect(Collectors.joining("/"));
        String active = m.layers().stream().map(l -> String.format(Locale.ROOT, "%.2f", l.meanActive()))
                .collect(Collectors.joining("/"));
        long dropped = m.layers().stream().mapToLong(LayerStats::dropped).sum();
        long unrouted = m.layers().stream().mapToLong(LayerStats::unrouted).sum();
        double etaSeconds = smoothedTokensPerSecond > 0
                ? (totalSteps - m.step() - 1) * (double) tokensPerStep / smoothedTokensPerSecond : 0;
        return String.format(Locale.ROOT,
                "step %d/%d  loss %.4f  aux %.4f  lr %.2e  %.0f tok/s  experts %s  active/token %s  dropped %d  unrouted %d  ETA %s",
                m.step() + 1, totalSteps, m.loss(), m.auxLoss(), m.lr(), m.tokensPerSecond(), experts, active, dropped,
                unrouted, duration(etaSeconds));
    }

    /** {@code 1h02m}, {@code 3m05s} or {@code 12s}. */
    public static String duration(double seconds) {
        long s = Math.round(seconds);
        if (s >= 3600) return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
        if (s >= 60) return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        return s + "s";
    }
}
