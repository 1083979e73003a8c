package dev.sparkmoe.routing;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static dev.sparkmoe.routing.RouterTesting.matrix;
import static dev.sparkmoe.routing.RouterTesting.slotsOf;
import static dev.sparkmoe.routing.RouterTesting.weightsOf;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hand-computed top-any cases. Gates {@code w = [1,0], [0,1], [-1,0]}, thresholds
 * {@code g = [0, 0.5, 0]}: {@code x = [1,1]} has cosines {@code [0.707, 0.707, -0.707]}, so
 * experts 0 and 1 fire; {@code x = [0,-1]} has cosines {@code [0, -1, 0]}: none fires.
 */
class TopAnyRouterTest {

    static TopAnyRouter router(TopAnyConfig cfg) {
        TopAnyRouter r = new TopAnyRouter(cfg, 2, ExpertSet.initial(3), 3, DataType.DOUBLE);
        r.gates().value().assign(matrix(new double[][]{{1, 0}, {0, 1}, {-1, 0}}));
        r.thresholds().value().assign(matrix(new double[][]{{0}, {0.5}, {0}}));
        return r;
    }

    static TopAnyRouter router() { return router(new TopAnyConfig(1.0, false, 0, 0, 0)); }

    @Test
    void expertsAboveTheirThresholdFireWithUniformWeights() {
        RouterForward f = router().forward(matrix(new double[][]{{1, 1}, {3, 0.1}, {-1, 2}}), RoutingContext.training(3));
        assertArrayEquals(new int[]{0, 1}, slotsOf(f.decision(), 0));
        assertArrayEquals(new double[]{0.5, 0.5}, weightsOf(f, 0), 0);
        // [3, 0.1]: cos = [0.9994, 0.0333, -0.9994]: only expert 0
        assertArrayEquals(new int[]{0}, slotsOf(f.decision(), 1));
        assertArrayEquals(new double[]{1.0}, weightsOf(f, 1), 0);
        // [-1, 2]: cos = [-0.447, 0.894, 0.447]: experts 1 and 2
        assertArrayEquals(new int[]{1, 2}, slotsOf(f.decision(), 2));
        assertEquals(0, f.decision().droppedAssignments());
        assertArrayEquals(new long[]{2, 2, 1}, f.record().tokensPerExpert());
    }

    @Test
    void temperatureDoesNotChangeWhichExpertsFire() {
        INDArray x = dev.sparkmoe.testing.GradientCheck.random(4, 1.0, 20, 2);
        RoutingDecision a = router(new TopAnyConfig(1.0, false, 0, 0, 0)).forward(x, RoutingContext.training(20)).decision();
        RoutingDecision b = router(new TopAnyConfig(0.05, true, 0, 0, 0)).forward(x, RoutingContext.training(20)).decision();
        assertArrayEquals(a.tokenOffsets(), b.tokenOffsets());
        assertArrayEquals(a.expertSlots(), b.expertSlots());
    }

    @Test
    void trainingTokenWithNoExpertIsRoutedNowhereAndRecorded() {
        INDArray x = matrix(new double[][]{{0, -1}, {1, 1}, {0, -3}});
        RouterForward f = router().forward(x, RoutingContext.training(3));
        RoutingDecision d = f.decision();
        assertEquals(0, d.tokenK(0));
        assertEquals(2, d.tokenK(1));
        assertEquals(0, d.tokenK(2));
        assertEquals(2, d.unroutedTokens());
        RoutingRecord rec = f.record();
        assertEquals(2, rec.unroutedCount());
        assertArrayEquals(new double[]{0, -4}, rec.unroutedSum(), 0);
        assertEquals(3, rec.tokens());
        assertArrayEquals(new long[]{1, 1, 0}, rec.tokensPerExpert());
    }

