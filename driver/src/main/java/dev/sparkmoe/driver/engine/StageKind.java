package dev.sparkmoe.driver.engine;

/**
 * The two kinds of stage in a training step's job, as named in the Spark UI: a stage's name is
 * {@code "step S · data stage K …"} or {@code "step S · expert stage K …"} (set through the RDDs'
 * call site), which is how {@link StageTimes} attributes time.
 */
enum StageKind {
    DATA("data stage"), EXPERT("expert stage");

    private final String prefix;

    StageKind(String prefix) {
        this.prefix = prefix;
    }

    /** The label of stage {@code k} of this kind. */
    String label(int k) {
        return prefix + " " + k;
    }

    /** The kind named in a stage name, or null when it is none of the engine's. */
    static StageKind of(String stageName) {
        for (StageKind k : values()) if (stageName.contains("· " + k.prefix + " ")) return k;
        return null;
    }
}
