package dev.sparkmoe.worker.engine;

import dev.sparkmoe.worker.model.BatchShare;
import dev.sparkmoe.worker.model.TokenBatch;

/**
 * One data partition's input to a training step: its sequences of the global batch (null when
 * it drew none) and its share of the batch. Built inside the partition's task from the data
 * pipeline's sample, never shipped.
 */
public record PartitionBatch(int partition, TokenBatch batch, BatchShare share) {
    public PartitionBatch {
        if (partition < 0) throw new IllegalArgumentException("partition = " + partition + ": must be >= 0");
    }
}
