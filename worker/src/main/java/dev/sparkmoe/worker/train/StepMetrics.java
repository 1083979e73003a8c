package dev.sparkmoe.worker.train;

import java.util.List;

/**
 * What one training step measured.
 *
 * @param step        0-based step
 * @param loss        mean next-token cross-entropy (nats)
 * @param auxLoss     weighted aux losses summed over MoE layers
 * @param lr          learning rate used
 * @param gradNorm    global gradient norm before clipping
 * @param tokens      tokens in the batch
 * @param seconds     wall time of the step
 * @param layers      routing statistics per MoE layer
 * @param events      controller events applied after this step
 */
public record StepMetrics(long step, double loss, double auxLoss, double lr, double gradNorm, long tokens,
                          double seconds, List<LayerStats> layers, List<ControllerEvent> events) {

    public double tokensPerSecond() { return seconds > 0 ? tokens / seconds : 0; }
}
