package dev.sparkmoe.routing;

import dev.sparkmoe.testing.GradientCheck;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each aux loss on its own: values on hand cases and gradients against central differences. */
class AuxLossTest {
    private static final int T = 6;
    private static final int E = 4;

    private static void assertPasses(List<GradientCheck.Failure> failures) {
        assertTrue(failures.isEmpty(), () -> "gradient check failed: " + failures);
    }

    private static double[] softmaxRows(INDArray logits) {
        return Nd.toDoubles(Transforms.softmax(logits, true));
    }

    @Test
    void loadBalanceValueAndGradient() {
        // balanced: f = P = 1/E → 1
        double[] uniform = new double[T * E];
        java.util.Arrays.fill(uniform, 1.0 / E);
        assertEquals(1.0, LoadBalanceLoss.value(uniform, T, E, null, new long[]{3, 3, 3, 3}), 1e-12);
        // all on expert 0 with probability 1 → E
        double[] peaked = new double[T * E];
        for (int t = 0; t < T; t++) peaked[t * E] = 1;
        assertEquals(E, LoadBalanceLoss.value(peaked, T, E, null, new long[]{6, 0, 0, 0}), 1e-12);
        // gradient w.r.t. p (f constant), padding excluded
        boolean[] pad = {false, true, false, false, false, true};
        long[] counts = {4, 1, 2, 1};
        INDArray p = GradientCheck.random(1, 1.0, T, E);
        double[] grad = new double[T * E];
        LoadBalanceLoss.addGradient(grad, T, E, pad, counts, 1.0);
        assertPasses(GradientCheck.check(new String[]{"p"}, new INDArray[]{p},
                new INDArray[]{Nd4j.create(grad, new long[]{T, E}, DataType.DOUBLE)},
                () -> LoadBalanceLoss.value(Nd.toDoubles(p), T, E, pad, counts)));
        for (int e = 0; e < E; e++) assertEquals(0.0, grad[E + e]);
    }

    @Test
    void zLossValueAndGradient() {
        INDArray logits = GradientCheck.random(2, 3.0, T, E);
        double[] lse = ZLoss.logSumExp(logits);
        for (int t = 0; t < T; t++) {
            double s = 0;
            for (int e = 0; e < E; e++) s += Math.exp(logits.getDouble(t, e));
            assertEquals(Math.log(s), lse[t], 1e-12);
        }
        // stable for large logits
        assertEquals(1000 + Math.log(2), ZLoss.logSumExp(Nd4j.create(new double[][]{{1000, 1000}}))[0], 1e-9);
        boolean[] pad = {false, false, true, false, false, false};
        double[] grad = new double[T * E];
        ZLoss.addGradient(grad, softmaxRows(logits), lse, E, pad, 1.0);
        assertPasses(GradientCheck.check(new String[]{"z"}, new INDArray[]{logits},
                new INDArray[]{Nd4j.create(grad, new long[]{T, E}, DataType.DOUBLE)},
                () -> ZLoss.value(ZLoss.logSumExp(logits), pad)));
    }

    @Test
    void diverseSimpleValueAndGradient() {
        INDArray orthonormal = Nd4j.eye(3).castTo(DataType.DOUBLE).mul(2);   // orthogonal, norm 2
        double[] terms = DiverseSimpleLoss.terms(orthonormal);
        assertEquals(0.0, terms[0], 1e-12);
        assertEquals(2.0, terms[1], 1e-12);
        // two identical unit gates: cosines all 1 → ‖[[0,1],[1,0]]‖_F = √2
        INDArray same = Nd4j.create(new double[][]{{0.6, 0.8}, {0.6, 0.8}});
        assertEquals(Math.sqrt(2) + 1, DiverseSimpleLoss.value(same), 1e-12);
        INDArray w = GradientCheck.random(3, 1.0, E, 5);
        INDArray grad = DiverseSimpleLoss.gradient(w);
        assertPasses(GradientCheck.check(new String[]{"w"}, new INDArray[]{w}, new INDArray[]{grad},
                () -> DiverseSimpleLoss.value(w)));
        assertEquals(TopAnyRouterGradientTest.diverseSimple(w), DiverseSimpleLoss.value(w), 1e-12);
        // at M = I the subgradient of the Frobenius term is 0: only simplicity remains
        INDArray atIdentity = DiverseSimpleLoss.gradient(orthonormal);
        assertTrue(atIdentity.equalsWithEps(Nd4j.eye(3).castTo(DataType.DOUBLE).div(3), 1e-12));
    }

