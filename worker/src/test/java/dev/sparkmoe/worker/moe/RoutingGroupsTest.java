package dev.sparkmoe.worker.moe;

import dev.sparkmoe.routing.AttentionKConfig;
import dev.sparkmoe.routing.ExpertSet;
import dev.sparkmoe.routing.Param;
import dev.sparkmoe.routing.RouterConfig;
import dev.sparkmoe.routing.RouterForward;
import dev.sparkmoe.routing.RoutingContext;
import dev.sparkmoe.routing.TopAnyConfig;
import dev.sparkmoe.routing.TopKConfig;
import dev.sparkmoe.testing.GradientCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The MoE layer routing a batch in routing groups ({@link GroupedRouting}). */
class RoutingGroupsTest {
    static final int B = 4, S = 4, T = B * S, D = 6, F = 7, E = 4, H = 2;
    static final int[] GROUPS = {0, 1, 3, 4};   // three groups of 1, 2 and 1 sequences

    static MoELayer layer(RouterConfig router, long seed) {
        MoELayer layer = new MoELayer(0, D, F, router, ExpertSet.initial(E), seed, DataType.DOUBLE,
                new InProcessDispatcher());
        if (!(router instanceof TopAnyConfig)) {
            // well-separated probabilities, so selection and capacity are stable under ±ε
            layer.router().params().get(0).value().assign(GradientCheck.random(seed + 100, 1.0, E, D));
        }
        return layer;
    }

    static double[] flat(INDArray a) { return a.dup('c').reshape(a.length()).toDoubleVector(); }

    static RoutingContext context() {
        return RoutingContext.training(S).withAttention(attention(B));
    }

    /** A fixed causal softmax attention {@code [b, H, S, S]}. */
    static INDArray attention(int b) {
        INDArray scores = GradientCheck.random(3, 2.0, b, H, S, S);
        for (int q = 0; q < S; q++) {
            for (int k = q + 1; k < S; k++) {
                for (int i = 0; i < b; i++) for (int h = 0; h < H; h++) scores.putScalar(new int[]{i, h, q, k}, -1e9);
            }
        }
        INDArray e = org.nd4j.linalg.ops.transforms.Transforms.exp(scores.sub(scores.max(true, 3)), false);
        return e.div(e.sum(true, 3));
    }

    static Stream<RouterConfig> cappedRouters() {
        return Stream.of(
                new TopKConfig(2, 1.0, true, 0.3, 0.2),
                new TopKConfig(1, 1.0, false, 0.3, 0.2),
                new AttentionKConfig(1.0, 1, 0, 0.75, 0.3, 0.2, false));
    }

    @ParameterizedTest
    @MethodSource("cappedRouters")
    void groupedLayerGradientsMatchCentralDifferences(RouterConfig router) {
        MoELayer layer = layer(router, 11);
        INDArray x = GradientCheck.random(1, 1.0, T, D);
        INDArray g = GradientCheck.random(2, 1.0, T, D);
        RoutingContext ctx = context();

        for (Param p : layer.params()) p.grad().assign(0);
        layer.forward(x, ctx, GROUPS);
        GroupedRouting routing = (GroupedRouting) layer.lastRouting();
        assertEquals(3, routing.groups().size());
        assertTrue(routing.decision().droppedAssignments() > 0, router + ": capacity must bind in this case");
        assertTrue(routing.auxLoss() > 0);
        INDArray dx = layer.backward(g);

        List<GradientCheck.Failure> failures = GradientCheck.variables().add("x", x, dx).addParams(layer.params())
                .check(() -> {
                    INDArray out = layer.forward(x, ctx, GROUPS);
                    return GradientCheck.dot(g, out) + layer.lastRouting().auxLoss();
                });
        assertTrue(failures.isEmpty(), () -> router + ": " + failures);
    }

