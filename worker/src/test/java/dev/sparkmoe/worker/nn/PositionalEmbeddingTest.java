package dev.sparkmoe.worker.nn;

import dev.sparkmoe.testing.GradientCheck;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PositionalEmbeddingTest {
    private static final int MAX = 5;
    private static final int D = 3;

    private static PositionalEmbedding bound(TestParams p) {
        PositionalEmbedding e = new PositionalEmbedding("pos", MAX, D);
        e.bind(p.slicer());
        return e;
    }

    @Test
    void addsPositionRowsInPlace() {
        TestParams p = TestParams.zeros(new ParamSlicer.Sizes(0, MAX * D)).randomise(1, 1.0);
        PositionalEmbedding e = bound(p);
        INDArray x = GradientCheck.random(2, 1.0, 2 * 3, D);
        INDArray before = x.dup();
        e.addTo(x, 2, 3);
        for (int b = 0; b < 2; b++) {
            for (int s = 0; s < 3; s++) {
                assertEquals(before.getRow(b * 3 + s).add(e.table().value().getRow(s)), x.getRow(b * 3 + s));
            }
        }
    }

    @Test
    void gradientSumsOverBatchIntoUsedRows() {
        TestParams p = TestParams.zeros(new ParamSlicer.Sizes(0, MAX * D)).randomise(3, 1.0);
        PositionalEmbedding e = bound(p);
        INDArray x = GradientCheck.random(4, 1.0, 2 * 3, D);
        INDArray g = GradientCheck.random(5, 1.0, 2 * 3, D);
        e.backward(g, 2, 3);
        assertEquals(0.0, e.table().grad().getRow(3).norm2Number().doubleValue());
        p.assertGradients(() -> {
            INDArray y = x.dup();
            e.addTo(y, 2, 3);
            return GradientCheck.dot(g, y);
        }, new String[0], new INDArray[0], new INDArray[0]);
    }

    @Test
    void rejectsSequencesLongerThanMaxLen() {
        PositionalEmbedding e = bound(TestParams.zeros(new ParamSlicer.Sizes(0, MAX * D)));
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                () -> e.addTo(Nd4j.zeros(DataType.DOUBLE, 6, D), 1, 6));
        assertTrue(ex.getMessage().contains("6") && ex.getMessage().contains("maxLen 5"), ex.getMessage());
        assertThrows(IllegalArgumentException.class, () -> e.addTo(Nd4j.zeros(DataType.DOUBLE, 6, D), 2, 2));
    }
}
