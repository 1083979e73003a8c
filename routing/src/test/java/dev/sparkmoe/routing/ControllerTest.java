package dev.sparkmoe.routing;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The add/prune policy (ROUTING.md §4), its configuration and schedule. */
class ControllerTest {
    private static final ExpertSet FOUR = ExpertSet.initial(4);

    private static RoutingRecord window(long[] perExpert, double[] rs, long rn) {
        long tokens = rn;
        for (long c : perExpert) tokens += c;
        return new RoutingRecord(FOUR.ids(), perExpert, rs, rn, tokens, 0);
    }

    @Test
    void prunesUnusedExpertsAndAddsOneForUnroutedTokens() {
        RoutingRecord w = window(new long[]{5, 0, 3, 0}, new double[]{3, 4}, 2);
        LayerChange c = ExpertPolicy.decide(FOUR, w, Map.of(), ControllerConfig.of(8));
        assertArrayEquals(new int[]{1, 3}, c.removedIds());
        assertTrue(c.addExpert());
        assertEquals(4, c.addedId());
        assertArrayEquals(new double[]{0.6, 0.8}, c.addedGate(), 1e-12);
        assertEquals(new ExpertSet(new int[]{0, 2, 4}, 5), c.apply(FOUR));
        assertEquals(3, c.reasons().size());
        assertTrue(c.reasons().get(0).contains("pruned expert 1"), c.reasons().toString());
    }

    @Test
    void nothingToDo() {
        LayerChange c = ExpertPolicy.decide(FOUR, window(new long[]{1, 2, 3, 4}, new double[2], 0), null, ControllerConfig.of(8));
        assertTrue(c.isEmpty());
        assertEquals(FOUR, c.apply(FOUR));
    }

    @Test
    void neverBelowMinExpertsKeepingTheMostRecentlyUsed() {
        RoutingRecord w = window(new long[]{0, 0, 0, 6}, new double[2], 0);
        ControllerConfig min2 = new ControllerConfig(2, 8, true, true);
        // candidates 0,1,2; one must stay: the most recently used (2 at step 9)
        LayerChange c = ExpertPolicy.decide(FOUR, w, Map.of(0, 3L, 1, 7L, 2, 9L), min2);
        assertArrayEquals(new int[]{0, 1}, c.removedIds());
        assertTrue(c.reasons().stream().anyMatch(s -> s.contains("kept expert 2")), c.reasons().toString());
        // ties (and never used) go to the lower id
        assertArrayEquals(new int[]{1, 2}, ExpertPolicy.decide(FOUR, w, Map.of(0, 5L, 1, 5L, 2, 5L), min2).removedIds());
        assertArrayEquals(new int[]{1, 2}, ExpertPolicy.decide(FOUR, w, Map.of(), min2).removedIds());
        // a never-used expert is older than any used one
        assertArrayEquals(new int[]{0, 2}, ExpertPolicy.decide(FOUR, w, Map.of(1, 0L), min2).removedIds());
    }

    @Test
    void everyTokenRoutedNowhere() {
        RoutingRecord w = window(new long[]{0, 0, 0, 0}, new double[]{0, -2}, 7);
        LayerChange c = ExpertPolicy.decide(FOUR, w, Map.of(2, 4L), ControllerConfig.of(4));
        // keeps one (expert 2, most recently used), adds one with gate R_S/‖R_S‖
        assertArrayEquals(new int[]{0, 1, 3}, c.removedIds());
        assertTrue(c.addExpert());
        assertArrayEquals(new double[]{0, -1}, c.addedGate(), 0);
        assertEquals(new ExpertSet(new int[]{2, 4}, 5), c.apply(FOUR));
    }

