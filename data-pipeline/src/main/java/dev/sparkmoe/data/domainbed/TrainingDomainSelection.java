package dev.sparkmoe.data.domainbed;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * DomainBed's "training-domain validation" model selection ({@code domainbed/model_selection.py},
 * {@code IIDAccuracySelectionMethod}): of the checkpoints a leave-one-domain-out run evaluated, pick
 * the one whose held-out accuracy, averaged over the training domains, is highest, and report its
 * accuracy on the test domain. The test domain takes no part in the choice, which is what makes
 * the reported number an honest out-of-domain estimate.
 *
 * <ul>
 *   <li>The validation accuracy is the mean of the per-domain accuracies ({@code np.mean} over
 *       {@code env{i}_out_acc}), not the pooled {@code Σcorrect / Σtotal}: a small training
 *       domain counts as much as a large one, as in DomainBed.</li>
 *   <li>Ties go to the earliest step. DomainBed takes Python's {@code max} over the records in
 *       the order the run wrote them, i.e. the first maximal one; the step makes that order
 *       explicit here, so the input list may come in any order.</li>
 * </ul>
 * Pure computation on the driver; nothing blocks. Test-domain ("oracle") selection is
 * deliberately absent: it peeks at the test domain.
 */
public final class TrainingDomainSelection {
    private TrainingDomainSelection() {}

    /**
     * One evaluation of a run at a checkpoint: per training domain the correct / total counts on
     * its held-out (val) split, in the order of {@code LodoSplit.trainDomains()}, and the counts
     * on the test domain. Arrays are copied in and out.
     *
     * @param step        the training step of the checkpoint, {@code >= 0}
     * @param valCorrect  per training domain, correct predictions on its val split
     * @param valTotal    per training domain, examples in its val split, each {@code > 0}
     * @param testCorrect correct predictions on the test domain
     * @param testTotal   examples in the test domain, {@code > 0}
     */
    public record Evaluation(long step, int[] valCorrect, int[] valTotal, int testCorrect, int testTotal) {
        /** @throws IllegalArgumentException naming the step, the field and the bad value */
        public Evaluation {
            if (step < 0) throw new IllegalArgumentException("step " + step + "; expected >= 0");
            if (valCorrect == null || valTotal == null) {
                throw new IllegalArgumentException("step " + step + ": valCorrect and valTotal must not be null");
            }
            if (valCorrect.length == 0 || valCorrect.length != valTotal.length) {
                throw new IllegalArgumentException("step " + step + ": " + valCorrect.length + " valCorrect and "
                        + valTotal.length + " valTotal entries; expected one of each per training domain (at least one)");
            }
            for (int d = 0; d < valTotal.length; d++) {
                checkCounts(step, "training domain " + d + " val", valCorrect[d], valTotal[d]);
            }
            checkCounts(step, "test", testCorrect, testTotal);
            valCorrect = valCorrect.clone();
            valTotal = valTotal.clone();
        }

        private static void checkCounts(long step, String what, int correct, int total) {
            if (total <= 0) {
                throw new IllegalArgumentException("step " + step + ": " + what + " total " + total
                        + "; expected > 0 (accuracy of an empty split is undefined)");
            }
            if (correct < 0 || correct > total) {
                throw new IllegalArgumentException("step " + step + ": " + what + " correct " + correct
                        + "; expected 0.." + total + " (the total)");
            }
        }

        /** Per training domain, correct counts (a copy). */
        @Override
        public int[] valCorrect() {
            return valCorrect.clone();
        }

        /** Per training domain, val-split sizes (a copy). */
        @Override
        public int[] valTotal() {
            return valTotal.clone();
        }

        /** Number of training domains. */
        public int numTrainDomains() {
            return valTotal.length;
        }

        /** Training domain {@code d}'s held-out accuracy, {@code valCorrect[d] / valTotal[d]}. */
        public double valAccuracy(int d) {
            return (double) valCorrect[d] / valTotal[d];
        }

        /** The selection criterion: the mean over training domains of {@link #valAccuracy(int)}. */
        public double valAccuracy() {
            double sum = 0; // sequential, as numpy sums fewer than 8 values
            for (int d = 0; d < valTotal.length; d++) {
                sum += valAccuracy(d);
            }
            return sum / valTotal.length;
        }

        /** Test-domain accuracy, {@code testCorrect / testTotal}. */
        public double testAccuracy() {
            return (double) testCorrect / testTotal;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Evaluation e && e.step == step && e.testCorrect == testCorrect && e.testTotal == testTotal
                    && Arrays.equals(e.valCorrect, valCorrect) && Arrays.equals(e.valTotal, valTotal);
        }

        @Override
        public int hashCode() {
            return ((Long.hashCode(step) * 31 + Arrays.hashCode(valCorrect)) * 31 + Arrays.hashCode(valTotal)) * 31
                    + testCorrect * 17 + testTotal;
        }

        @Override
        public String toString() {
            return "Evaluation[step=" + step + ", val " + Arrays.toString(valCorrect) + "/" + Arrays.toString(valTotal)
                    + ", test " + testCorrect + "/" + testTotal + "]";
        }
    }

    /**
     * The chosen checkpoint.
     *
     * @param evaluation   the selected evaluation
     * @param valAccuracy  its mean training-domain held-out accuracy, in {@code [0, 1]}
     * @param testAccuracy its test-domain accuracy, in {@code [0, 1]}: the number DomainBed reports
     */
    public record Selected(Evaluation evaluation, double valAccuracy, double testAccuracy) {
        /** The selected checkpoint's step. */
        public long step() {
            return evaluation.step();
        }
    }

    /**
     * Picks the evaluation with the highest {@link Evaluation#valAccuracy()}, the earliest step on
     * ties.
     *
     * @param evaluations one run's evaluations, any order
     * @throws IllegalArgumentException if the list is empty, two evaluations share a step, or
     *         they disagree on the number of training domains (each names the values)
     */
    public static Selected select(List<Evaluation> evaluations) {
        if (evaluations == null || evaluations.isEmpty()) {
            throw new IllegalArgumentException("no evaluations to select from; expected at least one checkpoint's "
                    + "training-domain val and test-domain counts");
        }
        int domains = evaluations.get(0).numTrainDomains();
        Set<Long> steps = new HashSet<>();
        Evaluation best = null;
        double bestAcc = Double.NEGATIVE_INFINITY;
        for (Evaluation e : evaluations) {
            if (e.numTrainDomains() != domains) {
                throw new IllegalArgumentException("step " + e.step() + ": " + e.numTrainDomains() + " training domains; "
                        + "expected " + domains + " as at step " + evaluations.get(0).step());
            }
            if (!steps.add(e.step())) {
                throw new IllegalArgumentException("step " + e.step() + " evaluated twice; expected one evaluation per step");
            }
            double acc = e.valAccuracy();
            if (acc > bestAcc || (acc == bestAcc && e.step() < best.step())) {
                best = e;
                bestAcc = acc;
            }
        }
        return new Selected(best, bestAcc, best.testAccuracy());
    }
}
