package dev.sparkmoe.routing;

/**
 * When the expert controller records and when it updates (ROUTING.md §4): record for
 * {@code W = recordSteps} steps, update at the end of that window, stay idle for
 * {@code T = idleSteps} steps, repeat.
 *
 * <p>Step numbering: training steps are counted from 0. With period {@code P = W + T}, step
 * {@code s} records when {@code s mod P < W}; it is an update point when
 * {@code s mod P = W − 1}, i.e. the controller updates after step {@code s} has run and its
 * record has been merged, and the new expert set is in force from step {@code s + 1}. Steps
 * with {@code s mod P >= W} are idle (neither recorded nor updated). The official language runs
 * use {@code W} = steps per epoch, {@code T = 0}; the vision runs {@code W = 1, T = 0} (every step).
 *
 * @param recordSteps {@code W >= 1}
 * @param idleSteps   {@code T >= 0}
 */
public record UpdateSchedule(int recordSteps, int idleSteps) implements java.io.Serializable {

    public UpdateSchedule {
        if (recordSteps < 1) {
            throw new IllegalArgumentException("controller.recordSteps = " + recordSteps + ": must be >= 1");
        }
        if (idleSteps < 0) {
            throw new IllegalArgumentException("controller.idleSteps = " + idleSteps + ": must be >= 0");
        }
    }

    /** Record and update at every step ({@code W = 1, T = 0}). */
    public static UpdateSchedule everyStep() { return new UpdateSchedule(1, 0); }

    /** {@code W + T}. */
    public long period() { return (long) recordSteps + idleSteps; }

    /** Whether step {@code step}'s routing record belongs to a window. */
    public boolean isRecording(long step) { return position(step) < recordSteps; }

    /** Whether the controller updates after step {@code step}. */
    public boolean isUpdatePoint(long step) { return position(step) == recordSteps - 1; }

    /** The window that step {@code step} belongs to (or, when idle, the one that just ended), from 0. */
    public long window(long step) { return checked(step) / period(); }

    private long position(long step) { return checked(step) % period(); }

    private static long checked(long step) {
        if (step < 0) throw new IllegalArgumentException("step = " + step + ": must be >= 0");
        return step;
    }
}
