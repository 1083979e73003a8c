package dev.sparkmoe.worker.nn;

import dev.sparkmoe.testing.GradientCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MultiHeadAttentionTest {
    private static final int B = 2;
    private static final int S = 3;
    private static final int D = 4;
    private static final int H = 2;

    /** Sequence 0 has its last key padded, sequence 1 none. */
    private static final boolean[] PAD = {false, false, true, false, false, false};
    /** Sequence 1 is all padding: every query of it has no key. */
    private static final boolean[] PAD_ALL = {false, true, false, true, true, true};

    static Stream<Arguments> variants() {
        return Stream.of(Arguments.of(false, null), Arguments.of(true, null), Arguments.of(false, PAD),
                Arguments.of(true, PAD), Arguments.of(false, PAD_ALL), Arguments.of(true, PAD_ALL));
    }

    private static MultiHeadAttention bound(TestParams p, boolean causal) {
        MultiHeadAttention a = new MultiHeadAttention("attn", D, H, causal);
        a.bind(p.slicer());
        return a;
    }

    private static TestParams params(long seed) {
        return TestParams.zeros(new MultiHeadAttention("attn", D, H, false).sizes()).randomise(seed, 0.7);
    }

    @ParameterizedTest(name = "causal={0} pad={1}")
    @MethodSource("variants")
    void gradientsOfParamsAndInput(boolean causal, boolean[] pad) {
        TestParams p = params(21);
        MultiHeadAttention a = bound(p, causal);
        INDArray x = GradientCheck.random(22, 1.0, B * S, D);
        INDArray g = GradientCheck.random(23, 1.0, B * S, D);
        a.forward(x, B, S, pad);
        INDArray dx = a.backward(g);
        TestParams.assertNonZero(dx, "input");
        p.assertGradients(() -> GradientCheck.dot(g, a.forward(x, B, S, pad)),
                new String[] {"x"}, new INDArray[] {x}, new INDArray[] {dx});
    }

    @ParameterizedTest(name = "causal={0} pad={1}")
    @MethodSource("variants")
    void forwardMatchesNaiveLoops(boolean causal, boolean[] pad) {
        TestParams p = params(31);
        MultiHeadAttention a = bound(p, causal);
        INDArray x = GradientCheck.random(32, 1.0, B * S, D);
        INDArray y = a.forward(x, B, S, pad);
        INDArray expected = naive(p, x, causal, pad);
        assertTrue(y.equalsWithEps(expected, 1e-12), "batched " + y + "\nnaive " + expected);
    }

    @ParameterizedTest(name = "causal={0} pad={1}")
    @MethodSource("variants")
    void probsAreRowStochasticWithExactZeros(boolean causal, boolean[] pad) {
        MultiHeadAttention a = bound(params(41), causal);
        INDArray y = a.forward(GradientCheck.random(42, 3.0, B * S, D), B, S, pad);
        INDArray probs = a.attentionProbs();
        assertArrayEquals(new long[] {B, H, S, S}, probs.shape());
        for (double v : y.dup().data().asDouble()) assertTrue(Double.isFinite(v), "non-finite output " + y);
        for (int b = 0; b < B; b++) {
            for (int h = 0; h < H; h++) {
                for (int i = 0; i < S; i++) {
                    double sum = 0;
                    boolean anyKey = false;
                    for (int j = 0; j < S; j++) {
                        double pij = probs.getDouble(b, h, i, j);
                        boolean masked = (causal && j > i) || (pad != null && pad[b * S + j]);
                        anyKey |= !masked;
                        if (masked) assertEquals(0.0, pij, "masked prob at " + b + "," + h + "," + i + "," + j);
                        sum += pij;
                    }
                    assertEquals(anyKey ? 1.0 : 0.0, sum, 1e-12);
                }
            }
        }
    }

    @Test
    void fullyMaskedQueryOutputsTheOutputBias() {
        TestParams p = params(51);
        MultiHeadAttention a = bound(p, false);
        INDArray y = a.forward(GradientCheck.random(52, 1.0, B * S, D), B, S, PAD_ALL);
        INDArray outBias = p.plain.value().get(NDArrayIndex.interval(3 * D, 4 * D));
        for (int t = S; t < 2 * S; t++) assertEquals(outBias, y.getRow(t));
    }

    @Test
    void validatesShapesAndBatch() {
        MultiHeadAttention a = bound(params(1), true);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> a.forward(Nd4j.zeros(DataType.DOUBLE, 6, 5), 2, 3, null));
        assertTrue(e.getMessage().startsWith("attn:") && e.getMessage().contains("[6, 5]"), e.getMessage());
        IllegalArgumentException bs = assertThrows(IllegalArgumentException.class,
                () -> a.forward(Nd4j.zeros(DataType.DOUBLE, 6, D), 2, 4, null));
        assertTrue(bs.getMessage().contains("attn") && bs.getMessage().contains("6"), bs.getMessage());
        assertThrows(IllegalArgumentException.class, () -> a.forward(Nd4j.zeros(DataType.DOUBLE, 6, D), 2, 3, new boolean[5]));
        assertThrows(IllegalArgumentException.class, () -> new MultiHeadAttention("bad", 6, 4, false));
    }

    @Test
    void initIsDeterministic() {
        TestParams a = TestParams.zeros(new MultiHeadAttention("attn", 8, 2, true).sizes());
        TestParams b = TestParams.zeros(new MultiHeadAttention("attn", 8, 2, true).sizes());
        MultiHeadAttention ma = new MultiHeadAttention("attn", 8, 2, true);
        MultiHeadAttention mb = new MultiHeadAttention("attn", 8, 2, true);
        ma.bind(a.slicer());
        mb.bind(b.slicer());
        ma.init(99);
        mb.init(99);
        assertEquals(a.decayed.value(), b.decayed.value());
        assertTrue(a.decayed.value().norm2Number().doubleValue() > 0);
    }

    /** Reference attention with scalar loops over batch, head, query and key. */
    private static INDArray naive(TestParams p, INDArray x, boolean causal, boolean[] pad) {
        INDArray wqkv = p.decayed.value().get(NDArrayIndex.interval(0, D * 3 * D)).reshape('c', D, 3 * D);
        INDArray wo = p.decayed.value().get(NDArrayIndex.interval(D * 3 * D, 4 * D * D)).reshape('c', D, D);
        INDArray bqkv = p.plain.value().get(NDArrayIndex.interval(0, 3 * D));
        INDArray bo = p.plain.value().get(NDArrayIndex.interval(3 * D, 4 * D));
        INDArray qkv = x.mmul(wqkv).addRowVector(bqkv);
        int dh = D / H;
        INDArray ctx = Nd4j.zeros(DataType.DOUBLE, B * S, D);
        for (int b = 0; b < B; b++) {
            for (int h = 0; h < H; h++) {
                for (int i = 0; i < S; i++) {
                    double[] w = new double[S];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j < S; j++) {
                        boolean masked = (causal && j > i) || (pad != null && pad[b * S + j]);
                        if (masked) { w[j] = Double.NaN; continue; }
                        double s = 0;
                        for (int e = 0; e < dh; e++) s += qkv.getDouble(b * S + i, h * dh + e) * qkv.getDouble(b * S + j, D + h * dh + e);
                        w[j] = s / Math.sqrt(dh);
                        max = Math.max(max, w[j]);
                    }
                    double z = 0;
                    for (int j = 0; j < S; j++) if (!Double.isNaN(w[j])) z += Math.exp(w[j] - max);
                    for (int j = 0; j < S; j++) {
                        if (Double.isNaN(w[j])) continue;
                        double pj = Math.exp(w[j] - max) / z;
                        for (int e = 0; e < dh; e++) {
                            int col = h * dh + e;
                            ctx.putScalar(b * S + i, col, ctx.getDouble(b * S + i, col) + pj * qkv.getDouble(b * S + j, 2 * D + col));
                        }
                    }
                }
            }
        }
        return ctx.mmul(wo).addRowVector(bo);
    }
}
