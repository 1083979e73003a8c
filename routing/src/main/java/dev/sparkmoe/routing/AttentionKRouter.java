package dev.sparkmoe.routing;

import org.nd4j.linalg.api.buffer.DataType;

/** Placeholder, replaced by the real router in this change. */
final class AttentionKRouter {
    AttentionKRouter(AttentionKConfig config, int dModel, ExpertSet experts, long seed, DataType dtype) {
        throw new IllegalStateException("placeholder");
    }
}
