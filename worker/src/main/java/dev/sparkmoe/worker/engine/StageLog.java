package dev.sparkmoe.worker.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Runs the numbered stages of one step-long, in-place-advancing partition object at most once
 * each, in order, and replays a stage's output when it is asked again.
 *
 * <p>Why: the engine keeps a data partition's pass (and an expert partition's experts) as one
 * object in a cached RDD partition that each stage advances in place. Spark may run a stage's
 * task again (a retried attempt, a recomputed child partition) on the object an earlier attempt
 * already advanced; replaying the recorded output makes that retry see exactly what the first
 * attempt emitted. A stage that threw halfway leaves the object unusable, and every later call
 * says so instead of computing on half-updated state (callers read all shuffle input before a
 * stage starts, so only a real error can stop one midway). A recomputed partition builds a fresh
 * object from its lineage, and every stage is a deterministic function of its inputs, so a fresh
 * object and a replayed one agree bit for bit.
 */
final class StageLog {
    private final String owner;
    private final List<Object> outputs = new ArrayList<>();
    private String brokenAt;

    StageLog(String owner) {
        this.owner = owner;
    }

    /** Records {@code output} as stage 0 (computed when the object was built). */
    StageLog(String owner, Object stage0) {
        this(owner);
        outputs.add(stage0);
    }

    /**
     * The output of {@code stage}: recorded if it ran, else {@code body}'s result (the stage must
     * be the next one).
     */
    @SuppressWarnings("unchecked")
    synchronized <T> T run(int stage, Supplier<T> body) {
        if (stage < outputs.size()) return (T) outputs.get(stage);
        if (brokenAt != null) {
            throw new IllegalStateException(owner + ": stage " + brokenAt + " failed halfway, so this state cannot run stage "
                    + stage + "; Spark must recompute the partition from its lineage");
        }
        if (stage != outputs.size()) {
            throw new IllegalStateException(owner + ": asked for stage " + stage + " but only stages 0.." + (outputs.size() - 1)
                    + " have run");
        }
        brokenAt = Integer.toString(stage);
        T out = body.get();
        outputs.add(out);
        brokenAt = null;
        return out;
    }

    /** The recorded output of {@code stage}, which must have run. */
    @SuppressWarnings("unchecked")
    synchronized <T> T get(int stage) {
        if (stage < 0 || stage >= outputs.size()) {
            throw new IllegalStateException(owner + ": stage " + stage + " has not run (stages run: " + outputs.size() + ")");
        }
        return (T) outputs.get(stage);
    }

    /** Stages run so far. */
    synchronized int done() {
        return outputs.size();
    }
}