    @Test
    void topAnyBalanceValueAndGradient() {
        // hand case: tokens {0,1}, {0}, {} → N = 2, me = [3/4, 1/4], ce = [1, 1/2] → 2·(3/4 + 1/8)
        double[] a = {1, 1, 1, 0, 0, 0};
        int[] k = {2, 1, 0};
        assertEquals(2 * (0.75 + 0.125), TopAnyBalanceLoss.value(a, k, 2), 1e-12);
        // gradient w.r.t. the activations, k and ce constant: surrogate values keep their sign pattern
        int[] kk = {2, 1, 3, 0, 1, 2};
        INDArray s = Nd4j.create(new double[][]{
                {0.2, 0.1, 0, 0}, {0, 0, 0.3, 0}, {0.1, 0.2, 0.3, 0}, {0, 0, 0, 0}, {0, 0.4, 0, 0}, {0.3, 0, 0, 0.2}});
        double[] grad = new double[T * E];
        TopAnyBalanceLoss.addGradient(grad, Nd.toDoubles(s), kk, E, 1.0);
        INDArray analytic = Nd4j.create(grad, new long[]{T, E}, DataType.DOUBLE);
        // perturb only activated entries (where the sign pattern, hence ce, is stable)
        INDArray mask = Transforms.sign(s, true);
        assertPasses(GradientCheck.check(new String[]{"a"}, new INDArray[]{s}, new INDArray[]{analytic.mul(mask)},
                () -> TopAnyBalanceLoss.value(Nd.toDoubles(s.mul(mask)), kk, E)));
        for (int e = 0; e < E; e++) assertEquals(0.0, grad[3 * E + e]);      // k = 0 token
    }

    @Test
    void efficiencyValueAndGradient() {
        boolean[] pad = {false, false, true};
        double[] a = {1, 1, 0, 1, 1, 1};                           // E = 2; the padded token is ignored
        assertEquals(3.0 / 4, EfficiencyLoss.value(a, 3, 2, pad), 1e-12);
        INDArray s = GradientCheck.random(4, 1.0, T, E);
        boolean[] pad6 = {false, false, false, true, false, false};
        double[] grad = new double[T * E];
        EfficiencyLoss.addGradient(grad, T, E, pad6, 1.0);
        assertPasses(GradientCheck.check(new String[]{"a"}, new INDArray[]{s},
                new INDArray[]{Nd4j.create(grad, new long[]{T, E}, DataType.DOUBLE)},
                () -> EfficiencyLoss.value(Nd.toDoubles(s), T, E, pad6)));
    }

    @Test
    void rowNormBackward() {
        INDArray v = GradientCheck.random(5, 1.0, 4, 3);
        INDArray g = GradientCheck.random(6, 1.0, 4, 3);
        RowNorm.Normalized n = RowNorm.of(v);
        assertArrayEquals(new double[]{1, 1, 1, 1}, Nd.toDoubles(n.unit().norm2(1)), 1e-12);
        INDArray grad = RowNorm.backward(n, g);
        assertPasses(GradientCheck.check(new String[]{"v"}, new INDArray[]{v}, new INDArray[]{grad},
                () -> GradientCheck.dot(g, RowNorm.of(v).unit())));
        // a zero row: unit 0, gradient du/ε (the forward divided by the constant ε)
        INDArray zero = Nd4j.zeros(DataType.DOUBLE, 1, 3);
        RowNorm.Normalized z = RowNorm.of(zero);
        assertEquals(0.0, z.unit().norm2Number().doubleValue());
        INDArray dz = RowNorm.backward(z, Nd4j.ones(DataType.DOUBLE, 1, 3));
        assertEquals(1 / RowNorm.EPS, dz.getDouble(0, 0), 1);
    }
}