    @Test
    void allExpertsUnusedWithoutUnroutedTokens() {
        // e.g. every assignment was dropped by capacity and recorded elsewhere: tokens > 0, R_E = 0, R_N = 0
        RoutingRecord w = new RoutingRecord(FOUR.ids(), new long[4], new double[2], 0, 10, 10);
        LayerChange c = ExpertPolicy.decide(FOUR, w, Map.of(3, 1L), ControllerConfig.of(8));
        assertArrayEquals(new int[]{0, 1, 2}, c.removedIds());
        assertFalse(c.addExpert());
    }

    @Test
    void emptyWindowChangesNothing() {
        LayerChange c = ExpertPolicy.decide(FOUR, RoutingRecord.empty(FOUR, 2), Map.of(), ControllerConfig.of(8));
        assertTrue(c.isEmpty());
        assertTrue(c.reasons().get(0).contains("no tokens"));
    }

    @Test
    void maxExpertsReached() {
        RoutingRecord w = window(new long[]{1, 1, 1, 1}, new double[]{1, 0}, 3);
        LayerChange c = ExpertPolicy.decide(FOUR, w, Map.of(), ControllerConfig.of(4));
        assertTrue(c.isEmpty());
        assertTrue(c.reasons().get(0).contains("maxExperts"), c.reasons().toString());
        // pruning makes room
        LayerChange room = ExpertPolicy.decide(FOUR, window(new long[]{1, 0, 1, 1}, new double[]{1, 0}, 3), Map.of(),
                ControllerConfig.of(4));
        assertArrayEquals(new int[]{1}, room.removedIds());
        assertTrue(room.addExpert());
    }

    @Test
    void oneExpertLeft() {
        ExpertSet one = new ExpertSet(new int[]{6}, 7);
        RoutingRecord w = new RoutingRecord(new int[]{6}, new long[]{0}, new double[]{2, 0}, 5, 5, 0);
        LayerChange c = ExpertPolicy.decide(one, w, Map.of(), ControllerConfig.of(2));
        assertEquals(0, c.removedIds().length);
        assertEquals(7, c.addedId());
        assertEquals(new ExpertSet(new int[]{6, 7}, 8), c.apply(one));
        // at max = 1 nothing can happen
        assertTrue(ExpertPolicy.decide(one, w, Map.of(), ControllerConfig.of(1)).isEmpty());
    }

    @Test
    void zeroUnroutedSumGivesAFreshGate() {
        RoutingRecord w = window(new long[]{1, 1, 1, 1}, new double[]{0, 0}, 2);   // inputs summed to 0
        LayerChange c = ExpertPolicy.decide(FOUR, w, Map.of(), ControllerConfig.of(8));
        assertTrue(c.addExpert());
        assertNull(c.addedGate());
        assertTrue(c.reasons().get(0).contains("fresh gate"));
    }

    @Test
    void switchesTurnPruningAndAddingOff() {
        RoutingRecord w = window(new long[]{5, 0, 3, 0}, new double[]{3, 4}, 2);
        LayerChange noPrune = ExpertPolicy.decide(FOUR, w, Map.of(), new ControllerConfig(1, 8, false, true));
        assertEquals(0, noPrune.removedIds().length);
        assertTrue(noPrune.addExpert());
        LayerChange noAdd = ExpertPolicy.decide(FOUR, w, Map.of(), new ControllerConfig(1, 8, true, false));
        assertArrayEquals(new int[]{1, 3}, noAdd.removedIds());
        assertFalse(noAdd.addExpert());
    }

    @Test
    void liveExpertMissingFromTheRecordCountsAsUnused() {
        RoutingRecord w = new RoutingRecord(new int[]{0, 1}, new long[]{2, 2}, new double[2], 0, 4, 0);
        assertArrayEquals(new int[]{2, 3}, ExpertPolicy.decide(FOUR, w, Map.of(), ControllerConfig.of(8)).removedIds());
        assertArrayEquals(new int[]{2, 3}, ExpertPolicy.unusedExperts(FOUR, w));
    }

