package dev.sparkmoe.driver.checkpoint;

/**
 * A checkpoint directory that cannot be used: incomplete, damaged or of an unknown format. The
 * message names the directory (or file) and what was expected; {@link CheckpointStore#latest}
 * skips such a checkpoint with a warning and falls back to the previous one.
 */
public class CorruptCheckpointException extends RuntimeException {
    public CorruptCheckpointException(String message) {
        super(message);
    }

    public CorruptCheckpointException(String message, Throwable cause) {
        super(message, cause);
    }
}
