package dev.sparkmoe.driver.config;

import com.typesafe.config.Config;

/**
 * When a run saves checkpoints under {@code <run.dir>/checkpoints} and how many it keeps.
 *
 * @param every save after every {@code every} completed steps; 0 saves only at the end of training
 * @param keep  complete checkpoints to keep; older ones are deleted once a newer one is complete
 */
public record CheckpointSettings(int every, int keep) {

    public CheckpointSettings {
        if (every < 0) {
            throw new IllegalArgumentException("checkpoint.every = " + every + ": must be >= 0 (0: only at the end of training)");
        }
        if (keep < 1) throw new IllegalArgumentException("checkpoint.keep = " + keep + ": must be >= 1");
    }

    static CheckpointSettings from(Config c) {
        return new CheckpointSettings(c.getInt("checkpoint.every"), c.getInt("checkpoint.keep"));
    }

    /** Whether a checkpoint is due after {@code completedSteps} of {@code totalSteps}: every {@link #every} steps and at the end. */
    public boolean due(long completedSteps, long totalSteps) {
        return completedSteps == totalSteps || (every > 0 && completedSteps > 0 && completedSteps % every == 0);
    }
}
