package dev.sparkmoe.driver.report;

import java.util.Map;

/**
 * One training step as {@code metrics.jsonl} recorded it (see {@code StepReporter}); per-layer
 * arrays are indexed by MoE layer. The fields added after the first releases are null when a
 * line predates them, and the report leaves out what needs them.
 *
 * @param step            0-based step
 * @param loss            train cross-entropy (nats)
 * @param tokens          tokens in the batch
 * @param seconds         wall time of the step
 * @param experts         live experts per layer
 * @param activePerToken  mean kept experts per token, per layer
 * @param tokensPerExpert per layer, kept assignments per slot
 * @param expertIds       per layer, the expert id of each slot; null in older files
 * @param activeHistogram per layer, tokens with 0, 1, 2, ... kept experts; null in older files
 * @param stageSeconds    stage name → seconds, in stage order; null when not measured
 */
public record StepRecord(long step, double loss, long tokens, double seconds, int[] experts, double[] activePerToken,
                         long[][] tokensPerExpert, int[][] expertIds, long[][] activeHistogram,
                         Map<String, Double> stageSeconds) {

    /** MoE layers this step reported. */
    public int layers() { return experts.length; }
}
