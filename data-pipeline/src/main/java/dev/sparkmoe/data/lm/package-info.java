/**
 * Language-modelling batches: {@link dev.sparkmoe.data.lm.SequencePacker} cuts a token stream
 * into {@code S + 1} blocks and samples {@code int[B][S + 1]} batches from {@code (seed, step)}.
 */
package dev.sparkmoe.data.lm;
