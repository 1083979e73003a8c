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

class FeedForwardTest {

    private static FeedForward bound(TestParams p, long d, long f) {
        FeedForward ff = new FeedForward("ffn", d, f);
        ff.bind(p.slicer());
        return ff;
    }

    @Test
    void sizesCountBothLinears() {
        assertEquals(new ParamSlicer.Sizes(2 * 4 * 6, 6 + 4), new FeedForward("ffn", 4, 6).sizes());
    }

    @Test
    void gradientsOfParamsAndInput() {
        FeedForward probe = new FeedForward("ffn", 3, 5);
        TestParams p = TestParams.zeros(probe.sizes()).randomise(11, 0.6);
        FeedForward ff = bound(p, 3, 5);
        INDArray x = GradientCheck.random(12, 1.0, 4, 3);
        INDArray g = GradientCheck.random(13, 1.0, 4, 3);
        ff.forward(x);
        INDArray dx = ff.backward(g);
        TestParams.assertNonZero(p.plain.grad(), "bias");
        p.assertGradients(() -> GradientCheck.dot(g, ff.forward(x)), new String[] {"x"}, new INDArray[] {x}, new INDArray[] {dx});
    }

    @Test
    void expertWithNoTokens() {
        TestParams p = TestParams.zeros(new FeedForward("ffn", 3, 5).sizes()).randomise(1, 0.5);
        FeedForward ff = bound(p, 3, 5);
        INDArray y = ff.forward(Nd4j.create(DataType.DOUBLE, 0, 3));
        assertArrayEquals(new long[] {0, 3}, y.shape());
        INDArray dx = ff.backward(Nd4j.create(DataType.DOUBLE, 0, 3));
        assertArrayEquals(new long[] {0, 3}, dx.shape());
        assertEquals(0.0, p.decayed.grad().norm2Number().doubleValue());
        assertEquals(0.0, p.plain.grad().norm2Number().doubleValue());
    }

    @Test
    void shapeErrorNamesTheLayer() {
        FeedForward ff = bound(TestParams.zeros(new FeedForward("ffn", 3, 5).sizes()), 3, 5);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ff.forward(Nd4j.zeros(DataType.DOUBLE, 2, 4)));
        assertTrue(e.getMessage().startsWith("ffn:") && e.getMessage().contains("[2, 4]"), e.getMessage());
    }

    @Test
    void backwardWithoutForwardFails() {
        FeedForward ff = bound(TestParams.zeros(new FeedForward("ffn", 3, 5).sizes()), 3, 5);
        assertThrows(IllegalStateException.class, () -> ff.backward(Nd4j.zeros(DataType.DOUBLE, 2, 3)));
    }

    @Test
    void initIsDeterministicAndLinearsDiffer() {
        TestParams a = TestParams.zeros(new FeedForward("ffn", 8, 8).sizes());
        TestParams b = TestParams.zeros(new FeedForward("ffn", 8, 8).sizes());
        FeedForward fa = bound(a, 8, 8);
        fa.init(3);
        bound(b, 8, 8).init(3);
        assertEquals(a.decayed.value(), b.decayed.value());
        assertTrue(!fa.fc1().weight().value().equals(fa.fc2().weight().value()), "fc1 and fc2 drew the same numbers");
    }
}
