package dev.sparkmoe.data.lm;

/**
 * The cross-entropy of a token stream under the unigram distribution of another (add-one
 * smoothed over the vocabulary): the loss a language model must beat to have learnt anything
 * beyond word frequencies.
 */
public final class UnigramBaseline {
    private UnigramBaseline() {}

    /**
     * @param train     ids whose frequencies define the distribution
     * @param eval      ids to score
     * @param vocabSize number of ids ({@code 0 .. vocabSize-1})
     * @return mean {@code −ln p(id)} over {@code eval}, in nats
     */
    public static double crossEntropy(int[] train, int[] eval, int vocabSize) {
        long[] counts = new long[vocabSize];
        for (int id : train) counts[checked(id, vocabSize)]++;
        double total = train.length + (double) vocabSize;
        double sum = 0;
        for (int id : eval) sum -= Math.log((counts[checked(id, vocabSize)] + 1) / total);
        return eval.length == 0 ? Double.NaN : sum / eval.length;
    }

    private static int checked(int id, int vocabSize) {
        if (id < 0 || id >= vocabSize) {
            throw new IllegalArgumentException("token id " + id + " outside the vocabulary [0, " + vocabSize + ")");
        }
        return id;
    }
}
