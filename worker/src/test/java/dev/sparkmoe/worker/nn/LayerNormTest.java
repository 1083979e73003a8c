package dev.sparkmoe.worker.nn;

import dev.sparkmoe.testing.GradientCheck;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LayerNormTest {

    private static LayerNorm bound(TestParams p, long d) {
        LayerNorm ln = new LayerNorm("ln", d, 1e-5);
        ln.bind(p.slicer());
        return ln;
    }

    @Test
    void gradientsOfGainBiasAndInput() {
        TestParams p = TestParams.zeros(new ParamSlicer.Sizes(0, 2 * 6)).randomise(5, 1.0);
        LayerNorm ln = bound(p, 6);
        INDArray x = GradientCheck.random(6, 2.0, 4, 6);
        INDArray g = GradientCheck.random(7, 1.0, 4, 6);
        ln.forward(x);
        INDArray dx = ln.backward(g);
        TestParams.assertNonZero(dx, "input");
        p.assertGradients(() -> GradientCheck.dot(g, ln.forward(x)), new String[] {"x"}, new INDArray[] {x}, new INDArray[] {dx});
    }

    @Test
    void initialisedNormHasZeroMeanUnitVarianceRows() {
        TestParams p = TestParams.zeros(new ParamSlicer.Sizes(0, 2 * 8));
        LayerNorm ln = bound(p, 8);
        ln.init(1);
        INDArray y = ln.forward(GradientCheck.random(2, 5.0, 3, 8).addi(7));
        for (int r = 0; r < 3; r++) {
            INDArray row = y.getRow(r);
            assertEquals(0.0, row.meanNumber().doubleValue(), 1e-9);
            assertEquals(1.0, row.mul(row).meanNumber().doubleValue(), 1e-5);
        }
    }

    @Test
    void shapeErrorNamesTheLayer() {
        LayerNorm ln = bound(TestParams.zeros(new ParamSlicer.Sizes(0, 8)), 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ln.forward(Nd4j.zeros(DataType.DOUBLE, 2, 5)));
        assertTrue(e.getMessage().startsWith("ln:") && e.getMessage().contains("[N, 4]"), e.getMessage());
    }
}
