package dev.sparkmoe.routing;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Map;

import static dev.sparkmoe.routing.RouterTesting.matrix;
import static dev.sparkmoe.routing.RouterTesting.slotsOf;
import static dev.sparkmoe.routing.RouterTesting.weightsOf;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hand-computed top-k cases. With {@code W = [[1,0],[0,1],[0,0]]} the logits of
 * {@code x = [a, b]} are {@code [a, b, 0]}, so {@code x = [ln 3, ln 2]} gives
 * {@code p = [1/2, 1/3, 1/6]}.
 */
class TopKRouterTest {
    private static final double LN2 = Math.log(2);
    private static final double LN3 = Math.log(3);

    static TopKRouter router(int k, double cf, boolean renormalize, double lb, double z) {
        TopKRouter r = new TopKRouter(new TopKConfig(k, cf, renormalize, lb, z), 2, ExpertSet.initial(3), 7, DataType.DOUBLE);
        r.weight().value().assign(matrix(new double[][]{{1, 0}, {0, 1}, {0, 0}}));
        return r;
    }

    @Test
    void topTwoRenormalised() {
        RouterForward f = router(2, 0, true, 0, 0).forward(matrix(new double[][]{{LN3, LN2}}), RoutingContext.training(1));
        assertArrayEquals(new int[]{0, 1}, slotsOf(f.decision(), 0));
        assertArrayEquals(new double[]{0.6, 0.4}, weightsOf(f, 0), 1e-12);
    }

    @Test
    void topTwoNotRenormalised() {
        RouterForward f = router(2, 0, false, 0, 0).forward(matrix(new double[][]{{LN3, LN2}}), RoutingContext.training(1));
        assertArrayEquals(new int[]{0, 1}, slotsOf(f.decision(), 0));
        assertArrayEquals(new double[]{0.5, 1.0 / 3}, weightsOf(f, 0), 1e-12);
    }

    @Test
    void topOneKeepsTheProbabilityEvenWithRenormalize() {
        // Switch: k = 1 is never renormalised (weight p, not 1)
        RouterForward f = router(1, 0, true, 0, 0).forward(matrix(new double[][]{{LN3, LN2}}), RoutingContext.training(1));
        assertArrayEquals(new int[]{0}, slotsOf(f.decision(), 0));
        assertArrayEquals(new double[]{0.5}, weightsOf(f, 0), 1e-12);
    }

    @Test
    void slotsWithinATokenAreAscendingWhateverTheOrderOfProbabilities() {
        // logits [ln2, ln3, 0]: expert 1 is the best, the decision still lists slot 0 first
        RouterForward f = router(2, 0, true, 0, 0).forward(matrix(new double[][]{{LN2, LN3}}), RoutingContext.training(1));
        assertArrayEquals(new int[]{0, 1}, slotsOf(f.decision(), 0));
        assertArrayEquals(new double[]{0.4, 0.6}, weightsOf(f, 0), 1e-12);
    }

    @Test
    void tiesGoToTheLowerExpert() {
        TopKRouter r = router(1, 0, false, 0, 0);
        // logits [-1, 0, 0]: experts 1 and 2 tie for the top
        RouterForward f = r.forward(matrix(new double[][]{{-1, 0}, {0, 0}}), RoutingContext.training(1));
        assertArrayEquals(new int[]{1}, slotsOf(f.decision(), 0));
        assertArrayEquals(new int[]{0}, slotsOf(f.decision(), 1));     // all three tie
        RouterForward f2 = router(2, 0, true, 0, 0).forward(matrix(new double[][]{{0, 0}}), RoutingContext.training(1));
        assertArrayEquals(new int[]{0, 1}, slotsOf(f2.decision(), 0));
        assertArrayEquals(new double[]{0.5, 0.5}, weightsOf(f2, 0), 1e-12);
    }

