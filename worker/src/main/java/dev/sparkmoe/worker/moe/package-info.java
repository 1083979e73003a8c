/**
 * The MoE layer, split the way the best MoE codebases split it:
 * {@link dev.sparkmoe.routing.Router router} → {@link dev.sparkmoe.worker.moe.TokenDispatcher
 * dispatch} → {@link dev.sparkmoe.worker.moe.LocalExperts experts} →
 * {@link dev.sparkmoe.worker.moe.TokenDispatcher combine}. The single-process path and the
 * Spark path differ only in the dispatcher: {@link dev.sparkmoe.worker.moe.InProcessDispatcher}
 * moves rows inside one JVM; the Spark dispatcher moves them as shuffles.
 *
 * <p>Names follow the glossary in {@link dev.sparkmoe.routing}: {@code T} tokens, {@code D}
 * hidden, {@code E} live experts, {@code NNZ} kept assignments; "expert-major" rows are the
 * dispatched token rows ordered by slot, then token.
 */
package dev.sparkmoe.worker.moe;
