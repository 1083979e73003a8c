package dev.sparkmoe.worker.train;

import dev.sparkmoe.routing.ExpertSet;
import dev.sparkmoe.routing.Router;
import dev.sparkmoe.routing.RouterForward;
import dev.sparkmoe.routing.RoutingContext;
import dev.sparkmoe.routing.TopAnyConfig;
import dev.sparkmoe.routing.TopAnyRouter;
import dev.sparkmoe.routing.TopKConfig;
import dev.sparkmoe.routing.TopKRouter;
import dev.sparkmoe.worker.model.MoETransformer;
import dev.sparkmoe.worker.moe.InProcessDispatcher;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The active-expert histogram and expert ids of {@link LayerStats}, from real router forwards. */
class LayerStatsTest {
    private static final int S = 8, D = 6;
    // Ids with gaps, as after the controller pruned experts 1 and 3.
    private static final ExpertSet LIVE = new ExpertSet(new int[]{0, 2, 4, 5, 6}, 7);

    private static Router router(String kind) {
        return kind.equals("topk")
                ? new TopKRouter(new TopKConfig(2, 0.6, true, 0.01, 0.001), D, LIVE, 3, DataType.FLOAT)
                : new TopAnyRouter(new TopAnyConfig(1.0, false, 0.01, 0.0, 0.0), D, LIVE, 5, DataType.FLOAT);
    }

    /** {@code b} sequences of random router inputs; the last {@code pad} tokens of the first sequence are padding. */
    private static RouterForward forward(Router r, int b, int pad, long seed) {
        INDArray x = Nd4j.randn(seed, new long[]{(long) b * S, D}).castTo(DataType.FLOAT).muli(3);
        boolean[] mask = new boolean[b * S];
        for (int t = S - pad; t < S; t++) mask[t] = true;
        return r.forward(x, RoutingContext.training(S).withPadMask(mask));
    }

    private static void assertConsistent(LayerStats s, long tokens) {
        long[] h = s.activeHistogram();
        assertEquals(tokens, Arrays.stream(h).sum(), "histogram sums to the token count: " + Arrays.toString(h));
        double weighted = 0;
        for (int k = 0; k < h.length; k++) weighted += k * (double) h[k];
        assertEquals(s.meanActive(), weighted / tokens, 1e-12, "histogram mean is meanActive");
        assertEquals(s.unrouted(), h[0], "the 0 bin is the unrouted tokens");
        assertArrayEquals(LIVE.ids(), s.expertIds());
    }

    @ParameterizedTest
    @ValueSource(strings = {"topk", "topany"})
    void histogramOfOneForwardCountsNonPaddingTokens(String kind) {
        RouterForward f = forward(router(kind), 4, 3, 11);
        LayerStats s = LayerStats.of(f);
        assertEquals(4 * S - 3, f.record().tokens());
        assertConsistent(s, f.record().tokens());
        if (kind.equals("topk")) {
            assertTrue(s.activeHistogram().length <= 3, "top-2 keeps at most 2 per token");
            assertTrue(s.dropped() > 0 && s.activeHistogram()[1] > 0, "capacity 0.6 drops some second choices");
        } else {
            assertTrue(s.activeHistogram().length <= LIVE.size() + 1);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"topk", "topany"})
    void mergedGroupsSumTheirHistograms(String kind) {
        Router r = router(kind);
        RoutingTally tally = new RoutingTally();
        long[] expected = new long[0];
        long tokens = 0;
        for (int g = 0; g < 3; g++) {
            RouterForward f = forward(r, 2 + g, g, 20 + g);
            tally.add(f);
            long[] h = LayerStats.of(f).activeHistogram();
            expected = LayerStats.addHistograms(expected, h);
            tokens += f.record().tokens();
        }
        LayerStats merged = tally.stats(LIVE, D);
        assertArrayEquals(trim(expected), trim(merged.activeHistogram()));
        assertConsistent(merged, tokens);
    }

    /** The trainer's micro-batched step (the engine's reference) reports the groups' histograms summed. */
    @Test
    void groupedTrainingStepsReportConsistentHistograms() {
        MoETransformer model = new MoETransformer(ReferenceTrainerTest.model(TopAnyConfig.defaults()), 4, DataType.FLOAT,
                InProcessDispatcher::new);
        List<StepMetrics> metrics = new ArrayList<>();
        new ReferenceTrainer(model, ReferenceTrainerTest.trainer(3), GroupedTrainingTest.grouped(), null).run(0, metrics::add);
        for (StepMetrics m : metrics) {
            for (LayerStats s : m.layers()) {
                long[] h = s.activeHistogram();
                assertEquals(m.tokens(), Arrays.stream(h).sum(), "no padding in the counting batches");
                double weighted = 0;
                for (int k = 0; k < h.length; k++) weighted += k * (double) h[k];
                assertEquals(s.meanActive(), weighted / m.tokens(), 1e-12);
                assertEquals(s.experts(), s.expertIds().length);
            }
        }
    }

    @Test
    void emptyTallyHasAnEmptyHistogram() {
        LayerStats s = new RoutingTally().stats(LIVE, D);
        assertArrayEquals(new long[]{0}, s.activeHistogram());
        assertArrayEquals(LIVE.ids(), s.expertIds());
    }

    @Test
    void histogramsOfDifferentLengthsAdd() {
        assertArrayEquals(new long[]{3, 5, 1}, LayerStats.addHistograms(new long[]{1, 5}, new long[]{2, 0, 1}));
        assertArrayEquals(new long[]{1}, LayerStats.addHistograms(null, new long[]{1}));
    }

    /** Without trailing zero bins. */
    private static long[] trim(long[] h) {
        int n = h.length;
        while (n > 1 && h[n - 1] == 0) n--;
        return Arrays.copyOf(h, n);
    }
}
