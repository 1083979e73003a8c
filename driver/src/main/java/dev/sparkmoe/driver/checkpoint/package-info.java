/**
 * Checkpoints: {@link dev.sparkmoe.worker.state.TrainingState}s written to and read from any
 * Hadoop path as a directory per checkpoint with a JSON manifest and checksummed ND4J tensor
 * files ({@link dev.sparkmoe.driver.checkpoint.CheckpointFormat}), and the
 * {@link dev.sparkmoe.driver.checkpoint.CheckpointStore} that saves them on schedule, keeps the
 * newest few and finds the newest usable one to resume from. Files only: the state is captured
 * from and restored into models by the worker ({@code ReferenceTrainer.capture/resume},
 * {@code ModelStates}). Driver side; no Java serialization.
 */
package dev.sparkmoe.driver.checkpoint;
