package dev.sparkmoe.worker.spark;

import org.apache.spark.util.KnownSizeEstimation;

import java.util.function.ToLongFunction;

/**
 * A step-long, executor-resident object held in a cached RDD partition (a data partition's pass,
 * an expert partition's experts). It tells Spark's cache its size instead of letting Spark's
 * {@code SizeEstimator} walk the whole object graph (models, ND4J buffers) on every stage: the
 * tensors are off-heap, outside Spark's storage memory, so only the recorded blocks count.
 * Never serialised: the engine runs each stage where its partition is cached.
 */
public final class Resident<T> implements KnownSizeEstimation {
    private final T value;
    private final ToLongFunction<T> heapBytes;

    public Resident(T value, ToLongFunction<T> heapBytes) {
        this.value = value;
        this.heapBytes = heapBytes;
    }

    public T get() { return value; }

    @Override
    public long estimatedSize() {
        return heapBytes.applyAsLong(value);
    }

    @Override
    public String toString() {
        return "Resident(" + value + ")";
    }
}