    @Test
    void capacityDropsTheLowestProbabilitiesAndCountsThem() {
        // every token prefers expert 0, with p0 = e^a/(e^a+2) = 3/5, 5/7, 2/4, 4/6
        double[] a = {LN3, Math.log(5), LN2, Math.log(4)};
        INDArray x = matrix(new double[][]{{a[0], 0}, {a[1], 0}, {a[2], 0}, {a[3], 0}});
        // capacity = ceil(1.5 · 4 · 1 / 3) = 2
        RouterForward f = router(1, 1.5, false, 0, 0).forward(x, RoutingContext.training(4));
        RoutingDecision d = f.decision();
        assertEquals(2, d.droppedAssignments());
        assertEquals(2, d.unroutedTokens());
        assertEquals(0, d.tokenK(0));
        assertArrayEquals(new int[]{0}, slotsOf(d, 1));
        assertEquals(0, d.tokenK(2));
        assertArrayEquals(new int[]{0}, slotsOf(d, 3));
        assertArrayEquals(new double[]{5.0 / 7}, weightsOf(f, 1), 1e-12);
        assertArrayEquals(new int[]{2, 0, 0}, d.tokensPerExpert());
        RoutingRecord rec = f.record();
        assertArrayEquals(new long[]{2, 0, 0}, rec.tokensPerExpert());
        assertEquals(2, rec.unroutedCount());
        assertEquals(2, rec.droppedAssignments());
        assertEquals(4, rec.tokens());
        assertArrayEquals(new double[]{a[0] + a[2], 0}, rec.unroutedSum(), 1e-12);
    }

    @Test
    void capacityTiesKeepTheLowerToken() {
        INDArray x = matrix(new double[][]{{1, 0}, {1, 0}, {1, 0}, {1, 0}, {1, 0}, {1, 0}});
        // capacity = ceil(1.0 · 6 / 3) = 2: tokens 0 and 1 stay
        RouterForward f = router(1, 1.0, false, 0, 0).forward(x, RoutingContext.training(6));
        assertEquals(4, f.decision().droppedAssignments());
        assertArrayEquals(new int[]{1, 1, 0, 0, 0, 0},
                java.util.stream.IntStream.range(0, 6).map(t -> f.decision().tokenK(t)).toArray());
    }

    @Test
    void partlyDroppedTokenKeepsItsOtherWeightUnchanged() {
        // k = 2, capacity = ceil(0.75 · 4 · 2 / 3) = 2. Tokens 0-2: p = [1/2, 1/3, 1/6] → experts {0, 1}.
        // Token 3: logits [-5, -5, 0] → experts {0 (tie with 1, lower wins), 2}.
        INDArray x = matrix(new double[][]{{LN3, LN2}, {LN3, LN2}, {LN3, LN2}, {-5, -5}});
        RouterForward f = router(2, 0.75, true, 0, 0).forward(x, RoutingContext.training(4));
        RoutingDecision d = f.decision();
        // expert 0: tokens 0,1,2 at 1/2 and token 3 at ~0.0067 → keeps 0,1 (ties: lower token);
        // expert 1: tokens 0,1,2 → keeps 0,1; expert 2: token 3 → kept
        assertArrayEquals(new int[]{0, 1}, slotsOf(d, 0));
        assertArrayEquals(new int[]{0, 1}, slotsOf(d, 1));
        assertEquals(0, d.tokenK(2));
        assertArrayEquals(new int[]{2}, slotsOf(d, 3));
        assertEquals(3, d.droppedAssignments());
        assertEquals(1, d.unroutedTokens());
        // token 3's kept weight is renormalised over its chosen pair, not again after the drop
        double e5 = Math.exp(-5);
        double p0 = e5 / (2 * e5 + 1);
        double p2 = 1 / (2 * e5 + 1);
        assertArrayEquals(new double[]{p2 / (p0 + p2)}, weightsOf(f, 3), 1e-12);
        assertArrayEquals(new double[]{0.6, 0.4}, weightsOf(f, 0), 1e-12);
    }

    @Test
    void capacityCountsOnlyNonPaddingTokensAndPaddingIsNotRouted() {
        INDArray x = matrix(new double[][]{{1, 0}, {2, 0}, {3, 0}, {4, 0}});
        boolean[] pad = {false, true, false, true};
        // T_valid = 2: capacity = ceil(1.5 · 2 · 1 / 3) = 1 → token 2 (higher p0) is kept, token 0 dropped
        RouterForward f = router(1, 1.5, false, 0.5, 0.5)
                .forward(x, RoutingContext.training(4).withPadMask(pad));
        RoutingDecision d = f.decision();
        assertEquals(0, d.tokenK(1));
        assertEquals(0, d.tokenK(3));
        assertEquals(1, d.tokenK(2));
        assertEquals(0, d.tokenK(0));
        assertEquals(1, d.droppedAssignments());
        assertEquals(1, d.unroutedTokens());
        RoutingRecord rec = f.record();
        assertEquals(2, rec.tokens());
        assertEquals(1, rec.unroutedCount());
        assertArrayEquals(new double[]{1, 0}, rec.unroutedSum(), 1e-12);
    }

