package dev.sparkmoe.worker.nn;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A batch's cross-entropy equals the sum of its shares' when each share divides by the whole batch's count. */
class LossShareTest {
    @Test
    void sharesAddUpToTheWholeBatch() {
        INDArray logits = Nd4j.rand(DataType.DOUBLE, 6, 5).muli(4);
        int[] labels = {0, 4, -1, 2, 3, 1};
        LossResult whole = SoftmaxCrossEntropy.compute(logits, labels, -1);
        INDArray top = logits.get(NDArrayIndex.interval(0, 2), NDArrayIndex.all()).dup();
        INDArray bottom = logits.get(NDArrayIndex.interval(2, 6), NDArrayIndex.all()).dup();
        LossResult a = SoftmaxCrossEntropy.compute(top, new int[]{0, 4}, -1, 5);
        LossResult b = SoftmaxCrossEntropy.compute(bottom, new int[]{-1, 2, 3, 1}, -1, 5);
        assertEquals(whole.loss(), a.loss() + b.loss(), 1e-12);
        assertEquals(0, Nd4j.vstack(a.dLogits(), b.dLogits()).sub(whole.dLogits()).amaxNumber().doubleValue(), 1e-15);
        assertThrows(IllegalArgumentException.class, () -> SoftmaxCrossEntropy.compute(top, new int[]{0, 4}, -1, -1));
    }
}
