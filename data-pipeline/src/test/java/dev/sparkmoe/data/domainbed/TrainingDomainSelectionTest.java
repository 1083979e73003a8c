package dev.sparkmoe.data.domainbed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparkmoe.data.domainbed.TrainingDomainSelection.Evaluation;
import dev.sparkmoe.data.domainbed.TrainingDomainSelection.Selected;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrainingDomainSelectionTest {
    private static Evaluation eval(long step, int[] correct, int[] total, int testCorrect, int testTotal) {
        return new Evaluation(step, correct, total, testCorrect, testTotal);
    }

    @Test
    void picksHighestMeanValAccuracyAndReportsItsTestAccuracy() {
        Evaluation early = eval(100, new int[] {50, 50}, new int[] {100, 100}, 90, 100);
        Evaluation best = eval(200, new int[] {80, 70}, new int[] {100, 100}, 40, 100);
        Evaluation late = eval(300, new int[] {60, 60}, new int[] {100, 100}, 99, 100);
        Selected s = TrainingDomainSelection.select(List.of(early, best, late));
        assertEquals(200, s.step());
        assertEquals(best, s.evaluation());
        assertEquals(0.75, s.valAccuracy(), 1e-15);
        assertEquals(0.40, s.testAccuracy(), 1e-15); // the test domain never influences the choice
    }

    @Test
    void averagesPerDomainAccuraciesInsteadOfPoolingCounts() {
        // A: domain accuracies 0.9 (of 10) and 0.5 (of 1000): mean 0.70, pooled 509/1010 = 0.504
        Evaluation a = eval(1, new int[] {9, 500}, new int[] {10, 1000}, 1, 2);
        // B: 0.6 and 0.6: mean 0.60, pooled 0.60 — pooling would pick B
        Evaluation b = eval(2, new int[] {6, 600}, new int[] {10, 1000}, 2, 2);
        Selected s = TrainingDomainSelection.select(List.of(a, b));
        assertEquals(1, s.step());
        assertEquals((0.9 + 0.5) / 2, s.valAccuracy(), 0);
        assertEquals(0.5, s.testAccuracy(), 0);
    }

    @Test
    void tiesGoToTheEarliestStepWhateverTheListOrder() {
        Evaluation s300 = eval(300, new int[] {3}, new int[] {4}, 1, 10);
        Evaluation s100 = eval(100, new int[] {6}, new int[] {8}, 2, 10);
        Evaluation s200 = eval(200, new int[] {75}, new int[] {100}, 3, 10);
        assertEquals(100, TrainingDomainSelection.select(List.of(s300, s100, s200)).step());
        assertEquals(100, TrainingDomainSelection.select(List.of(s200, s300, s100)).step());
    }

    @Test
    void singleEvaluationIsSelected() {
        Evaluation only = eval(0, new int[] {0, 0, 0}, new int[] {5, 5, 5}, 0, 7);
        Selected s = TrainingDomainSelection.select(List.of(only));
        assertEquals(0, s.step());
        assertEquals(0.0, s.valAccuracy());
    }

    @Test
    void emptyListIsRejectedWithAClearMessage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrainingDomainSelection.select(List.of()));
        assertTrue(e.getMessage().contains("no evaluations"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TrainingDomainSelection.select(null));
    }

    @Test
    void inconsistentEvaluationsAreRejected() {
        Evaluation two = eval(1, new int[] {1, 1}, new int[] {2, 2}, 1, 2);
        Evaluation three = eval(2, new int[] {1, 1, 1}, new int[] {2, 2, 2}, 1, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrainingDomainSelection.select(List.of(two, three)));
        assertTrue(e.getMessage().contains("step 2: 3 training domains; expected 2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TrainingDomainSelection.select(List.of(two, two)));
        assertTrue(e.getMessage().contains("step 1 evaluated twice"), e.getMessage());
    }

    @Test
    void badCountsNameTheStepFieldAndValue() {
        assertMessage("step -1", () -> eval(-1, new int[] {1}, new int[] {2}, 1, 2));
        assertMessage("training domain 1 val correct 5; expected 0..4",
                () -> eval(7, new int[] {1, 5}, new int[] {2, 4}, 1, 2));
        assertMessage("training domain 0 val total 0", () -> eval(7, new int[] {0}, new int[] {0}, 1, 2));
        assertMessage("test correct -1", () -> eval(7, new int[] {1}, new int[] {2}, -1, 2));
        assertMessage("test total 0", () -> eval(7, new int[] {1}, new int[] {2}, 0, 0));
        assertMessage("1 valCorrect and 2 valTotal", () -> eval(7, new int[] {1}, new int[] {2, 2}, 0, 1));
        assertMessage("0 valCorrect and 0 valTotal", () -> eval(7, new int[0], new int[0], 0, 1));
    }

    @Test
    void arraysAreCopiedAndCompareByContent() {
        int[] correct = {1, 2};
        Evaluation e = eval(5, correct, new int[] {2, 2}, 1, 1);
        correct[0] = 0;
        assertArrayEquals(new int[] {1, 2}, e.valCorrect());
        e.valCorrect()[1] = 0;
        assertArrayEquals(new int[] {1, 2}, e.valCorrect());
        assertEquals(e, eval(5, new int[] {1, 2}, new int[] {2, 2}, 1, 1));
        assertEquals(e.hashCode(), eval(5, new int[] {1, 2}, new int[] {2, 2}, 1, 1).hashCode());
    }

    private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(expected), () -> "'" + e.getMessage() + "' lacks '" + expected + "'");
    }
}
