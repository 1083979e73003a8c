package dev.sparkmoe.worker.train;

/** Training stopped because the loss or a gradient was not finite; the message names step and layer. */
public final class NonFiniteLossException extends IllegalStateException {
    public NonFiniteLossException(String message) { super(message); }
}
