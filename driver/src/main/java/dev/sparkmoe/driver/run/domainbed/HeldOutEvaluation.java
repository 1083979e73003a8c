package dev.sparkmoe.driver.run.domainbed;

import dev.sparkmoe.data.domainbed.LodoSplit;
import dev.sparkmoe.data.domainbed.TrainingDomainSelection;
import dev.sparkmoe.driver.engine.ExampleStepBatches;
import dev.sparkmoe.worker.train.Evaluation;

import java.util.function.LongFunction;

/**
 * What one LODO training is evaluated on: the held-out (val) split of every training domain,
 * then the test domain's test split, each cut into consecutive batches
 * ({@link ExampleStepBatches#consecutive}) and numbered one after the other, so that a single
 * {@code Training.evaluate} call covers them all. Turns the logits back into correct/total counts
 * per split (accuracy = argmax of the logits against the label) and the mean cross-entropy of
 * the val splits. Driver side.
 */
final class HeldOutEvaluation {
    private final DomainBedExamples examples;
    private final int[][] parts;        // set indices: val split of each training domain, then the test split
    private final int[] firstBatch;     // evaluation batch where part k starts; last entry = all batches
    private final int batchSize;
    private final int classes;

    HeldOutEvaluation(DomainBedExamples examples, LodoSplit split, int batchSize, int classes) {
        int[] train = split.trainDomains();
        this.examples = examples;
        this.parts = new int[train.length + 1][];
        for (int k = 0; k < train.length; k++) parts[k] = examples.global(train[k], split.val(train[k]));
        parts[train.length] = examples.global(split.testDomain(), split.test(split.testDomain()));
        this.firstBatch = new int[parts.length + 1];
        for (int k = 0; k < parts.length; k++) {
            if (parts[k].length == 0) {
                throw new IllegalArgumentException(k < train.length
                        ? "domain " + train[k] + " has an empty held-out split (domainbed.holdout too small for its size?)"
                        : "test domain " + split.testDomain() + " has no images");
            }
            firstBatch[k + 1] = firstBatch[k] + ExampleStepBatches.batchesToCover(parts[k].length, batchSize);
        }
        this.batchSize = batchSize;
        this.classes = classes;
    }

    /** Evaluation batches in all. */
    int batches() { return firstBatch[parts.length]; }

    /** Evaluation batch {@code i} → its set indices, in row order. */
    LongFunction<int[]> chooser() {
        return i -> {
            int k = part((int) i);
            int[] positions = ExampleStepBatches.consecutive(parts[k].length, batchSize).apply(i - firstBatch[k]);
            int[] out = new int[positions.length];
            for (int j = 0; j < out.length; j++) out[j] = parts[k][positions[j]];
            return out;
        };
    }

    /**
     * Counts of an evaluation of {@link #batches()} batches after step {@code step}.
     *
     * @param e its outputs: per batch the row-major logits {@code [B·C]}
     */
    Scored score(long step, Evaluation e) {
        if (e.outputs() == null || e.outputs().length != batches()) {
            throw new IllegalStateException("expected logits of " + batches() + " evaluation batches, got "
                    + (e.outputs() == null ? "none" : e.outputs().length));
        }
        int vals = parts.length - 1;
        int[] correct = new int[parts.length];
        double valLoss = 0;
        for (int k = 0; k < parts.length; k++) {
            for (int b = firstBatch[k]; b < firstBatch[k + 1]; b++) {
                float[] logits = e.outputs()[b];
                int from = (b - firstBatch[k]) * batchSize;
                int rows = logits.length / classes;
                for (int r = 0; r < rows; r++) {
                    int label = examples.label(parts[k][from + r]);
                    if (argmax(logits, r * classes) == label) correct[k]++;
                    if (k < vals) valLoss += crossEntropy(logits, r * classes, label) / parts[k].length;
                }
            }
        }
        int[] valCorrect = new int[vals];
        int[] valTotal = new int[vals];
        for (int k = 0; k < vals; k++) {
            valCorrect[k] = correct[k];
            valTotal[k] = parts[k].length;
        }
        return new Scored(new TrainingDomainSelection.Evaluation(step, valCorrect, valTotal, correct[vals], parts[vals].length),
                valLoss / vals);
    }

    /**
     * @param counts  the correct/total counts DomainBed's model selection works on
     * @param valLoss mean over the training domains of each val split's mean cross-entropy (nats)
     */
    record Scored(TrainingDomainSelection.Evaluation counts, double valLoss) {}

    private int part(int batch) {
        for (int k = 0; k < parts.length; k++) if (batch < firstBatch[k + 1]) return k;
        throw new IllegalArgumentException("evaluation batch " + batch + " is past the " + batches() + " batches");
    }

    private int argmax(float[] logits, int at) {
        int best = 0;
        for (int c = 1; c < classes; c++) if (logits[at + c] > logits[at + best]) best = c;
        return best;
    }

    private double crossEntropy(float[] logits, int at, int label) {
        double max = logits[at + argmax(logits, at)];
        double sum = 0;
        for (int c = 0; c < classes; c++) sum += Math.exp(logits[at + c] - max);
        return max + Math.log(sum) - logits[at + label];
    }
}
