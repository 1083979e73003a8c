package dev.sparkmoe.data.glue;

import dev.sparkmoe.data.SkipReport;
import java.io.Serializable;
import java.util.Collections;
import java.util.List;

/**
 * The examples of one split of one GLUE task, in file order, with what the reader skipped.
 * Immutable; a driver-side value (Java-serialisable, but its unmodifiable list is not meant
 * for Kryo): parallelise {@link #examples()}, whose {@link GlueExample}s Kryo handles.
 */
public final class GlueData implements Serializable {
    private static final long serialVersionUID = 1L;

    private final GlueTask task;
    private final GlueSplit split;
    private final String source;
    private final List<GlueExample> examples;
    private final SkipReport skips;

    /**
     * @param task     the task
     * @param split    the split
     * @param source   where the examples came from (a path), for messages
     * @param examples the examples in file order (copied)
     * @param skips    what the reader skipped
     */
    public GlueData(GlueTask task, GlueSplit split, String source, List<GlueExample> examples, SkipReport skips) {
        this.task = task;
        this.split = split;
        this.source = source;
        this.examples = Collections.unmodifiableList(List.copyOf(examples));
        this.skips = skips;
    }

    /** The task. */
    public GlueTask task() {
        return task;
    }

    /** The split. */
    public GlueSplit split() {
        return split;
    }

    /** The path the examples were read from. */
    public String source() {
        return source;
    }

    /** The examples, in file order. */
    public List<GlueExample> examples() {
        return examples;
    }

    /** Number of examples. */
    public int size() {
        return examples.size();
    }

    /** What the reader skipped, by reason. */
    public SkipReport skips() {
        return skips;
    }

    @Override
    public String toString() {
        return "GlueData(" + task + " " + split + ", " + examples.size() + " examples from " + source + ", "
                + skips + ")";
    }
}
