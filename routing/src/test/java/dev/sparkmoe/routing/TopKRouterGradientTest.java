package dev.sparkmoe.routing;

import dev.sparkmoe.testing.GradientCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Numerical gradient checks (double precision) of the softmax routers: top-k and DA-MoE. */
class TopKRouterGradientTest {
    private static final int T = 7;
    private static final int D = 5;
    private static final int E = 4;

    private static TopKRouter router(TopKConfig cfg, long seed) {
        TopKRouter r = new TopKRouter(cfg, D, ExpertSet.initial(E), seed, DataType.DOUBLE);
        // larger weights than the 0.02 init, so the probabilities are well separated
        r.weight().value().assign(GradientCheck.random(seed + 1, 1.0, E, D));
        return r;
    }

    /** Smallest gap between two probabilities of the same token: selection must be stable under ±ε. */
    static double minGap(Router r, INDArray x) {
        INDArray logits = x.mmul(r.params().get(0).value().transpose());
        double min = Double.MAX_VALUE;
        for (int t = 0; t < x.rows(); t++) {
            double[] z = logits.getRow(t).toDoubleVector();
            Arrays.sort(z);
            for (int i = 1; i < z.length; i++) min = Math.min(min, z[i] - z[i - 1]);
        }
        return min;
    }

    @ParameterizedTest(name = "k={0} renormalize={1} cf={2} lb={3} z={4}")
    @CsvSource({
            "1, false, 0,   0,   0",
            "1, true,  0,   0,   0",
            "2, true,  0,   0,   0",
            "2, false, 0,   0,   0",
            "3, true,  0,   0.1, 0",
            "2, true,  0,   0,   0.1",
            "2, true,  0,   0.3, 0.2",
            "2, true,  0.6, 0.3, 0.2",   // capacity drops assignments
            "1, false, 0.5, 0.3, 0.2",
            "4, true,  0,   0.3, 0.2",   // k = E
    })
    void gradientsMatchCentralDifferences(int k, boolean renormalize, double cf, double lb, double z) {
        TopKRouter r = router(new TopKConfig(k, cf, renormalize, lb, z), 11);
        INDArray x = GradientCheck.random(21, 1.0, T, D);
        assertTrue(minGap(r, x) > 1e-3, "test inputs have near-ties");
        INDArray g = GradientCheck.random(31, 1.0, T, E);
        RoutingContext ctx = RoutingContext.training(T);
        if (cf > 0) assertTrue(r.forward(x, ctx).decision().droppedAssignments() > 0, "capacity case must drop");
        RouterTesting.checkRouterGradients(r, x, ctx, g);
    }

    @Test
    void gradientsWithPaddingLeavePaddingRowsAtZero() {
        TopKRouter r = router(new TopKConfig(2, 0, true, 0.3, 0.2), 12);
        INDArray x = GradientCheck.random(22, 1.0, T, D);
        INDArray g = GradientCheck.random(32, 1.0, T, E);
        boolean[] pad = {false, false, true, false, false, false, true};
        RoutingContext ctx = RoutingContext.training(T).withPadMask(pad);
        RouterTesting.checkRouterGradients(r, x, ctx, g);
        RouterTesting.zeroGrads(r);
        RouterForward f = r.forward(x, ctx);
        INDArray dx = r.backward(f, RouterTesting.gradFor(f.decision(), g));
        assertEquals(0.0, dx.getRow(2).norm2Number().doubleValue(), 0.0);
        assertEquals(0.0, dx.getRow(6).norm2Number().doubleValue(), 0.0);
    }

    @Test
    void auxLossesAloneHaveCheckedGradients() {
        // no task gradient: only the aux losses drive W and x
        INDArray x = GradientCheck.random(23, 1.0, T, D);
        INDArray zero = org.nd4j.linalg.factory.Nd4j.zeros(DataType.DOUBLE, T, E);
        for (double[] w : new double[][]{{1.0, 0}, {0, 1.0}}) {
            TopKRouter r = router(new TopKConfig(2, 0, true, w[0], w[1]), 13);
            RouterTesting.checkRouterGradients(r, x, RoutingContext.training(T), zero);
        }
    }

    @ParameterizedTest(name = "kScale={0} kMin={1} kMax={2} cf={3}")
    @CsvSource({
            "1.0, 1, 0, 0",
            "0.5, 1, 3, 0",
            "1.0, 2, 0, 0.5",
    })
    void attentionKGradientsMatchCentralDifferences(double kScale, int kMin, int kMax, double cf) {
        AttentionKConfig cfg = new AttentionKConfig(kScale, kMin, kMax, cf, 0.3, 0.2, false);
        AttentionKRouter r = new AttentionKRouter(cfg, D, ExpertSet.initial(E), 14, DataType.DOUBLE);
        r.weight().value().assign(GradientCheck.random(15, 1.0, E, D));
        int b = 2, s = 4;
        INDArray x = GradientCheck.random(24, 1.0, b * s, D);
        assertTrue(minGap(r, x) > 1e-3, "test inputs have near-ties");
        INDArray attn = AttentionImportanceTest.randomAttention(5, b, 2, s);
        boolean[] pad = {false, false, false, true, false, false, false, false};
        RoutingContext ctx = RoutingContext.training(s).withAttention(attn).withPadMask(pad);
        RouterForward f = r.forward(x, ctx);
        int[] ks = new int[b * s];
        for (int t = 0; t < ks.length; t++) ks[t] = f.decision().tokenK(t);
        assertTrue(Arrays.stream(ks).distinct().count() > 1 || cf > 0, "K should vary per token: " + Arrays.toString(ks));
        RouterTesting.checkRouterGradients(r, x, ctx, GradientCheck.random(33, 1.0, b * s, E));
    }
}
