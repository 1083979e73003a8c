package dev.sparkmoe.routing;

import dev.sparkmoe.testing.GradientCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link RoutingContext#auxScale()}: scales every aux loss and its gradient, leaves the decision,
 * the record, the unscaled terms and the task gradient alone, and at 1 is the default bit for bit.
 */
class AuxScaleTest {
    private static final int B = 2, S = 4, T = B * S, D = 5, E = 4;
    private static final double SCALE = 0.37;

    private static Router router(String kind) {
        ExpertSet experts = ExpertSet.initial(E);
        return switch (kind) {
            case "topk" -> {
                TopKRouter r = new TopKRouter(new TopKConfig(2, 0.75, true, 0.3, 0.2), D, experts, 3, DataType.DOUBLE);
                r.weight().value().assign(GradientCheck.random(4, 1.0, E, D));
                yield r;
            }
            case "attnk" -> {
                AttentionKConfig cfg = new AttentionKConfig(1.0, 1, 0, 0.75, 0.3, 0.2, false);
                AttentionKRouter r = new AttentionKRouter(cfg, D, experts, 5, DataType.DOUBLE);
                r.weight().value().assign(GradientCheck.random(6, 1.0, E, D));
                yield r;
            }
            default -> new TopAnyRouter(new TopAnyConfig(1.0, true, 0.05, 0.2, 0.1), D, experts, 7, DataType.DOUBLE);
        };
    }

    private static RoutingContext context() {
        return RoutingContext.training(S).withAttention(AttentionImportanceTest.randomAttention(8, B, 2, S));
    }

    /** Parameter gradients then dx of one forward/backward with only the aux losses driving them. */
    private static List<double[]> auxOnly(Router r, INDArray x, RoutingContext ctx, double[] auxOut) {
        RouterTesting.zeroGrads(r);
        RouterForward f = r.forward(x, ctx);
        auxOut[0] = f.auxLoss();
        INDArray zero = f.decision().nnz() == 0 ? null : Nd4j.zeros(DataType.DOUBLE, f.decision().nnz());
        INDArray dx = r.backward(f, zero);
        List<double[]> out = new ArrayList<>();
        for (Param p : r.params()) out.add(Nd.toDoubles(p.grad()));
        out.add(Nd.toDoubles(dx));
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"topk", "attnk", "topany"})
    void scalesAuxLossAndItsGradientOnly(String kind) {
        Router r = router(kind);
        INDArray x = GradientCheck.random(9, 1.0, T, D);
        RoutingContext ctx = context();
        RouterForward one = r.forward(x, ctx);
        RouterForward scaled = r.forward(x, ctx.withAuxScale(SCALE));
        assertTrue(one.auxLoss() > 0, kind + ": aux losses must be on");
        assertEquals(SCALE * one.auxLoss(), scaled.auxLoss(), 1e-12 * one.auxLoss());
        assertEquals(one.auxLossTerms(), scaled.auxLossTerms(), "terms are unscaled");
        assertEquals(one.record(), scaled.record());
        assertArrayEquals(one.decision().expertSlots(), scaled.decision().expertSlots());
        assertArrayEquals(RouterTesting.probs(one), RouterTesting.probs(scaled), 0.0);

        double[] a1 = new double[1], as = new double[1], aDefault = new double[1];
        List<double[]> g1 = auxOnly(r, x, ctx.withAuxScale(1.0), a1);
        List<double[]> gs = auxOnly(r, x, ctx.withAuxScale(SCALE), as);
        List<double[]> gDefault = auxOnly(r, x, ctx, aDefault);
        assertEquals(Double.doubleToLongBits(aDefault[0]), Double.doubleToLongBits(a1[0]), "scale 1 is the default");
        double norm = 0;
        for (int i = 0; i < g1.size(); i++) {
            assertArrayEquals(gDefault.get(i), g1.get(i), 0.0, "scale 1 is the default, bit for bit");
            for (int j = 0; j < g1.get(i).length; j++) {
                assertEquals(SCALE * g1.get(i)[j], gs.get(i)[j], 1e-12 * (1 + Math.abs(g1.get(i)[j])), kind + " grad " + i);
                norm += Math.abs(g1.get(i)[j]);
            }
        }
        assertTrue(norm > 1e-6, kind + ": aux gradient must not vanish");
    }

    @Test
    void scaledAuxLossHasCheckedGradients() {
        Router r = router("topk");
        INDArray x = GradientCheck.random(10, 1.0, T, D);
        RouterTesting.checkRouterGradients(r, x, context().withAuxScale(SCALE), GradientCheck.random(11, 1.0, T, E));
    }

    @Test
    void invalidScaleIsRejected() {
        for (double bad : new double[]{-0.5, Double.NaN, Double.POSITIVE_INFINITY}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> RoutingContext.training(S).withAuxScale(bad));
            assertTrue(e.getMessage().contains("auxScale"), e.getMessage());
        }
    }
}
