/**
 * The state of a training run between two steps, as plain values that both trainers can fill
 * and that a checkpoint writes: {@link dev.sparkmoe.worker.state.TrainingState} (dense
 * parameters as {@link dev.sparkmoe.worker.state.DenseTensor}s, experts as
 * {@link dev.sparkmoe.worker.engine.ExpertState}s, expert sets, placement, controller state,
 * optimiser step count, seed), and {@link dev.sparkmoe.worker.state.ModelStates}, which moves a
 * {@link dev.sparkmoe.worker.model.MoETransformer}'s parameters into and out of it. Everything is
 * float32 and copied bit for bit, so a resumed run continues exactly as one that never stopped.
 * No files here: the driver's {@code dev.sparkmoe.driver.checkpoint} writes and reads them.
 */
package dev.sparkmoe.worker.state;
