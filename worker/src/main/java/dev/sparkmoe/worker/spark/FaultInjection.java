package dev.sparkmoe.worker.spark;

import org.apache.spark.TaskContext;

import java.io.Serializable;
import java.util.List;

/**
 * Failures injected into the first attempt of chosen engine tasks, for the tests that hold a
 * retried run bit-identical to an undisturbed one. A fault names a step, a stage kind, a stage
 * number and a partition; the task throws {@link InjectedFailure} after its work is done (so the
 * retry meets state the first attempt already advanced, the hard case) when its attempt number
 * is 0. {@link #NONE} in production.
 */
public final class FaultInjection implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Where a fault strikes: a data stage (dispatch side) or an expert stage. */
    public enum Kind { DATA, EXPERT, UPDATE }

    /** One fault: {@code kind} stage {@code stage} of step {@code step}, in partition {@code partition}. */
    public record Fault(long step, Kind kind, int stage, int partition) implements Serializable {}

    /** No faults. */
    public static final FaultInjection NONE = new FaultInjection(List.of());

    private final List<Fault> faults;

    public FaultInjection(List<Fault> faults) {
        this.faults = List.copyOf(faults);
    }

    /** Throws if a fault matches this task and it is the task's first attempt. */
    public void strike(long step, Kind kind, int stage) {
        if (faults.isEmpty()) return;
        TaskContext tc = TaskContext.get();
        if (tc == null || tc.attemptNumber() > 0) return;
        Fault here = new Fault(step, kind, stage, tc.partitionId());
        if (faults.contains(here)) throw new InjectedFailure(here + " (attempt " + tc.attemptNumber() + ")");
    }

    /** The failure a fault throws. */
    public static final class InjectedFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        InjectedFailure(String message) {
            super("injected failure: " + message);
        }
    }
}
