package dev.sparkmoe.worker.train;

/**
 * What an evaluation over a number of batches measured, the same from the single-process
 * trainer and the Spark engine: the mean head loss over the counted targets and, for a
 * per-sequence head, its outputs for every sequence.
 *
 * @param loss    mean loss (cross-entropy in nats, or squared error) over the counted targets; NaN when none
 * @param counted targets counted
 * @param outputs per batch, {@code [B·C]} row-major head outputs of its sequences in row order
 *                (class logits, or the regression prediction); empty rows for a language model
 */
public record Evaluation(double loss, long counted, float[][] outputs) {}
