package dev.sparkmoe.routing;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import static dev.sparkmoe.routing.RouterTesting.matrix;
import static dev.sparkmoe.routing.RouterTesting.slotsOf;
import static dev.sparkmoe.routing.RouterTesting.weightsOf;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Hand-computed DA-MoE cases with {@link AttentionImportanceTest#handMade()} (r = [1, 0.611, 0.611],
 * so with E = 3: K = [3, 2, 2]) and every token at {@code p = [1/2, 1/3, 1/6]}.
 */
class AttentionKRouterTest {
    private static final double LN2 = Math.log(2);
    private static final double LN3 = Math.log(3);

    private static AttentionKRouter router(double cf) {
        AttentionKRouter r = new AttentionKRouter(new AttentionKConfig(1.0, 1, 0, cf, 0, 0, false), 2,
                ExpertSet.initial(3), 1, DataType.DOUBLE);
        r.weight().value().assign(matrix(new double[][]{{1, 0}, {0, 1}, {0, 0}}));
        return r;
    }

    private static INDArray x() { return matrix(new double[][]{{LN3, LN2}, {LN3, LN2}, {LN3, LN2}}); }

    @Test
    void perTokenKWithRenormalisedWeights() {
        RouterForward f = router(0).forward(x(), RoutingContext.training(3).withAttention(AttentionImportanceTest.handMade()));
        RoutingDecision d = f.decision();
        assertArrayEquals(new int[]{0, 1, 2}, slotsOf(d, 0));
        assertArrayEquals(new double[]{0.5, 1.0 / 3, 1.0 / 6}, weightsOf(f, 0), 1e-12);
        assertArrayEquals(new int[]{0, 1}, slotsOf(d, 1));
        assertArrayEquals(new double[]{0.6, 0.4}, weightsOf(f, 1), 1e-12);
        assertArrayEquals(new int[]{0, 1}, slotsOf(d, 2));
        assertArrayEquals(new long[]{3, 3, 1}, f.record().tokensPerExpert());
    }

    @Test
    void singleExpertGetsWeightOne() {
        AttentionKRouter r = new AttentionKRouter(new AttentionKConfig(0.1, 1, 1, 0, 0, 0, false), 2,
                ExpertSet.initial(3), 1, DataType.DOUBLE);
        r.weight().value().assign(matrix(new double[][]{{1, 0}, {0, 1}, {0, 0}}));
        RouterForward f = r.forward(x(), RoutingContext.training(3).withAttention(AttentionImportanceTest.handMade()));
        for (int t = 0; t < 3; t++) assertArrayEquals(new double[]{1.0}, weightsOf(f, t), 1e-12);
    }

    @Test
    void capacityIsAShareOfTheSumOfK() {
        // ΣK = 7; cf = 0.5 → ceil(3.5 / 3) = 2 per expert: experts 0 and 1 each drop token 2
        RouterForward f = router(0.5).forward(x(), RoutingContext.training(3).withAttention(AttentionImportanceTest.handMade()));
        RoutingDecision d = f.decision();
        assertEquals(2, d.droppedAssignments());
        assertEquals(0, d.tokenK(2));
        assertEquals(1, d.unroutedTokens());
        assertArrayEquals(new double[]{0.5, 1.0 / 3, 1.0 / 6}, weightsOf(f, 0), 1e-12);
        // cf = 1 → ceil(7/3) = 3: nothing dropped
        assertEquals(0, router(1.0).forward(x(), RoutingContext.training(3).withAttention(AttentionImportanceTest.handMade()))
                .decision().droppedAssignments());
    }

    @Test
    void paddingIsExcludedFromImportanceAndRouting() {
        RouterForward f = router(0).forward(x(), RoutingContext.training(3)
                .withAttention(AttentionImportanceTest.handMade()).withPadMask(new boolean[]{false, false, true}));
        RoutingDecision d = f.decision();
        assertEquals(3, d.tokenK(0));
        assertEquals(2, d.tokenK(1));       // r = 0.614 → ceil(1.84) = 2
        assertEquals(0, d.tokenK(2));
        assertEquals(0, d.unroutedTokens());
        assertEquals(2, f.record().tokens());
        assertEquals(0, f.record().unroutedCount());
    }
}
