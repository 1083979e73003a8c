package dev.sparkmoe.driver.engine;

import dev.sparkmoe.worker.engine.PartitionBatch;
import org.apache.spark.api.java.JavaRDD;

/**
 * A training set as the Spark engine consumes it: each step's global batch as one
 * {@link PartitionBatch} per data partition, a pure function of the step (so a recomputed
 * partition draws the same sequences), and the same batch for the single-process trainer with
 * the data partitions as its routing groups.
 */
public interface StepBatches {
    /** Data partitions {@code P_d}. */
    int partitions();

    /** Step {@code step}'s batch: an RDD of {@link #partitions()} partitions, one element each (starts no job). */
    JavaRDD<PartitionBatch> batch(long step);

    /** The same batch for the reference trainer: partition 0's rows, then partition 1's..., one routing group per partition. */
    dev.sparkmoe.worker.model.TokenBatch reference(long step);
}
