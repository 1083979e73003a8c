package dev.sparkmoe.worker.nn;

import dev.sparkmoe.testing.GradientCheck;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;

class GeluTest {

    private static double gelu(double x) {
        return 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
    }

    @Test
    void valuesMatchTheTanhFormula() {
        double[] xs = {-3, -1, -0.1, 0, 0.5, 1, 2.5};
        INDArray y = Gelu.forward(Nd4j.createFromArray(xs));
        for (int i = 0; i < xs.length; i++) assertEquals(gelu(xs[i]), y.getDouble(i), 1e-12);
        assertEquals(0.8411920, gelu(1), 1e-6);
    }

    @Test
    void gradientMatchesCentralDifferences() {
        INDArray x = GradientCheck.random(1, 3.0, 6, 5);
        INDArray g = GradientCheck.random(2, 1.0, 6, 5);
        INDArray dx = Gelu.backward(x, g);
        TestParams.assertNoFailures(new String[] {"x"}, new INDArray[] {x}, new INDArray[] {dx},
                () -> GradientCheck.dot(g, Gelu.forward(x)));
    }

    @Test
    void cachedTanhPathEqualsDirectPath() {
        INDArray x = GradientCheck.random(3, 2.0, 4, 4);
        INDArray g = GradientCheck.random(4, 1.0, 4, 4);
        INDArray t = Gelu.tanhInner(x);
        assertEquals(Gelu.forward(x), Gelu.fromTanh(x, t));
        assertEquals(Gelu.backward(x, g), Gelu.backwardFromTanh(x, t, g));
    }
}
