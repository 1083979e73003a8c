package dev.sparkmoe.worker.train;

import dev.sparkmoe.routing.ControllerConfig;
import dev.sparkmoe.routing.ExpertSet;
import dev.sparkmoe.routing.RoutingRecord;
import dev.sparkmoe.routing.TopAnyConfig;
import dev.sparkmoe.routing.UpdateSchedule;
import dev.sparkmoe.worker.moe.InProcessDispatcher;
import dev.sparkmoe.worker.moe.MoELayer;
import dev.sparkmoe.worker.state.ControllerState;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The controller's snapshot/restore: a controller restored mid-window makes the same decision as
 * the one that never stopped, and one that was not restored does not (last-used steps and the
 * window's earlier steps decide which unused expert is kept).
 */
class ExpertControllerStateTest {
    private static final int D = 4;
    // Windows of two steps; minExperts = 2 keeps one unused expert, chosen by last use.
    private static final ControllerConfig CONFIG = new ControllerConfig(2, 8, true, true);
    private static final UpdateSchedule SCHEDULE = new UpdateSchedule(2, 0);

    private static MoELayer layer() {
        return new MoELayer(0, D, 6, TopAnyConfig.defaults(), ExpertSet.initial(4), 3, DataType.FLOAT,
                new InProcessDispatcher());
    }

    /** A step's record: {@code used} experts got one token each, {@code unrouted} tokens went nowhere. */
    private static RoutingRecord record(MoELayer layer, int[] used, int unrouted) {
        int[] ids = layer.liveExperts().ids();
        long[] counts = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            int id = ids[i];
            counts[i] = Arrays.stream(used).anyMatch(u -> u == id) ? 1 : 0;
        }
        double[] sum = new double[D];
        Arrays.fill(sum, unrouted);
        return new RoutingRecord(ids, counts, sum, unrouted, used.length + unrouted, 0);
    }

    private static final int[][] USED = {{0, 2, 3}, {0, 3}, {0}, {0}};
    private static final int[] UNROUTED = {0, 2, 0, 1};

    private static List<ControllerEvent> step(ExpertController c, MoELayer layer, int s) {
        return c.afterStep(s, List.of(layer), List.of(record(layer, USED[s], UNROUTED[s])));
    }

    /** A fresh layer taken through the first window's update (prunes 1, adds 4) by a throwaway controller. */
    private static MoELayer afterFirstWindow() {
        MoELayer layer = layer();
        ExpertController c = new ExpertController(CONFIG, SCHEDULE);
        step(c, layer, 0);
        step(c, layer, 1);
        assertArrayEquals(new int[]{0, 2, 3, 4}, layer.liveExperts().ids());
        return layer;
    }

    @Test
    void restoredControllerDecidesLikeTheOneThatNeverStopped() {
        MoELayer original = layer();
        ExpertController straight = new ExpertController(CONFIG, SCHEDULE);
        for (int s = 0; s < 3; s++) step(straight, original, s);
        ControllerState saved = straight.snapshot();
        List<ControllerEvent> expected = step(straight, original, 3);
        assertEquals(1, expected.size());
        assertArrayEquals(new int[]{2, 4}, expected.get(0).removed(), "keeps 3 (used at step 1), not 2 (step 0)");
        assertArrayEquals(new int[]{5}, expected.get(0).added());

        MoELayer resumedLayer = afterFirstWindow();
        ExpertController resumed = new ExpertController(CONFIG, SCHEDULE);
        resumed.restore(saved);
        List<ControllerEvent> actual = step(resumed, resumedLayer, 3);
        assertEquals(expected.toString(), actual.toString());
        assertEquals(original.liveExperts(), resumedLayer.liveExperts());

        MoELayer freshLayer = afterFirstWindow();
        List<ControllerEvent> fresh = step(new ExpertController(CONFIG, SCHEDULE), freshLayer, 3);
        assertArrayEquals(new int[]{3, 4}, fresh.get(0).removed(), "without the saved state the tie goes to the lower id");
    }

    @Test
    void snapshotIsACopyAndRoundTrips() {
        MoELayer layer = layer();
        ExpertController c = new ExpertController(CONFIG, SCHEDULE);
        assertEquals(ControllerState.EMPTY, c.snapshot());
        step(c, layer, 0);
        ControllerState afterStep0 = c.snapshot();
        assertEquals(1, afterStep0.layers().size());
        assertEquals(record(layer(), USED[0], 0), afterStep0.layers().get(0).window());
        assertEquals(java.util.Map.of(0, 0L, 2, 0L, 3, 0L), afterStep0.layers().get(0).lastUsed());
        step(c, layer, 1);
        assertNull(c.snapshot().layers().get(0).window(), "an update point closes the window");
        assertEquals(3, afterStep0.layers().get(0).window().tokens(), "the snapshot did not change");
        assertEquals(java.util.Map.of(0, 0L, 2, 0L, 3, 0L), afterStep0.layers().get(0).lastUsed());

        ExpertController other = new ExpertController(CONFIG, SCHEDULE);
        other.restore(afterStep0);
        assertEquals(afterStep0, other.snapshot());
    }
}
