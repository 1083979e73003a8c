package dev.sparkmoe.worker.train;

import dev.sparkmoe.worker.model.TokenBatch;

import java.io.Serializable;

/**
 * A labelled set of examples held whole in memory (encoded sentences, decoded images) that a
 * job with a per-sequence head trains or evaluates on: the batch of any chosen examples, in the
 * order chosen. Serializable so that the Spark engine broadcasts it once and every data
 * partition builds its own rows in its task.
 */
public interface ExampleSet extends Serializable {
    /** Examples in the set. */
    int size();

    /** The batch of {@code examples} (indices into the set), in that order, one routing group. */
    TokenBatch batch(int[] examples);

    /** {@code batch(examples).realTokens()}, from the set's metadata without building the rows. */
    int realTokens(int[] examples);

    /** {@code batch(examples).countedTargets()}, from the set's metadata without building the rows. */
    int countedTargets(int[] examples);

    /** Encoded sentences or pairs: {@code [N·S]} ids with padding, class ids or scores. */
    static ExampleSet sentences(int seqLen, int[] ids, boolean[] padMask, int[] labels, float[] scores) {
        return new SentenceExamples(seqLen, ids, padMask, labels, scores);
    }

    /** Images {@code [N·C·H·W]} with class ids; each becomes {@code rows} rows (patches and class token). */
    static ExampleSet images(int rows, int imageSize, float[] pixels, int[] labels) {
        return new ImageExamples(rows, imageSize, pixels, labels);
    }
}
