package dev.sparkmoe.routing;

/** Argument checks shared by the router configs; each message names the key and the value. */
final class RouterChecks {
    private RouterChecks() {}

    static void experts(int numExperts) {
        if (numExperts < 1) {
            throw new IllegalArgumentException("moe.experts = " + numExperts + ": a MoE layer needs at least 1 expert");
        }
    }

    static void finite(String key, double v) {
        if (!Double.isFinite(v)) throw new IllegalArgumentException(key + " = " + v + ": must be finite");
    }

    static void nonNegativeFinite(String key, double v) {
        if (!Double.isFinite(v) || v < 0) throw new IllegalArgumentException(key + " = " + v + ": must be finite and >= 0");
    }
}
