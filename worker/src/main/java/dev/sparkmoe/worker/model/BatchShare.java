package dev.sparkmoe.worker.model;

/**
 * What part of a larger batch a {@link TokenBatch} is: how a Spark data partition's pass scales
 * its losses so that the partitions' losses and gradients add up to the whole batch's
 * (docs/spark-engine.md, "Routing groups"). The single-process trainer uses {@link #WHOLE}.
 *
 * @param auxScale        {@code T_p/T}: the share of the batch's non-padding tokens; multiplies
 *                        every router's weighted aux loss (finite, {@code >= 0})
 * @param lossDenominator the whole batch's counted targets, the cross-entropy's divisor;
 *                        0 for this batch's own count
 */
public record BatchShare(double auxScale, int lossDenominator) implements java.io.Serializable {
    /** A batch that is all of itself. */
    public static final BatchShare WHOLE = new BatchShare(1.0, 0);

    public BatchShare {
        if (!(auxScale >= 0) || Double.isInfinite(auxScale)) {
            throw new IllegalArgumentException("BatchShare.auxScale = " + auxScale + ": must be finite and >= 0");
        }
        if (lossDenominator < 0) {
            throw new IllegalArgumentException("BatchShare.lossDenominator = " + lossDenominator + ": must be >= 0");
        }
    }

    /**
     * The share of {@code tokens} non-padding tokens out of {@code total} whose loss counts
     * {@code targets} targets: {@code auxScale = tokens/total} as {@code GroupedRouting} computes
     * a group's scale, so engine and reference agree bit for bit.
     */
    public static BatchShare of(int tokens, int total, int targets) {
        if (tokens < 0 || total < 1 || tokens > total) {
            throw new IllegalArgumentException("BatchShare: need 0 <= tokens <= total, total >= 1; got " + tokens + " of " + total);
        }
        return new BatchShare((double) tokens / total, targets);
    }
}
