package dev.sparkmoe.worker.moe;

import dev.sparkmoe.routing.AttentionKConfig;
import dev.sparkmoe.routing.ExpertSet;
import dev.sparkmoe.routing.Param;
import dev.sparkmoe.routing.RouterConfig;
import dev.sparkmoe.routing.RoutingContext;
import dev.sparkmoe.routing.TopKConfig;
import dev.sparkmoe.testing.GradientCheck;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole MoE layer (router → dispatch → experts → combine and back) against central
 * differences in float64, for the routers whose forward is smooth where the selection is
 * stable (top-any's straight-through step is checked against its surrogate in routing/).
 */
class MoELayerGradientTest {
    static final int B = 2, S = 4, T = B * S, D = 6, F = 7, E = 4, H = 2;

    static Stream<RouterConfig> routers() {
        return Stream.of(
                new TopKConfig(1, 0, true, 0.0, 0.0),
                new TopKConfig(2, 0, true, 0.3, 0.2),
                new TopKConfig(2, 0, false, 0.3, 0.2),
                new AttentionKConfig(1.0, 1, 0, 0, 0.3, 0.2, false));
    }

    @ParameterizedTest
    @MethodSource("routers")
    void gradientsMatchCentralDifferences(RouterConfig router) {
        MoELayer layer = new MoELayer(0, D, F, router, ExpertSet.initial(E), 11, DataType.DOUBLE, new InProcessDispatcher());
        INDArray x = GradientCheck.random(1, 1.0, T, D);
        INDArray g = GradientCheck.random(2, 1.0, T, D);
        INDArray attention = attention();
        RoutingContext ctx = RoutingContext.training(S).withAttention(attention);

        for (Param p : layer.params()) p.grad().assign(0);
        INDArray y = layer.forward(x, ctx);
        assertEquals(T, y.rows());
        INDArray dx = layer.backward(g);

        List<GradientCheck.Failure> failures = GradientCheck.variables().add("x", x, dx).addParams(layer.params())
                .check(() -> {
                    INDArray out = layer.forward(x, ctx);
                    return GradientCheck.dot(g, out) + layer.lastRouting().auxLoss();
                });
        assertTrue(failures.isEmpty(), () -> router + ": " + failures);
    }

    /** A fixed causal softmax attention {@code [B, H, S, S]}. */
    static INDArray attention() {
        INDArray scores = GradientCheck.random(3, 2.0, B, H, S, S);
        for (int q = 0; q < S; q++) {
            for (int k = q + 1; k < S; k++) {
                for (int b = 0; b < B; b++) for (int h = 0; h < H; h++) scores.putScalar(new int[]{b, h, q, k}, -1e9);
            }
        }
        INDArray e = Transforms.exp(scores.sub(scores.max(true, 3)), false);
        return e.div(e.sum(true, 3));
    }

    @org.junit.jupiter.api.Test
    void tokensRoutedNowhereGetZeroOutputAndNoGradientFromExperts() {
        // top-any in training: thresholds far above every cosine → nobody is routed.
        MoELayer layer = new MoELayer(0, D, F, dev.sparkmoe.routing.TopAnyConfig.defaults(), ExpertSet.initial(E), 3,
                DataType.DOUBLE, new InProcessDispatcher());
        for (Param p : layer.router().params()) {
            if (p.name().contains("threshold")) p.value().assign(10);
        }
        INDArray x = GradientCheck.random(5, 1.0, T, D);
        INDArray y = layer.forward(x, RoutingContext.training(S));
        assertEquals(0.0, y.norm2Number().doubleValue(), 0.0);
        assertEquals(T, layer.lastRouting().decision().unroutedTokens());
        for (Param p : layer.experts().params()) p.grad().assign(0);
        layer.backward(Nd4j.onesLike(y));
        for (Param p : layer.experts().params()) assertEquals(0.0, p.grad().norm2Number().doubleValue(), 0.0);
    }
}
