/**
 * Building blocks of the Spark engine that need no Spark: the records that cross its shuffles
 * and persisted RDDs ({@link dev.sparkmoe.worker.engine.ExpertState},
 * {@link dev.sparkmoe.worker.engine.TokenBlock}, {@link dev.sparkmoe.worker.engine.ExpertOutputBlock})
 * and the bulk conversions between them and the MoE layer's ND4J arrays
 * ({@link dev.sparkmoe.worker.engine.DispatchBlocks}). Plain Java + ND4J, used inside executor
 * tasks; the Spark adapters (partitioners, Kryo registration) are in {@code dev.sparkmoe.worker.spark}.
 *
 * <p>Shape symbols follow {@link dev.sparkmoe.routing}: {@code D} hidden, {@code F} expert FFN
 * width, {@code NNZ} kept assignments of one data partition, {@code n} rows of one block,
 * {@code N} rows one expert receives in a stage.
 */
package dev.sparkmoe.worker.engine;