    @Test
    void evaluationFallsBackToTheBestExpertWithWeightOne() {
        // [0, -1]: cosines [0, -1, 0]: experts 0 and 2 tie → lower slot 0
        // [-1, -1]: cosines [-0.707, -0.707, 0.707] but threshold 0 < 0.707: expert 2 fires normally
        // [0.1, -1]: cosines [0.0995, -0.995, -0.0995]: 0.0995 > 0 → expert 0 fires
        // [-0.1, -1]: cosines [-0.0995, -0.995, 0.0995] → expert 2 fires
        // [0, -1] with threshold of expert 0 raised: fallback to argmax = expert 0 still (argmax of c, not c - g)
        INDArray x = matrix(new double[][]{{0, -1}, {-1, -1}});
        RouterForward f = router().forward(x, RoutingContext.evaluation(2));
        assertArrayEquals(new int[]{0}, slotsOf(f.decision(), 0));
        assertArrayEquals(new double[]{1.0}, weightsOf(f, 0), 0);
        assertArrayEquals(new int[]{2}, slotsOf(f.decision(), 1));
        assertEquals(0, f.decision().unroutedTokens());
        assertEquals(0, f.record().unroutedCount());
        assertEquals(0.0, f.auxLoss());
        TopAnyRouter r = router();
        r.thresholds().value().assign(matrix(new double[][]{{0.9}, {0.9}, {0.9}}));
        RouterForward g = r.forward(matrix(new double[][]{{-1, 2}}), RoutingContext.evaluation(1));
        assertArrayEquals(new int[]{1}, slotsOf(g.decision(), 0));        // argmax c = 0.894 (expert 1)
    }

    @Test
    void paddingIsNeitherRoutedNorRecorded() {
        INDArray x = matrix(new double[][]{{1, 1}, {0, -1}, {0, -2}});
        RouterForward f = router(new TopAnyConfig(1, false, 0.01, 0.1, 0.1))
                .forward(x, RoutingContext.training(3).withPadMask(new boolean[]{false, true, false}));
        assertEquals(0, f.decision().tokenK(1));
        assertEquals(1, f.decision().unroutedTokens());
        assertEquals(1, f.record().unroutedCount());
        assertArrayEquals(new double[]{0, -2}, f.record().unroutedSum(), 0);
        assertEquals(2, f.record().tokens());
        RouterForward e = router().forward(x, RoutingContext.evaluation(3).withPadMask(new boolean[]{false, true, false}));
        assertEquals(0, e.decision().tokenK(1));                          // no fallback for padding
        assertEquals(1, e.decision().tokenK(2));
    }

    @Test
    void auxLossValues() {
        TopAnyRouter r = router(new TopAnyConfig(1, false, 0.5, 0.25, 0.125));
        INDArray x = matrix(new double[][]{{1, 1}, {3, 0.1}, {-1, 2}, {0, -1}});
        RouterForward f = r.forward(x, RoutingContext.training(4));
        // activations: t0 {0,1}, t1 {0}, t2 {1,2}, t3 {} ; N (k ≥ 1) = 3
        // me = mean(a/k) = [(0.5+1)/3, (0.5+0.5)/3, 0.5/3], ce = [2/3, 2/3, 1/3]
        double[] me = {1.5 / 3, 1.0 / 3, 0.5 / 3};
        double[] ce = {2.0 / 3, 2.0 / 3, 1.0 / 3};
        double balance = 3 * (me[0] * ce[0] + me[1] * ce[1] + me[2] * ce[2]);
        double efficiency = (2 + 1 + 2 + 0) / (4.0 * 3);
        // gates [1,0],[0,1],[-1,0]: cosines I except (0,2) = (2,0) = -1 → ‖M − I‖_F = sqrt(2); norms all 1
        double diverseSimple = Math.sqrt(2) + 1;
        assertEquals(balance, f.auxLossTerms().get("balance"), 1e-12);
        assertEquals(efficiency, f.auxLossTerms().get("efficiency"), 1e-12);
        assertEquals(diverseSimple, f.auxLossTerms().get("diverseSimple"), 1e-12);
        assertEquals(0.5 * diverseSimple + 0.25 * balance + 0.125 * efficiency, f.auxLoss(), 1e-12);
    }

    @Test
    void initialGatesAreOrthonormalAndThresholdsZero() {
        TopAnyRouter r = new TopAnyRouter(TopAnyConfig.defaults(), 16, ExpertSet.initial(8), 11, DataType.FLOAT);
        INDArray w = r.gates().value().castTo(DataType.DOUBLE);
        assertTrue(w.mmul(w.transpose()).equalsWithEps(Nd4j.eye(8).castTo(DataType.DOUBLE), 1e-5));
        assertEquals(0.0, r.thresholds().value().sumNumber().doubleValue());
        assertArrayEquals(new long[]{8, 1}, r.thresholds().value().shape());
        assertEquals(2, r.params().size());
        assertEquals(3, new TopAnyRouter(new TopAnyConfig(0.5, true, 0, 0, 0), 16, ExpertSet.initial(8), 11,
                DataType.FLOAT).params().size());
        TopAnyRouter same = new TopAnyRouter(TopAnyConfig.defaults(), 16, ExpertSet.initial(8), 11, DataType.FLOAT);
        assertEquals(r.gates().value(), same.gates().value());
        RouterForward f = r.forward(dev.sparkmoe.testing.GradientCheck.random(1, 1, 10, 16), RoutingContext.training(10));
        assertEquals(0.01 * (0 + 1), f.auxLoss(), 1e-5);   // orthonormal: diversity 0, simplicity 1
    }