    @Test
    void auxLossValuesMatchTheirDefinitions() {
        TopKRouter r = router(2, 0, true, 0.5, 0.25);
        INDArray x = matrix(new double[][]{{LN3, LN2}, {0, 1}, {-1, 2}});
        RouterForward f = r.forward(x, RoutingContext.training(3));
        double[][] p = new double[3][3];
        double lseSq = 0;
        for (int t = 0; t < 3; t++) {
            double[] z = {x.getDouble(t, 0), x.getDouble(t, 1), 0};
            double sum = Math.exp(z[0]) + Math.exp(z[1]) + Math.exp(z[2]);
            for (int e = 0; e < 3; e++) p[t][e] = Math.exp(z[e]) / sum;
            lseSq += Math.log(sum) * Math.log(sum);
        }
        // assignments: token 0 → {0,1}, token 1 → {1,0} (z = [0,1,0]: 1 then 0 by lower id), token 2 → {1,2}
        long[] counts = {2, 3, 1};
        double lb = 0;
        for (int e = 0; e < 3; e++) lb += counts[e] / 6.0 * (p[0][e] + p[1][e] + p[2][e]) / 3;
        lb *= 3;
        Map<String, Double> terms = f.auxLossTerms();
        assertEquals(lb, terms.get("loadBalance"), 1e-12);
        assertEquals(lseSq / 3, terms.get("zLoss"), 1e-12);
        assertEquals(0.5 * lb + 0.25 * lseSq / 3, f.auxLoss(), 1e-12);
    }

    @Test
    void evaluationComputesNoAuxLoss() {
        RouterForward f = router(2, 0, true, 0.5, 0.25).forward(matrix(new double[][]{{LN3, LN2}}), RoutingContext.evaluation(1));
        assertEquals(0.0, f.auxLoss());
        assertTrue(f.auxLossTerms().isEmpty());
        assertArrayEquals(new double[]{0.6, 0.4}, weightsOf(f, 0), 1e-12);
    }

    @Test
    void recordsAreKeyedByExpertId() {
        TopKRouter r = router(1, 0, false, 0, 0);
        r.removeExperts(1);                                  // live ids {0, 2}, rows [1,0] and [0,0]
        RouterForward f = r.forward(matrix(new double[][]{{1, 0}, {-1, 0}, {2, 5}}), RoutingContext.training(3));
        assertArrayEquals(new int[]{0, 2}, f.record().expertIds());
        assertArrayEquals(new long[]{2, 1}, f.record().tokensPerExpert());
        assertEquals(2, f.record().tokensFor(0));
        assertEquals(1, f.record().tokensFor(2));
        assertEquals(0, f.record().tokensFor(1));
    }

    @Test
    void sameSeedSameParametersAndDecisions() {
        TopKConfig cfg = new TopKConfig(2, 1.25, true, 0.01, 0.001);
        TopKRouter a = new TopKRouter(cfg, 16, ExpertSet.initial(8), 42, DataType.FLOAT);
        TopKRouter b = new TopKRouter(cfg, 16, ExpertSet.initial(8), 42, DataType.FLOAT);
        TopKRouter c = new TopKRouter(cfg, 16, ExpertSet.initial(8), 43, DataType.FLOAT);
        assertEquals(a.weight().value(), b.weight().value());
        assertNotEquals(a.weight().value(), c.weight().value());
        double std = a.weight().value().castTo(DataType.DOUBLE).stdNumber().doubleValue();
        assertEquals(0.02, std, 0.005);
        INDArray x = dev.sparkmoe.testing.GradientCheck.random(3, 1.0, 40, 16).castTo(DataType.FLOAT);
        RouterForward fa = a.forward(x, RoutingContext.training(8));
        RouterForward fb = b.forward(x, RoutingContext.training(8));
        assertArrayEquals(fa.decision().expertSlots(), fb.decision().expertSlots());
        assertEquals(fa.decision().probs(), fb.decision().probs());
        assertEquals(fa.record(), fb.record());
    }

