package dev.sparkmoe.driver.engine;

/**
 * How the Spark engine spreads the work: expert partitions, how unbalanced their recorded load
 * may get before experts move, and how often to check.
 *
 * @param expertPartitions   {@code P_e >= 1} partitions of the experts RDD
 * @param placementTolerance re-place when the busiest expert partition's load exceeds
 *                           {@code (1 + tolerance)·mean} ({@code >= 0})
 * @param rebalanceEvery     check the load every this many steps; 0 = only when the controller changes experts
 */
public record EngineLayout(int expertPartitions, double placementTolerance, int rebalanceEvery) {
    public EngineLayout {
        if (expertPartitions < 1) {
            throw new IllegalArgumentException("engine.expertPartitions = " + expertPartitions + ": must be >= 1");
        }
        if (!(placementTolerance >= 0) || Double.isInfinite(placementTolerance)) {
            throw new IllegalArgumentException("engine.placementTolerance = " + placementTolerance + ": must be finite and >= 0");
        }
        if (rebalanceEvery < 0) {
            throw new IllegalArgumentException("engine.rebalanceEvery = " + rebalanceEvery + ": must be >= 0");
        }
    }
}
