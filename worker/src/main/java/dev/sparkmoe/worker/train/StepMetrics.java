package dev.sparkmoe.worker.train;

import java.util.List;
import java.util.Map;

/**
 * What one training step measured.
 *
 * @param step         0-based step
 * @param loss         mean next-token cross-entropy (nats)
 * @param auxLoss      weighted aux losses summed over MoE layers
 * @param lr           learning rate used
 * @param gradNorm     global gradient norm before clipping
 * @param tokens       tokens in the batch
 * @param seconds      wall time of the step
 * @param layers       routing statistics per MoE layer
 * @param events       controller events applied after this step
 * @param stageSeconds where the step's time went, by stage name (seconds, in the order the stages
 *                     run; for the Spark engine dense_compute, dispatch_shuffle, expert_compute,
 *                     combine_shuffle, param_sync); empty when the trainer does not measure it
 */
public record StepMetrics(long step, double loss, double auxLoss, double lr, double gradNorm, long tokens,
                          double seconds, List<LayerStats> layers, List<ControllerEvent> events,
                          Map<String, Double> stageSeconds) {

    public StepMetrics {
        stageSeconds = stageSeconds == null ? Map.of() : stageSeconds;
    }

    /** A step without a stage-time breakdown. */
    public StepMetrics(long step, double loss, double auxLoss, double lr, double gradNorm, long tokens,
                       double seconds, List<LayerStats> layers, List<ControllerEvent> events) {
        this(step, loss, auxLoss, lr, gradNorm, tokens, seconds, layers, events, Map.of());
    }

    /** The same metrics with a stage-time breakdown (an insertion-ordered map keeps the stages' order). */
    public StepMetrics withStageSeconds(Map<String, Double> stages) {
        return new StepMetrics(step, loss, auxLoss, lr, gradNorm, tokens, seconds, layers, events, stages);
    }

    public double tokensPerSecond() { return seconds > 0 ? tokens / seconds : 0; }
}
