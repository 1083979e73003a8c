/**
 * Optimisation: {@link dev.sparkmoe.worker.optim.AdamW} over {@link dev.sparkmoe.routing.Param}s (moments in
 * the params' slots), the learning-rate schedule and global-norm gradient clipping. Used by the driver for the
 * dense parameters and by expert partitions for their local experts, so both apply identical arithmetic.
 */
package dev.sparkmoe.worker.optim;
