package dev.sparkmoe.worker.train;

import dev.sparkmoe.worker.model.TokenBatch;

/**
 * Encoded sentences (or sentence pairs) of {@code S} ids each, padded, with a class id or a score
 * per sentence ({@link ExampleSet#sentences}). Batches copy whole rows with {@code arraycopy}.
 */
public final class SentenceExamples implements ExampleSet {
    private static final long serialVersionUID = 1L;
    private final int seqLen;
    private final int[] ids;          // [N·S]
    private final boolean[] padMask;  // [N·S]
    private final int[] labels;       // [N] or null
    private final float[] scores;     // [N] or null

    SentenceExamples(int seqLen, int[] ids, boolean[] padMask, int[] labels, float[] scores) {
        if (seqLen < 1 || ids.length % seqLen != 0 || padMask.length != ids.length) {
            throw new IllegalArgumentException("sentences: ids and padMask must hold N·S values with S = " + seqLen
                    + ", got " + ids.length + " and " + padMask.length);
        }
        int n = ids.length / seqLen;
        if ((labels == null) == (scores == null)) throw new IllegalArgumentException("sentences: exactly one of labels and scores");
        if ((labels != null && labels.length != n) || (scores != null && scores.length != n)) {
            throw new IllegalArgumentException("sentences: " + n + " sentences need " + n + " labels or scores");
        }
        this.seqLen = seqLen;
        this.ids = ids;
        this.padMask = padMask;
        this.labels = labels;
        this.scores = scores;
    }

    @Override public int size() { return ids.length / seqLen; }

    @Override
    public TokenBatch batch(int[] examples) {
        int b = examples.length;
        int[] in = new int[b * seqLen];
        boolean[] pad = new boolean[b * seqLen];
        int[] y = labels == null ? null : new int[b];
        float[] v = scores == null ? null : new float[b];
        for (int i = 0; i < b; i++) {
            int e = examples[i];
            System.arraycopy(ids, e * seqLen, in, i * seqLen, seqLen);
            System.arraycopy(padMask, e * seqLen, pad, i * seqLen, seqLen);
            if (y != null) y[i] = labels[e];
            if (v != null) v[i] = scores[e];
        }
        return TokenBatch.sentences(b, seqLen, in, pad, y, v);
    }

    @Override
    public int realTokens(int[] examples) {
        int n = 0;
        for (int e : examples) {
            for (int t = e * seqLen; t < (e + 1) * seqLen; t++) if (!padMask[t]) n++;
        }
        return n;
    }

    @Override
    public int countedTargets(int[] examples) {
        int n = 0;
        for (int e : examples) {
            if (labels != null ? labels[e] != TokenBatch.IGNORE : !Float.isNaN(scores[e])) n++;
        }
        return n;
    }
}
