package dev.sparkmoe.routing;

import org.nd4j.linalg.api.buffer.DataType;

/**
 * Configuration of one of the three routers (ROUTING.md §1-3): a validated value that builds
 * the runtime {@link Router}. Validation messages name the key, the value and what is allowed.
 */
public sealed interface RouterConfig extends java.io.Serializable permits TopKConfig, TopAnyConfig, AttentionKConfig {

    /** Short name used in configs, metrics and reports: "topk", "topany", "attnk". */
    String kind();

    /**
     * Checks this config against a layer of {@code numExperts} live experts.
     *
     * @throws IllegalArgumentException naming the key, the value and what is allowed
     */
    void validate(int numExperts);

    /**
     * Builds the router for a layer with hidden size {@code dModel} and live {@code experts},
     * its parameters initialised deterministically from {@code seed}, in data type {@code dtype}.
     */
    Router create(int dModel, ExpertSet experts, long seed, DataType dtype);

    /** Mean experts activated per token that this router aims at, for FLOP estimates; NaN if dynamic. */
    double nominalK();
}
