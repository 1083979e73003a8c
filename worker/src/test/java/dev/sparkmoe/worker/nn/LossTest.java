package dev.sparkmoe.worker.nn;

import dev.sparkmoe.testing.GradientCheck;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LossTest {
    private static final int IGNORE = -100;

    @Test
    void crossEntropyGradientWithIgnoredRows() {
        INDArray logits = GradientCheck.random(1, 3.0, 5, 4);
        int[] labels = {2, IGNORE, 0, 3, 3};
        LossResult r = SoftmaxCrossEntropy.compute(logits, labels, IGNORE);
        assertEquals(4, r.counted());
        assertEquals(0.0, r.dLogits().getRow(1).norm2Number().doubleValue());
        TestParams.assertNoFailures(new String[] {"logits"}, new INDArray[] {logits}, new INDArray[] {r.dLogits()},
                () -> SoftmaxCrossEntropy.compute(logits, labels, IGNORE).loss());
    }

    @Test
    void crossEntropyValueByHandAndStableForHugeLogits() {
        INDArray logits = Nd4j.createFromArray(new double[][] {{1, 2, 3}, {1000, 1001, 999}});
        LossResult r = SoftmaxCrossEntropy.compute(logits, new int[] {0, 1}, IGNORE);
        double l0 = Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3)) - 1;
        double l1 = Math.log(Math.exp(-1) + 1 + Math.exp(-2));
        assertEquals((l0 + l1) / 2, r.loss(), 1e-12);
        assertEquals((Math.exp(1) / (Math.exp(1) + Math.exp(2) + Math.exp(3)) - 1) / 2, r.dLogits().getDouble(0, 0), 1e-12);
        LossResult f = SoftmaxCrossEntropy.compute(logits.castTo(DataType.FLOAT).muli(-1), new int[] {0, 1}, IGNORE);
        assertTrue(Double.isFinite(f.loss()) && f.dLogits().dataType() == DataType.FLOAT, "float loss " + f.loss());
    }

    @Test
    void crossEntropyAllIgnoredAndBadLabels() {
        INDArray logits = GradientCheck.random(1, 1.0, 2, 3);
        LossResult r = SoftmaxCrossEntropy.compute(logits, new int[] {IGNORE, IGNORE}, IGNORE);
        assertEquals(0.0, r.loss());
        assertEquals(0, r.counted());
        assertArrayEquals(new long[] {2, 3}, r.dLogits().shape());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SoftmaxCrossEntropy.compute(logits, new int[] {0, 3}, IGNORE));
        assertTrue(e.getMessage().contains("label 3") && e.getMessage().contains("row 1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SoftmaxCrossEntropy.compute(logits, new int[] {0}, IGNORE));
    }

    @Test
    void meanSquaredErrorValueAndGradient() {
        INDArray pred = GradientCheck.random(2, 1.0, 4, 1);
        double[] targets = {0.5, -0.5, 1.0, 0.0};
        LossResult r = MeanSquaredError.compute(pred, targets);
        double expected = 0;
        for (int i = 0; i < 4; i++) expected += Math.pow(pred.getDouble(i, 0) - targets[i], 2) / 4;
        assertEquals(expected, r.loss(), 1e-12);
        assertArrayEquals(new long[] {4, 1}, r.dLogits().shape());
        TestParams.assertNoFailures(new String[] {"pred"}, new INDArray[] {pred}, new INDArray[] {r.dLogits()},
                () -> MeanSquaredError.compute(pred, targets).loss());
        assertEquals(r.loss(), MeanSquaredError.compute(pred.reshape(4), targets).loss(), 1e-15);
        assertThrows(IllegalArgumentException.class, () -> MeanSquaredError.compute(pred, new double[3]));
    }
}
