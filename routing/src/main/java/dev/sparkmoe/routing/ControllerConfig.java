package dev.sparkmoe.routing;

/**
 * Limits and switches of the expert controller (ROUTING.md §4), per MoE layer.
 *
 * @param minExperts   a layer never drops below this many live experts ({@code >= 1})
 * @param maxExperts   no expert is added once a layer has this many ({@code >= minExperts})
 * @param pruneEnabled remove experts that received no token in the window
 *                     ({@code controller.prune.enabled})
 * @param addEnabled   add an expert for tokens routed nowhere ({@code controller.add.enabled})
 */
public record ControllerConfig(int minExperts, int maxExperts, boolean pruneEnabled, boolean addEnabled)
        implements java.io.Serializable {

    public ControllerConfig {
        if (minExperts < 1) {
            throw new IllegalArgumentException("controller.minExperts = " + minExperts + ": must be >= 1");
        }
        if (maxExperts < minExperts) {
            throw new IllegalArgumentException("controller.maxExperts = " + maxExperts
                    + ": must be >= controller.minExperts (" + minExperts + ")");
        }
    }

    /** Pruning and adding on, between 1 and {@code maxExperts} experts. */
    public static ControllerConfig of(int maxExperts) { return new ControllerConfig(1, maxExperts, true, true); }
}
