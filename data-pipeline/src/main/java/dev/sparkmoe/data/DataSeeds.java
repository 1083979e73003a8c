package dev.sparkmoe.data;

/**
 * Derives independent, reproducible seeds from a run seed and a path of integers (step,
 * epoch, partition, ...), so that every random choice of the data pipeline can be recomputed
 * anywhere (DESIGN.md invariant 2). SplitMix64's finaliser applied per component; the same
 * function as {@code dev.sparkmoe.routing.Seeds#derive}, copied because data-pipeline must not
 * depend on routing.
 */
public final class DataSeeds {
    private DataSeeds() {}

    /** A seed for the given path under {@code seed}; equal inputs give equal outputs. */
    public static long derive(long seed, long... path) {
        long h = mix(seed ^ 0x9E3779B97F4A7C15L);
        for (long p : path) {
            h = mix(h + 0x9E3779B97F4A7C15L + p);
        }
        return h;
    }

    /** SplitMix64's finaliser: a bijection on 64-bit values with good avalanche. */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
