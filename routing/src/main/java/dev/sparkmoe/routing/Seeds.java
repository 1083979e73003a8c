package dev.sparkmoe.routing;

/**
 * Derives independent, reproducible seeds from a run seed and a path of integers
 * (step, partition, layer, expert, ...), so that every random choice of a run can be
 * recomputed anywhere: a retried task, a recomputed partition or a resumed run draws the same
 * numbers (DESIGN.md invariant 2). The mixer is SplitMix64's finaliser applied per component.
 */
public final class Seeds {
    private Seeds() {}

    /** A seed for the given path under {@code seed}; equal inputs give equal outputs. */
    public static long derive(long seed, long... path) {
        long h = mix(seed ^ 0x9E3779B97F4A7C15L);
        for (long p : path) {
            h = mix(h + 0x9E3779B97F4A7C15L + p);
        }
        return h;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
