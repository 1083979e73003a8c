package dev.sparkmoe.worker.nn;

import dev.sparkmoe.testing.GradientCheck;
import dev.sparkmoe.worker.nn.ClassificationHead.Pooling;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClassificationHeadTest {
    private static final int B = 2;
    private static final int S = 3;
    private static final int D = 4;
    private static final int CLASSES = 3;
    private static final boolean[] PAD = {false, false, true, false, true, true};

    private static ClassificationHead bound(TestParams p, Pooling pooling) {
        ClassificationHead h = new ClassificationHead("cls", D, CLASSES, pooling);
        h.bind(p.slicer());
        return h;
    }

    private static TestParams params(long seed) {
        return TestParams.zeros(new ParamSlicer.Sizes(D * CLASSES, CLASSES)).randomise(seed, 0.5);
    }

    @ParameterizedTest
    @EnumSource(Pooling.class)
    void gradientsOfParamsAndInput(Pooling pooling) {
        TestParams p = params(1);
        ClassificationHead head = bound(p, pooling);
        INDArray h = GradientCheck.random(2, 1.0, B * S, D);
        INDArray g = GradientCheck.random(3, 1.0, B, CLASSES);
        head.forward(h, B, S, PAD);
        INDArray dh = head.backward(g);
        TestParams.assertNonZero(dh, "input");
        p.assertGradients(() -> GradientCheck.dot(g, head.forward(h, B, S, PAD)),
                new String[] {"h"}, new INDArray[] {h}, new INDArray[] {dh});
    }

    @Test
    void poolingPicksFirstRowOrMeanOfNonPadding() {
        TestParams p = TestParams.zeros(new ParamSlicer.Sizes(D * D, D));
        for (int i = 0; i < D; i++) p.decayed.value().putScalar(i * D + i, 1.0);   // W = identity, b = 0
        INDArray h = GradientCheck.random(4, 1.0, B * S, D);
        ClassificationHead f = new ClassificationHead("cls", D, D, Pooling.FIRST);
        f.bind(p.slicer());
        INDArray yf = f.forward(h, B, S, PAD);
        assertEquals(h.getRow(0), yf.getRow(0));
        assertEquals(h.getRow(S), yf.getRow(1));
        ClassificationHead mean = new ClassificationHead("cls", D, D, Pooling.MEAN);
        mean.bind(p.slicer());
        INDArray ym = mean.forward(h, B, S, PAD);
        assertTrue(ym.getRow(0).equalsWithEps(h.getRow(0).add(h.getRow(1)).div(2), 1e-12));
        assertTrue(ym.getRow(1).equalsWithEps(h.getRow(3), 1e-12));
    }

    @Test
    void validatesShapes() {
        ClassificationHead head = bound(params(1), Pooling.MEAN);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> head.forward(Nd4j.zeros(DataType.DOUBLE, B * S, D + 1), B, S, null));
        assertTrue(e.getMessage().startsWith("cls:") && e.getMessage().contains("[6, 5]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> head.forward(Nd4j.zeros(DataType.DOUBLE, B * S, D), 4, S, null));
        head.forward(Nd4j.zeros(DataType.DOUBLE, B * S, D), B, S, null);
        assertThrows(IllegalArgumentException.class, () -> head.backward(Nd4j.zeros(DataType.DOUBLE, B, CLASSES + 1)));
    }

    @Test
    void regressionHeadWithMeanSquaredError() {
        TestParams p = TestParams.zeros(new ParamSlicer.Sizes(D, 1)).randomise(5, 0.5);
        RegressionHead head = new RegressionHead("reg", D, Pooling.MEAN);
        head.bind(p.slicer());
        INDArray h = GradientCheck.random(6, 1.0, B * S, D);
        double[] targets = {0.3, -1.2};
        INDArray pred = head.forward(h, B, S, PAD);
        assertArrayEquals(new long[] {B, 1}, pred.shape());
        INDArray dh = head.backward(MeanSquaredError.compute(pred, targets).dLogits());
        p.assertGradients(() -> MeanSquaredError.compute(head.forward(h, B, S, PAD), targets).loss(),
                new String[] {"h"}, new INDArray[] {h}, new INDArray[] {dh});
    }
}
