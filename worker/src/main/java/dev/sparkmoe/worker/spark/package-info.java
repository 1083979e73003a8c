/**
 * The Spark adapters of the engine: the partitioners that route expert-addressed and
 * data-addressed records ({@link dev.sparkmoe.worker.spark.ExpertPartitioner},
 * {@link dev.sparkmoe.worker.spark.DataPartitioner}, keyed by
 * {@link dev.sparkmoe.worker.spark.ExpertKey} and {@code Integer}) and the Kryo registration of
 * the engine's records ({@link dev.sparkmoe.worker.spark.EngineKryoRegistrator}). The only
 * package of {@code worker} that imports Spark; the records and conversions themselves are in
 * {@code dev.sparkmoe.worker.engine}.
 */
package dev.sparkmoe.worker.spark;
