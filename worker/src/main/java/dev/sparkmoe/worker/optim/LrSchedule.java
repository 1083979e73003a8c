package dev.sparkmoe.worker.optim;

/**
 * Learning rate per step: linear warm-up from {@code peak/warmupSteps} (step 0) to {@code peak}
 * (step {@code warmupSteps − 1}), then cosine decay from {@code peak} (step {@code warmupSteps}) to {@code min}
 * (step {@code totalSteps}), {@code min} afterwards. Immutable.
 */
public final class LrSchedule {
    private final double peak;
    private final double min;
    private final long warmupSteps;
    private final long totalSteps;

    /** Validates {@code 0 ≤ min ≤ peak}, {@code 0 ≤ warmupSteps ≤ totalSteps}. */
    public LrSchedule(double peak, double min, long warmupSteps, long totalSteps) {
        if (!(min >= 0 && peak >= min) || Double.isInfinite(peak)) {
            throw new IllegalArgumentException("lr schedule: need 0 <= min <= peak (finite), got peak=" + peak + ", min=" + min);
        }
        if (warmupSteps < 0 || totalSteps < warmupSteps) {
            throw new IllegalArgumentException("lr schedule: need 0 <= warmupSteps <= totalSteps, got warmupSteps="
                    + warmupSteps + ", totalSteps=" + totalSteps);
        }
        this.peak = peak;
        this.min = min;
        this.warmupSteps = warmupSteps;
        this.totalSteps = totalSteps;
    }

    /** The learning rate of 0-based {@code step}. */
    public double lr(long step) {
        if (step < 0) throw new IllegalArgumentException("lr schedule: step must be >= 0, got " + step);
        if (step < warmupSteps) return peak * (step + 1) / warmupSteps;
        if (step >= totalSteps) return min;
        double progress = (double) (step - warmupSteps) / (totalSteps - warmupSteps);
        return min + 0.5 * (peak - min) * (1 + Math.cos(Math.PI * progress));
    }
}
