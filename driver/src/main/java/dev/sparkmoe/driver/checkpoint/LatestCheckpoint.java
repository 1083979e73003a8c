package dev.sparkmoe.driver.checkpoint;

import dev.sparkmoe.worker.state.TrainingState;

import java.util.List;

/**
 * What {@link CheckpointStore#latest} found: the newest usable checkpoint (or none) and every
 * newer or temporary directory it skipped, with the reason (also logged as a warning).
 *
 * @param location      the checkpoint directory used, or null when none was usable
 * @param state         its verified state, or null
 * @param configDiffers whether it was written under a different config (only when the caller allowed that)
 * @param skipped       directories passed over, temporary ones first, then newest first
 */
public record LatestCheckpoint(String location, TrainingState state, boolean configDiffers, List<Skipped> skipped) {

    public LatestCheckpoint {
        skipped = List.copyOf(skipped);
    }

    /** Whether a usable checkpoint was found. */
    public boolean found() { return state != null; }

    /** One directory that was not used, and why (naming the file and what was expected). */
    public record Skipped(String location, String reason) {}
}
