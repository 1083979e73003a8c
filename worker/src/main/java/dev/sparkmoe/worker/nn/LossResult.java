package dev.sparkmoe.worker.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A loss value and its gradient.
 *
 * @param loss    mean loss over the counted rows (0 when none counted)
 * @param dLogits gradient of {@code loss} with respect to the loss input, same shape and data type as that input
 * @param counted rows that entered the mean (labels other than the ignore index)
 */
public record LossResult(double loss, INDArray dLogits, long counted) {}
