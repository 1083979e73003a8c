package dev.sparkmoe.worker.model;

import dev.sparkmoe.routing.AttentionKConfig;
import dev.sparkmoe.routing.RouterConfig;
import dev.sparkmoe.routing.TopKConfig;
import dev.sparkmoe.testing.GradientCheck;
import dev.sparkmoe.worker.moe.GroupedRouting;
import dev.sparkmoe.worker.moe.InProcessDispatcher;
import dev.sparkmoe.worker.moe.MoELayer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;

import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The language model on a batch in routing groups: float64 gradients and {@link TokenBatch} grouping. */
class GroupedMoETransformerTest {
    static final int[][] WINDOWS = {{1, 4, 2, 9, 0, 3}, {7, 7, 5, 10, 2, 6}, {3, 8, 8, 1, 4, 5}};

    static Stream<RouterConfig> routers() {
        return Stream.of(new TopKConfig(2, 1.0, true, 0.05, 0.01),
                new AttentionKConfig(1.0, 1, 0, 1.0, 0.05, 0.01, false));
    }

    @ParameterizedTest
    @MethodSource("routers")
    void everyParameterMatchesCentralDifferencesWithThreeGroups(RouterConfig router) {
        ModelConfig cfg = new ModelConfig(11, 5, 8, 2, 12, 10, 2, new int[]{1}, 3, router, true);
        MoETransformer model = new MoETransformer(cfg, 5, DataType.DOUBLE, InProcessDispatcher::new);
        MoELayer moe = model.moeLayers().get(0);
        // well-separated router probabilities, so selection and capacity are stable under ±ε
        moe.router().params().get(0).value().assign(GradientCheck.random(6, 1.0, 3, 8));
        TokenBatch batch = TokenBatch.ofWindows(WINDOWS).withGroups(0, 1, 2, 3);

        model.zeroGrads();
        MoETransformer.LossBreakdown loss = model.forward(batch, true);
        GroupedRouting routing = (GroupedRouting) moe.lastRouting();
        assertEquals(3, routing.groups().size());
        assertTrue(routing.decision().droppedAssignments() > 0, router + ": per-group capacity must bind");
        assertTrue(loss.aux() > 0);
        model.backward();

        List<GradientCheck.Failure> failures = GradientCheck.variables().addParams(model.params())
                .check(() -> model.forward(batch, true).total(), 100, 1e-6, 1e-5, 1e-8);
        assertTrue(failures.isEmpty(), () -> router + ": " + failures);
    }

    @Test
    void groupingIsValidatedAndKeepsTheTokens() {
        TokenBatch one = TokenBatch.ofWindows(WINDOWS);
        assertEquals(1, one.groups());
        org.junit.jupiter.api.Assertions.assertArrayEquals(new int[]{0, 3}, one.groupOffsets());
        TokenBatch three = one.withEvenGroups(2);
        org.junit.jupiter.api.Assertions.assertArrayEquals(new int[]{0, 2, 3}, three.groupOffsets());
        org.junit.jupiter.api.Assertions.assertSame(one.inputs(), three.inputs());
        for (int[] bad : new int[][]{{0, 2}, {1, 3}, {0, 2, 1, 3}, {0}}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> one.withGroups(bad));
            assertTrue(e.getMessage().contains("groupOffsets"), e.getMessage());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TokenBatch(2, 3, new int[5], new int[6]));
        assertTrue(e.getMessage().contains("B·S"), e.getMessage());
    }
}
