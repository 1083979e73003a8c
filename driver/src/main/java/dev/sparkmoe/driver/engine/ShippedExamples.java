package dev.sparkmoe.driver.engine;

import dev.sparkmoe.worker.train.ExampleSet;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * A labelled {@link ExampleSet} and its one broadcast to the executors (made on first use), for
 * any number of {@link ExampleStepBatches} over it: a DomainBed sweep's training and evaluation
 * batches of every test domain read the same images, shipped once.
 */
public final class ShippedExamples implements AutoCloseable {
    private final JavaSparkContext sc;
    private final ExampleSet set;
    private Broadcast<ExampleSet> broadcast;

    /** @param sc the Spark context, or null when only reference batches (one process) are wanted */
    public ShippedExamples(JavaSparkContext sc, ExampleSet set) {
        this.sc = sc;
        this.set = set;
    }

    public ExampleSet set() { return set; }

    /** The Spark context the set is shipped on, or null in one process. */
    public JavaSparkContext sparkContext() { return sc; }

    /** The broadcast set, made the first time a Spark batch needs it. */
    synchronized Broadcast<ExampleSet> broadcast() {
        if (sc == null) throw new IllegalStateException("these examples were shipped without a Spark context");
        if (broadcast == null) broadcast = sc.broadcast(set);
        return broadcast;
    }

    /** Releases the broadcast. */
    @Override
    public synchronized void close() {
        if (broadcast != null) broadcast.destroy(false);
        broadcast = null;
    }
}