    @ParameterizedTest
    @MethodSource("cappedRouters")
    void auxLossIsTheTokenWeightedMeanOfTheGroupsAndRecordsMerge(RouterConfig router) {
        INDArray x = GradientCheck.random(4, 1.0, T, D);
        MoELayer grouped = layer(router, 12);
        grouped.forward(x, context(), GROUPS);
        GroupedRouting r = (GroupedRouting) grouped.lastRouting();
        double expected = 0;
        long dropped = 0;
        for (int g = 0; g < 3; g++) {
            int b0 = GROUPS[g], b1 = GROUPS[g + 1];
            INDArray rows = x.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(b0 * S, b1 * S),
                    org.nd4j.linalg.indexing.NDArrayIndex.all()).dup();
            RoutingContext c = RoutingContext.training(S).withAttention(attention(B).get(
                    org.nd4j.linalg.indexing.NDArrayIndex.interval(b0, b1), org.nd4j.linalg.indexing.NDArrayIndex.all(),
                    org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.all()));
            RouterForward alone = grouped.router().forward(rows, c);
            expected += (double) (b1 - b0) * S / T * alone.auxLoss();
            dropped += alone.decision().droppedAssignments();
            assertEquals(alone.record(), r.groups().get(g).record(), "group " + g);
        }
        assertEquals(expected, r.auxLoss(), 1e-12);
        assertEquals(dropped, r.decision().droppedAssignments());
        assertEquals(dropped, r.record().droppedAssignments());
        assertEquals(T, r.record().tokens());
        assertEquals(r.decision().nnz(), r.record().assignments());
    }

    /**
     * Top-1 over two experts, capacity factor 1: per group of one sequence the capacity is
     * ceil(4·1/2) = 2, over the whole batch ceil(8/2) = 4. Group 0 sends all four tokens to
     * expert 0 (two dropped), group 1 sends three to expert 1 (one dropped) and one to expert 0.
     */
    @Test
    void capacityIsPerGroup() {
        MoELayer layer = new MoELayer(0, 2, 3, new TopKConfig(1, 1.0, false, 0, 0), ExpertSet.initial(2), 5,
                DataType.DOUBLE, new InProcessDispatcher());
        layer.router().params().get(0).value().assign(Nd4j.createFromArray(new double[][]{{5, 0}, {0, 5}}));
        INDArray x = Nd4j.createFromArray(new double[][]{
                {1.0, 0}, {0.9, 0}, {0.8, 0}, {0.7, 0},
                {0, 1.0}, {0, 0.9}, {0, 0.8}, {0.6, 0}});
        RoutingContext ctx = RoutingContext.training(4);
        INDArray yGrouped = layer.forward(x, ctx, new int[]{0, 1, 2});
        GroupedRouting r = (GroupedRouting) layer.lastRouting();
        assertEquals(2, r.groups().get(0).decision().droppedAssignments());
        assertEquals(1, r.groups().get(1).decision().droppedAssignments());
        assertEquals(3, r.decision().droppedAssignments());
        assertEquals(3, r.decision().unroutedTokens());
        assertEquals(3, r.record().droppedAssignments());
        assertEquals(3, r.record().unroutedCount());
        int[] k = new int[8];
        for (int t = 0; t < 8; t++) k[t] = r.decision().tokenK(t);
        assertArrayEquals(new int[]{1, 1, 0, 0, 1, 1, 0, 1}, k, "lowest probabilities dropped within each group");
        assertArrayEquals(new int[]{3, 2}, r.decision().tokensPerExpert());

        INDArray yWhole = layer.forward(x, ctx);
        assertEquals(1, layer.lastRouting().decision().droppedAssignments(), "one batch-wide capacity of 4");
        // grouping is real when capacity binds: token 2 is dropped only in groups, token 7 only batch-wide
        assertEquals(0.0, yGrouped.getRow(2).norm2Number().doubleValue(), 0.0);
        assertTrue(yWhole.getRow(2).norm2Number().doubleValue() > 0);
        assertEquals(0.0, yWhole.getRow(7).norm2Number().doubleValue(), 0.0);
        assertTrue(yGrouped.getRow(7).norm2Number().doubleValue() > 0);
    }

    static Stream<RouterConfig> droplessLinearAux() {
        return Stream.of(
                new TopKConfig(2, 0, true, 0, 0),
                new TopKConfig(2, 0, true, 0, 0.2),                   // z-loss is a token mean: splits exactly
                new AttentionKConfig(1.0, 1, 0, 0, 0, 0.2, false),
                new TopAnyConfig(1.0, false, 0.05, 0, 0.1));          // diverse-simple and efficiency split exactly
    }

    /** Without capacity and without aux terms that are non-linear in the batch, grouping changes nothing. */
    @ParameterizedTest
    @MethodSource("droplessLinearAux")
    void droplessGroupingEqualsTheWholeBatch(RouterConfig router) {
        INDArray x = GradientCheck.random(6, 1.0, T, D);
        INDArray g = GradientCheck.random(7, 1.0, T, D);
        MoELayer whole = layer(router, 13);
        MoELayer grouped = layer(router, 13);
        INDArray yWhole = whole.forward(x, context());
        INDArray yGrouped = grouped.forward(x, context(), GROUPS);
        assertTrue(grouped.lastRouting() instanceof GroupedRouting);
        assertArrayEquals(whole.lastRouting().decision().expertSlots(), grouped.lastRouting().decision().expertSlots());
        assertArrayEquals(whole.lastRouting().decision().tokenOffsets(), grouped.lastRouting().decision().tokenOffsets());
        assertEquals(0.0, yWhole.sub(yGrouped).norm2Number().doubleValue(), 1e-12);
        assertEquals(whole.lastRouting().auxLoss(), grouped.lastRouting().auxLoss(), 1e-12);
        assertEquals(whole.lastRouting().record().tokens(), grouped.lastRouting().record().tokens());
        for (Param p : whole.params()) p.grad().assign(0);
        for (Param p : grouped.params()) p.grad().assign(0);
        INDArray dxWhole = whole.backward(g);
        INDArray dxGrouped = grouped.backward(g);
        assertEquals(0.0, dxWhole.sub(dxGrouped).norm2Number().doubleValue(), 1e-10);
        for (int i = 0; i < whole.params().size(); i++) {
            INDArray a = whole.params().get(i).grad();
            INDArray b = grouped.params().get(i).grad();
            assertEquals(0.0, a.sub(b).norm2Number().doubleValue(), 1e-10, whole.params().get(i).name());
        }
    }

    @Test
    void oneGroupIsTheUngroupedLayerBitForBit() {
        RouterConfig router = new TopKConfig(2, 1.0, true, 0.3, 0.2);
        INDArray x = GradientCheck.random(8, 1.0, T, D);
        INDArray g = GradientCheck.random(9, 1.0, T, D);
        MoELayer plain = layer(router, 14);
        MoELayer oneGroup = layer(router, 14);
        INDArray y1 = plain.forward(x, context());
        INDArray y2 = oneGroup.forward(x, context(), new int[]{0, B});
        assertArrayEquals(flat(y1), flat(y2), 0.0);
        assertEquals(Double.doubleToLongBits(plain.lastRouting().auxLoss()),
                Double.doubleToLongBits(oneGroup.lastRouting().auxLoss()));
        assertArrayEquals(flat(plain.backward(g)), flat(oneGroup.backward(g)), 0.0);
        for (int i = 0; i < plain.params().size(); i++) {
            assertArrayEquals(flat(plain.params().get(i).grad()),
                    flat(oneGroup.params().get(i).grad()), 0.0);
        }
    }

    @Test
    void emptyGroupsAreSkippedAndBadOffsetsRejected() {
        RouterConfig router = new TopKConfig(2, 1.0, true, 0.3, 0.2);
        INDArray x = GradientCheck.random(10, 1.0, T, D);
        MoELayer a = layer(router, 15);
        MoELayer b = layer(router, 15);
        INDArray ya = a.forward(x, context(), new int[]{0, 2, 4});
        INDArray yb = b.forward(x, context(), new int[]{0, 0, 2, 2, 4});
        assertEquals(2, ((GroupedRouting) b.lastRouting()).groups().size());
        assertArrayEquals(flat(ya), flat(yb), 0.0);
        assertEquals(a.lastRouting().auxLoss(), b.lastRouting().auxLoss(), 0.0);
        for (int[] bad : new int[][]{{1, 4}, {0, 3}, {0, 3, 2, 4}, {0}}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> a.forward(x, context(), bad));
            assertTrue(e.getMessage().contains("routing groups"), e.getMessage());
        }
    }
}
