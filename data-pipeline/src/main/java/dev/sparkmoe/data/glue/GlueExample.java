package dev.sparkmoe.data.glue;

import java.io.Serializable;
import java.util.Objects;

/**
 * One GLUE example: its index in the task file, one or two texts, and a class id or a
 * similarity score. Compact and immutable: a classification example keeps {@code score = NaN},
 * an STS-B example keeps {@code label = -1}, an unlabelled (test) example keeps both.
 *
 * <p>A plain final class (not a record) so that Spark's Kryo 4 can serialise it with its
 * field serializer once registered.
 */
public final class GlueExample implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The label id of an example without a class label. */
    public static final int NO_LABEL = -1;

    private final int index;
    private final String textA;
    private final String textB;
    private final int label;
    private final float score;

    private GlueExample(int index, String textA, String textB, int label, float score) {
        this.index = index;
        this.textA = Objects.requireNonNull(textA, "textA");
        this.textB = textB;
        this.label = label;
        this.score = score;
    }

    /** A classification example with label id {@code label >= 0} (see {@link GlueTask#labels()}). */
    public static GlueExample classified(int index, String textA, String textB, int label) {
        if (label < 0) {
            throw new IllegalArgumentException("label id " + label + " of example " + index + "; expected >= 0");
        }
        return new GlueExample(index, textA, textB, label, Float.NaN);
    }

    /** A regression (STS-B) example with a finite similarity score. */
    public static GlueExample scored(int index, String textA, String textB, float score) {
        if (!Float.isFinite(score)) {
            throw new IllegalArgumentException("score " + score + " of example " + index + "; expected a finite value");
        }
        return new GlueExample(index, textA, textB, NO_LABEL, score);
    }

    /** An example without a label (test splits). */
    public static GlueExample unlabelled(int index, String textA, String textB) {
        return new GlueExample(index, textA, textB, NO_LABEL, Float.NaN);
    }

    /** The example's index: the file's {@code index}/{@code id} column, else its 0-based data row. */
    public int index() {
        return index;
    }

    /** The first (or only) text, never null. */
    public String textA() {
        return textA;
    }

    /** The second text of a pair task, or null for single-sentence tasks. */
    public String textB() {
        return textB;
    }

    /** The class id, or {@link #NO_LABEL}. */
    public int label() {
        return label;
    }

    /** The STS-B similarity score, or NaN. */
    public float score() {
        return score;
    }

    /** Whether the example carries a class id or a score. */
    public boolean hasLabel() {
        return label >= 0 || !Float.isNaN(score);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GlueExample e && index == e.index && label == e.label
                && Float.compare(score, e.score) == 0 && textA.equals(e.textA) && Objects.equals(textB, e.textB);
    }

    @Override
    public int hashCode() {
        return Objects.hash(index, textA, textB, label, score);
    }

    @Override
    public String toString() {
        return "GlueExample(" + index + ", '" + textA + "'" + (textB == null ? "" : ", '" + textB + "'")
                + (label >= 0 ? ", label=" + label : "") + (Float.isNaN(score) ? "" : ", score=" + score) + ")";
    }
}
