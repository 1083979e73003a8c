package dev.sparkmoe.worker.train;

import dev.sparkmoe.worker.model.TokenBatch;

/**
 * A deterministic source of batches: the batch of step {@code s} depends only on the source's
 * seed and {@code s}, so a retried or resumed step sees the same tokens.
 */
@FunctionalInterface
public interface TokenBatches {
    /** The batch of step (or evaluation index) {@code step}. */
    TokenBatch batch(long step);
}
