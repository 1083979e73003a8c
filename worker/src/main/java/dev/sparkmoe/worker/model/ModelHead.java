package dev.sparkmoe.worker.model;

import dev.sparkmoe.worker.nn.ClassificationHead.Pooling;

import java.io.Serializable;

/**
 * What a {@link MoETransformer} predicts from its final normalised hidden rows, and the loss
 * it trains with:
 * <ul>
 *   <li>{@link Kind#LANGUAGE_MODEL}: next-token logits from the tied token embedding, mean
 *       cross-entropy over the counted targets (one per row);</li>
 *   <li>{@link Kind#CLASSIFICATION}: each sequence pooled to one vector
 *       ({@link dev.sparkmoe.worker.nn.ClassificationHead}), {@code classes} logits, mean
 *       cross-entropy over the labelled sequences;</li>
 *   <li>{@link Kind#REGRESSION}: the same with one output, mean squared error over the scored
 *       sequences (GLUE STS-B).</li>
 * </ul>
 *
 * @param classes outputs per sequence (1 for regression, unused for the language model)
 * @param pooling how a sequence becomes one vector (sequence heads only)
 */
public record ModelHead(Kind kind, int classes, Pooling pooling) implements Serializable {

    /** The three heads. */
    public enum Kind { LANGUAGE_MODEL, CLASSIFICATION, REGRESSION }

    /** The language-model head. */
    public static final ModelHead LANGUAGE_MODEL = new ModelHead(Kind.LANGUAGE_MODEL, 0, null);

    public ModelHead {
        if (kind == null) throw new IllegalArgumentException("model head kind is null");
        if (kind == Kind.CLASSIFICATION && classes < 2) {
            throw new IllegalArgumentException("classification head: classes = " + classes + ": must be >= 2");
        }
        if (kind == Kind.REGRESSION && classes != 1) {
            throw new IllegalArgumentException("regression head: classes = " + classes + ": must be 1");
        }
        if (kind != Kind.LANGUAGE_MODEL && pooling == null) {
            throw new IllegalArgumentException(kind + " head: pooling is null");
        }
    }

    /** A head with {@code classes} logits per sequence. */
    public static ModelHead classification(int classes, Pooling pooling) {
        return new ModelHead(Kind.CLASSIFICATION, classes, pooling);
    }

    /** A head with one real output per sequence. */
    public static ModelHead regression(Pooling pooling) {
        return new ModelHead(Kind.REGRESSION, 1, pooling);
    }

    /** Whether the head predicts one output per sequence (classification or regression). */
    public boolean perSequence() { return kind != Kind.LANGUAGE_MODEL; }
}
