package dev.sparkmoe.worker.nn;

import dev.sparkmoe.testing.GradientCheck;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LinearTest {

    private static Linear bound(TestParams p, long in, long out) {
        Linear l = new Linear("lin", in, out);
        l.bind(p.slicer());
        return l;
    }

    @Test
    void gradientsOfWeightsBiasAndInput() {
        TestParams p = TestParams.zeros(new ParamSlicer.Sizes(4 * 3, 3)).randomise(1, 0.5);
        Linear l = bound(p, 4, 3);
        INDArray x = GradientCheck.random(2, 1.0, 5, 4);
        INDArray g = GradientCheck.random(3, 1.0, 5, 3);
        l.forward(x);
        INDArray dx = l.backward(g);
        TestParams.assertNonZero(p.decayed.grad(), "weight");
        p.assertGradients(() -> GradientCheck.dot(g, l.forward(x)), new String[] {"x"}, new INDArray[] {x}, new INDArray[] {dx});
    }

    @Test
    void forwardIsAffineAndBackwardAccumulates() {
        TestParams p = TestParams.zeros(new ParamSlicer.Sizes(2 * 2, 2));
        Linear l = bound(p, 2, 2);
        l.weight().value().assign(Nd4j.createFromArray(new double[][] {{1, 2}, {3, 4}}));
        l.bias().value().assign(Nd4j.createFromArray(10.0, 20.0));
        INDArray x = Nd4j.createFromArray(new double[][] {{1, 1}});
        assertEquals(Nd4j.createFromArray(new double[][] {{14, 26}}), l.forward(x));
        l.backward(Nd4j.createFromArray(new double[][] {{1, 0}}));
        l.forward(x);
        l.backward(Nd4j.createFromArray(new double[][] {{1, 0}}));
        assertEquals(Nd4j.createFromArray(new double[][] {{2, 0}, {2, 0}}), l.weight().grad());
        assertEquals(Nd4j.createFromArray(2.0, 0.0), l.bias().grad());
    }

    @Test
    void zeroRowsGiveEmptyOutputAndNoGradient() {
        TestParams p = TestParams.zeros(new ParamSlicer.Sizes(6, 3)).randomise(1, 0.5);
        Linear l = bound(p, 2, 3);
        INDArray y = l.forward(Nd4j.create(DataType.DOUBLE, 0, 2));
        assertArrayEquals(new long[] {0, 3}, y.shape());
        INDArray dx = l.backward(Nd4j.create(DataType.DOUBLE, 0, 3));
        assertArrayEquals(new long[] {0, 2}, dx.shape());
        assertEquals(0.0, p.decayed.grad().norm2Number().doubleValue());
    }

    @Test
    void shapeErrorNamesLayerAndShapes() {
        Linear l = bound(TestParams.zeros(new ParamSlicer.Sizes(12, 3)), 4, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> l.forward(Nd4j.zeros(DataType.DOUBLE, 5, 3)));
        assertTrue(e.getMessage().contains("lin") && e.getMessage().contains("[N, 4]") && e.getMessage().contains("[5, 3]"),
                e.getMessage());
        IllegalArgumentException t = assertThrows(IllegalArgumentException.class,
                () -> l.forward(Nd4j.zeros(DataType.FLOAT, 5, 4)));
        assertTrue(t.getMessage().contains("FLOAT"), t.getMessage());
    }

    @Test
    void initIsDeterministicAndSeeded() {
        TestParams a = TestParams.zeros(new ParamSlicer.Sizes(64 * 32, 32));
        TestParams b = TestParams.zeros(new ParamSlicer.Sizes(64 * 32, 32));
        bound(a, 64, 32).init(7);
        bound(b, 64, 32).init(7);
        assertEquals(a.decayed.value(), b.decayed.value());
        double std = a.decayed.value().stdNumber().doubleValue();
        assertTrue(Math.abs(std - 0.02) < 0.002, "std " + std);
        assertEquals(0.0, a.plain.value().norm2Number().doubleValue());
        bound(b, 64, 32).init(8);
        assertNotEquals(a.decayed.value(), b.decayed.value());
    }
}
