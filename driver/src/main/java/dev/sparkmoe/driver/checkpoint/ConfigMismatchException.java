package dev.sparkmoe.driver.checkpoint;

/**
 * A complete checkpoint written by a run with a different resolved configuration (its config
 * hash differs). Not a damaged checkpoint, so it is not skipped: resuming is refused unless the
 * caller explicitly allows a different config.
 */
public class ConfigMismatchException extends RuntimeException {
    public ConfigMismatchException(String message) {
        super(message);
    }
}