    @Test
    void float32AndFloat64AgreeOnDecisions() {
        TopKConfig cfg = new TopKConfig(2, 1.0, true, 0.01, 0.001);
        TopKRouter d = new TopKRouter(cfg, 16, ExpertSet.initial(8), 5, DataType.DOUBLE);
        TopKRouter s = new TopKRouter(cfg, 16, ExpertSet.initial(8), 5, DataType.FLOAT);
        INDArray x = dev.sparkmoe.testing.GradientCheck.random(4, 3.0, 64, 16);
        RouterForward fd = d.forward(x, RoutingContext.training(8));
        RouterForward fs = s.forward(x, RoutingContext.training(8));   // x is cast to float32
        assertEquals(DataType.FLOAT, fs.decision().probs().dataType());
        assertArrayEquals(fd.decision().expertSlots(), fs.decision().expertSlots());
        assertArrayEquals(fd.decision().probs().toDoubleVector(), fs.decision().probs().castTo(DataType.DOUBLE).toDoubleVector(), 1e-5);
        INDArray dx = s.backward(fs, fs.decision().probs().like().assign(1));
        assertEquals(DataType.FLOAT, dx.dataType());
        assertArrayEquals(new long[]{64, 16}, dx.shape());
    }

    @Test
    void emptyBatch() {
        TopKRouter r = router(2, 1.0, true, 0.1, 0.1);
        RouterForward f = r.forward(Nd4j.zeros(DataType.DOUBLE, 0, 2), RoutingContext.training(1));
        assertEquals(0, f.decision().nnz());
        assertEquals(0, f.record().tokens());
        assertEquals(0.0, f.auxLoss());
        assertArrayEquals(new long[]{0, 2}, r.backward(f, null).shape());
    }

    @Test
    void backwardAccumulatesAndRunsOncePerForward() {
        TopKRouter r = router(2, 0, true, 0, 0);
        INDArray x = matrix(new double[][]{{LN3, LN2}});
        RouterForward f = r.forward(x, RoutingContext.training(1));
        INDArray g = Nd4j.create(new double[]{1, -1}, new long[]{2}, DataType.DOUBLE);
        r.backward(f, g);
        INDArray once = r.weight().grad().dup();
        assertTrue(once.norm2Number().doubleValue() > 0);
        assertThrows(IllegalStateException.class, () -> r.backward(f, g));
        r.backward(r.forward(x, RoutingContext.training(1)), g);
        assertEquals(once.mul(2), r.weight().grad());
        TopKRouter other = router(2, 0, true, 0, 0);
        assertThrows(IllegalArgumentException.class, () -> other.backward(r.forward(x, RoutingContext.training(1)), g));
        RouterForward beforeChange = r.forward(x, RoutingContext.training(1));
        r.addExpert(null, 1);
        assertThrows(IllegalStateException.class, () -> r.backward(beforeChange, g));
    }

    @Test
    void wrongGradProbsLengthIsRejected() {
        TopKRouter r = router(2, 0, true, 0, 0);
        RouterForward f = r.forward(matrix(new double[][]{{LN3, LN2}}), RoutingContext.training(1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> r.backward(f, Nd4j.zeros(DataType.DOUBLE, 3)));
        assertTrue(e.getMessage().contains("NNZ=2"), e.getMessage());
    }

    @Test
    void addAndRemoveExpertsMoveRows() {
        TopKRouter r = router(1, 0, false, 0, 0);
        r.weight().grad().assign(matrix(new double[][]{{1, 1}, {2, 2}, {3, 3}}));
        r.removeExperts(0);
        assertEquals(new ExpertSet(new int[]{1, 2}, 3), r.experts());
        assertEquals(matrix(new double[][]{{0, 1}, {0, 0}}), r.weight().value());
        assertEquals(matrix(new double[][]{{2, 2}, {3, 3}}), r.weight().grad());
        int id = r.addExpert(Nd4j.create(new double[]{5, 6}, new long[]{2}, DataType.DOUBLE), 9);
        assertEquals(3, id);
        assertEquals(matrix(new double[][]{{0, 1}, {0, 0}, {5, 6}}), r.weight().value());
        assertEquals(matrix(new double[][]{{2, 2}, {3, 3}, {0, 0}}), r.weight().grad());
        int fresh = r.addExpert(null, 9);
        assertEquals(4, fresh);
        INDArray row = r.weight().value().getRow(3);
        assertTrue(row.norm2Number().doubleValue() > 0 && row.norm2Number().doubleValue() < 0.5);
        // a fresh row is a function of the seed
        TopKRouter again = router(1, 0, false, 0, 0);
        again.removeExperts(0);
        again.addExpert(Nd4j.create(new double[]{5, 6}, new long[]{2}, DataType.DOUBLE), 9);
        again.addExpert(null, 9);
        assertEquals(row, again.weight().value().getRow(3));
    }
}
