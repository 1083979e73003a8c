package dev.sparkmoe.driver.config;

import com.typesafe.config.Config;

/**
 * Where and how a job trains: on the Spark engine (experts on executor partitions, tokens moved
 * by shuffles) or in one process with the reference trainer.
 *
 * @param kind               {@code spark} or {@code single}
 * @param master             Spark master used when none is given by {@code spark-submit}
 * @param dataPartitions     data partitions per step; 0 means Spark's default parallelism
 * @param expertPartitions   expert partitions; 0 means Spark's default parallelism
 * @param placementTolerance how far (fraction of the mean) a partition's recorded load may exceed the mean before experts move
 * @param rebalanceEvery     re-place experts by recorded load every this many steps; 0 only at controller events
 */
public record EngineSettings(String kind, String master, int dataPartitions, int expertPartitions,
                             double placementTolerance, int rebalanceEvery) {

    public EngineSettings {
        if (!kind.equals("spark") && !kind.equals("single")) {
            throw new IllegalArgumentException("engine.kind = \"" + kind + "\": must be spark or single");
        }
        if (master.isBlank()) throw new IllegalArgumentException("engine.master = \"\": must name a Spark master, e.g. local[*]");
        if (dataPartitions < 0) throw new IllegalArgumentException("engine.dataPartitions = " + dataPartitions + ": must be >= 0 (0: Spark's default parallelism)");
        if (expertPartitions < 0) throw new IllegalArgumentException("engine.expertPartitions = " + expertPartitions + ": must be >= 0 (0: Spark's default parallelism)");
        if (!(placementTolerance >= 0)) throw new IllegalArgumentException("engine.placementTolerance = " + placementTolerance + ": must be >= 0");
        if (rebalanceEvery < 0) throw new IllegalArgumentException("engine.rebalanceEvery = " + rebalanceEvery + ": must be >= 0");
    }

    /** Whether the job runs on the Spark engine. */
    public boolean spark() {
        return kind.equals("spark");
    }

    static EngineSettings from(Config c) {
        return new EngineSettings(c.getString("engine.kind"), c.getString("engine.master"), c.getInt("engine.dataPartitions"),
                c.getInt("engine.expertPartitions"), c.getDouble("engine.placementTolerance"), c.getInt("engine.rebalanceEvery"));
    }
}