    @Test
    void markUsed() {
        RoutingRecord step = window(new long[]{1, 0, 2, 0}, new double[2], 0);
        Map<Integer, Long> m = ExpertPolicy.markUsed(Map.of(1, 3L, 3, 4L), step, 10);
        assertEquals(Map.of(0, 10L, 1, 3L, 2, 10L, 3, 4L), m);
        assertEquals(Map.of(0, 10L, 2, 10L), ExpertPolicy.markUsed(null, step, 10));
    }

    @Test
    void layerChangeIsAValue() {
        LayerChange a = new LayerChange(new int[]{1}, true, 4, new double[]{1, 0}, List.of("r"));
        LayerChange b = new LayerChange(new int[]{1}, true, 4, new double[]{1, 0}, List.of("r"));
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertNotEquals(a, new LayerChange(new int[]{2}, true, 4, new double[]{1, 0}, List.of("r")));
        int[] removed = a.removedIds();
        removed[0] = 9;
        assertArrayEquals(new int[]{1}, a.removedIds());
        assertThrows(IllegalArgumentException.class, () -> new LayerChange(new int[0], false, 3, null, List.of()));
        assertThrows(IllegalArgumentException.class, () -> a.apply(new ExpertSet(new int[]{0, 1}, 6)));
    }

    @Test
    void controllerConfigValidation() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new ControllerConfig(0, 4, true, true))
                .getMessage().contains("controller.minExperts = 0"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new ControllerConfig(3, 2, true, true))
                .getMessage().contains("controller.maxExperts = 2"));
    }

    @Test
    void scheduleRecordsUpdatesAndIdles() {
        UpdateSchedule s = new UpdateSchedule(3, 2);   // steps 0,1,2 record (update after 2), 3,4 idle, repeat
        boolean[] rec = new boolean[10];
        boolean[] upd = new boolean[10];
        for (int i = 0; i < 10; i++) {
            rec[i] = s.isRecording(i);
            upd[i] = s.isUpdatePoint(i);
        }
        assertArrayEquals(new boolean[]{true, true, true, false, false, true, true, true, false, false}, rec);
        assertArrayEquals(new boolean[]{false, false, true, false, false, false, false, true, false, false}, upd);
        assertEquals(0, s.window(4));
        assertEquals(1, s.window(5));
        UpdateSchedule every = UpdateSchedule.everyStep();
        for (int i = 0; i < 5; i++) assertTrue(every.isRecording(i) && every.isUpdatePoint(i));
        UpdateSchedule epoch = new UpdateSchedule(100, 0);
        assertTrue(epoch.isUpdatePoint(99) && epoch.isUpdatePoint(199) && !epoch.isUpdatePoint(100));
        assertThrows(IllegalArgumentException.class, () -> s.isRecording(-1));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new UpdateSchedule(0, 0))
                .getMessage().contains("controller.recordSteps"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new UpdateSchedule(1, -1))
                .getMessage().contains("controller.idleSteps"));
    }

    @Test
    void policyOutputDrivesTheRouter() {
        // end to end: the change applied to a top-any router via removeExperts/addExpert
        TopAnyRouter r = new TopAnyRouter(TopAnyConfig.defaults(), 2, FOUR, 1, org.nd4j.linalg.api.buffer.DataType.DOUBLE);
        LayerChange c = ExpertPolicy.decide(FOUR, window(new long[]{5, 0, 3, 0}, new double[]{3, 4}, 2), Map.of(),
                ControllerConfig.of(8));
        r.removeExperts(c.removedIds());
        int id = r.addExpert(org.nd4j.linalg.factory.Nd4j.create(c.addedGate(), new long[]{2},
                org.nd4j.linalg.api.buffer.DataType.DOUBLE), 1);
        assertEquals(c.addedId(), id);
        assertEquals(c.apply(FOUR), r.experts());
        assertArrayEquals(new double[]{0.6, 0.8}, r.gates().value().getRow(2).toDoubleVector(), 1e-12);
    }
}