    @Test
    void trainableTemperatureStartsAtTheConfiguredValue() {
        TopAnyRouter r = new TopAnyRouter(new TopAnyConfig(0.5, true, 0, 0, 0), 4, ExpertSet.initial(2), 1, DataType.DOUBLE);
        assertEquals(0.5, r.temperature(), 1e-12);
        assertEquals(Math.log(2), r.params().get(2).value().getDouble(0), 1e-12);
        r.params().get(2).value().assign(10);                 // beyond the clamp: τ = 0.01
        assertEquals(0.01, r.temperature(), 1e-12);
    }

    @Test
    void addExpertNormalisesTheGateAndZeroesItsThreshold() {
        TopAnyRouter r = router();
        r.thresholds().grad().assign(matrix(new double[][]{{1}, {2}, {3}}));
        r.removeExperts(1);
        assertEquals(matrix(new double[][]{{1, 0}, {-1, 0}}), r.gates().value());
        assertEquals(matrix(new double[][]{{0}, {0}}), r.thresholds().value());
        assertEquals(matrix(new double[][]{{1}, {3}}), r.thresholds().grad());
        int id = r.addExpert(Nd4j.create(new double[]{3, 4}, new long[]{2}, DataType.DOUBLE), 5);
        assertEquals(3, id);
        assertEquals(new ExpertSet(new int[]{0, 2, 3}, 4), r.experts());
        assertEquals(matrix(new double[][]{{1, 0}, {-1, 0}, {0.6, 0.8}}), r.gates().value());
        assertEquals(matrix(new double[][]{{0}, {0}, {0}}), r.thresholds().value());
        assertEquals(matrix(new double[][]{{1}, {3}, {0}}), r.thresholds().grad());
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
                () -> r.addExpert(Nd4j.zeros(DataType.DOUBLE, 2), 5));
        assertTrue(zero.getMessage().contains("norm"), zero.getMessage());
        assertThrows(IllegalArgumentException.class, () -> r.addExpert(Nd4j.ones(DataType.DOUBLE, 3), 5));
    }

    @Test
    void freshGateIsAUnitVectorOrthogonalToTheLiveGates() {
        TopAnyRouter r = new TopAnyRouter(TopAnyConfig.defaults(), 8, ExpertSet.initial(3), 2, DataType.DOUBLE);
        int id = r.addExpert(null, 77);
        INDArray w = r.gates().value();
        INDArray fresh = w.getRow(3);
        assertEquals(1.0, fresh.norm2Number().doubleValue(), 1e-12);
        for (int e = 0; e < 3; e++) assertEquals(0.0, w.getRow(e).mul(fresh).sumNumber().doubleValue(), 1e-12);
        TopAnyRouter other = new TopAnyRouter(TopAnyConfig.defaults(), 8, ExpertSet.initial(3), 2, DataType.DOUBLE);
        other.addExpert(null, 78);
        assertNotEquals(fresh, other.gates().value().getRow(3));
        assertEquals(3, id);
    }

    @Test
    void moreExpertsThanDimensionsGivesATightFrame() {
        TopAnyRouter r = new TopAnyRouter(TopAnyConfig.defaults(), 3, ExpertSet.initial(5), 2, DataType.DOUBLE);
        INDArray w = r.gates().value();                        // [5, 3]
        assertTrue(w.transpose().mmul(w).equalsWithEps(Nd4j.eye(3).castTo(DataType.DOUBLE), 1e-10));
        // routing still works (cosines normalise the rows)
        RouterForward f = r.forward(dev.sparkmoe.testing.GradientCheck.random(3, 1, 6, 3), RoutingContext.training(6));
        assertEquals(6, f.record().tokens());
    }
}
