package dev.sparkmoe.routing;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExpertPlacementTest {

    @Test
    void initialPlacementBalancesCounts() {
        ExpertPlacement p = ExpertPlacement.initial(new int[]{0, 1, 2, 3, 4}, 2);
        assertEquals(Map.of(0, 0, 1, 1, 2, 0, 3, 1, 4, 0), p.asMap());
        assertTrue(p.moves().isEmpty());
        assertArrayEquals(new int[]{0, 1, 2, 3, 4}, p.placedNew());
        assertArrayEquals(new int[]{0, 2, 4}, p.expertsOn(0));
    }

    @Test
    void keptStayRemovedGoNewGoToTheLeastLoaded() {
        Map<Integer, Integer> current = Map.of(0, 0, 1, 0, 2, 1, 3, 1);
        Map<Integer, Long> load = Map.of(0, 10L, 1, 10L, 2, 10L, 3, 5L);
        // expert 1 removed, 4 new: partition loads 10 vs 15 → new to partition 0
        ExpertPlacement p = ExpertPlacement.place(current, new int[]{0, 2, 3, 4}, load, 2, 0.5);
        assertEquals(Map.of(0, 0, 2, 1, 3, 1, 4, 0), p.asMap());
        assertTrue(p.moves().isEmpty());
        assertArrayEquals(new int[]{4}, p.placedNew());
    }

    @Test
    void newExpertsTieToTheFewerExpertsThenTheLowestPartition() {
        Map<Integer, Integer> current = Map.of(0, 0, 1, 1, 2, 1);
        Map<Integer, Long> load = Map.of(0, 4L, 1, 2L, 2, 2L);
        ExpertPlacement p = ExpertPlacement.place(current, new int[]{0, 1, 2, 3, 4}, load, 3, 10);
        // loads [4, 4, 0]: 3 and then 4 (load 0) go to partition 2, the least loaded (load wins before counts)
        assertEquals(2, p.partitionOf(3));
        assertEquals(2, p.partitionOf(4));
        // equal loads [3, 3] and equal counts: the lowest partition
        ExpertPlacement tie = ExpertPlacement.place(Map.of(0, 0, 1, 1), new int[]{0, 1, 2}, Map.of(0, 3L, 1, 3L), 2, 10);
        assertEquals(0, tie.partitionOf(2));
        // equal loads, fewer experts on partition 1: counts decide
        ExpertPlacement fewer = ExpertPlacement.place(Map.of(0, 0, 1, 0, 2, 1), new int[]{0, 1, 2, 3},
                Map.of(0, 2L, 1, 1L, 2, 3L), 2, 10);
        assertEquals(1, fewer.partitionOf(3));
    }

    @Test
    void rebalancesOnlyBeyondTheToleranceMovingFewExperts() {
        Map<Integer, Integer> current = Map.of(0, 0, 1, 0, 2, 0, 3, 1);
        Map<Integer, Long> load = Map.of(0, 6L, 1, 3L, 2, 3L, 3, 4L);
        // loads [12, 4], mean 8: 12 > 1.2·8 → move. Moving 0 (6) gives pair max 10; moving 1 (3) gives 9 → move 1
        // → [9, 7]: 9 <= 9.6, stop.
        ExpertPlacement p = ExpertPlacement.place(current, new int[]{0, 1, 2, 3}, load, 2, 0.2);
        assertEquals(List.of(new ExpertPlacement.Move(1, 0, 1)), p.moves());
        assertArrayEquals(new long[]{9, 7}, p.partitionLoads(load));
        // within tolerance: nothing moves
        ExpertPlacement calm = ExpertPlacement.place(current, new int[]{0, 1, 2, 3}, load, 2, 0.5);
        assertTrue(calm.moves().isEmpty());
        assertEquals(current, calm.asMap());
    }

    @Test
    void aMoveHappensOnlyIfItStrictlyLowersTheMax() {
        // one heavy expert alone on its partition: moving it cannot help
        Map<Integer, Integer> current = Map.of(0, 0, 1, 1, 2, 1);
        Map<Integer, Long> load = Map.of(0, 100L, 1, 1L, 2, 1L);
        ExpertPlacement p = ExpertPlacement.place(current, new int[]{0, 1, 2}, load, 2, 0);
        assertTrue(p.moves().isEmpty());
    }

    @Test
    void tiedMaximaAreWorkedDownOneAtATime() {
        Map<Integer, Integer> current = Map.of(0, 0, 1, 0, 2, 1, 3, 1);
        Map<Integer, Long> load = Map.of(0, 3L, 1, 2L, 2, 3L, 3, 2L);
        // loads [5, 5, 0]: expert 0 moves 0 → 2 ([2, 5, 3]), then expert 3 moves 1 → 0 ([4, 3, 3]);
        // 4 experts of loads 3,3,2,2 on 3 partitions cannot do better than max 4, so it stops there
        ExpertPlacement p = ExpertPlacement.place(current, new int[]{0, 1, 2, 3}, load, 3, 0.1);
        assertEquals(List.of(new ExpertPlacement.Move(0, 0, 2), new ExpertPlacement.Move(3, 1, 0)), p.moves());
        assertArrayEquals(new long[]{4, 3, 3}, p.partitionLoads(load));
    }

    @Test
    void zeroLoadsBalanceCounts() {
        Map<Integer, Integer> current = Map.of(0, 0, 1, 0, 2, 0, 3, 0);
        ExpertPlacement p = ExpertPlacement.place(current, new int[]{0, 1, 2, 3}, Map.of(), 2, 0);
        assertEquals(2, p.expertsOn(0).length);
        assertEquals(2, p.expertsOn(1).length);
        assertEquals(2, p.moves().size());
    }

    @Test
    void partitionsOutOfRangeArePlacedAgainAndCountAsMoves() {
        Map<Integer, Integer> current = Map.of(0, 0, 1, 3);     // P shrank from 4 to 2
        ExpertPlacement p = ExpertPlacement.place(current, new int[]{0, 1}, Map.of(0, 1L, 1, 1L), 2, 0);
        assertEquals(1, p.partitionOf(1));
        assertEquals(List.of(new ExpertPlacement.Move(1, 3, 1)), p.moves());
    }

    @Test
    void deterministicValue() {
        Map<Integer, Integer> current = new HashMap<>(Map.of(0, 0, 1, 0, 2, 1));
        Map<Integer, Long> load = Map.of(0, 9L, 1, 7L, 2, 1L, 5, 4L);
        ExpertPlacement a = ExpertPlacement.place(current, new int[]{5, 0, 1, 2}, load, 2, 0);
        ExpertPlacement b = ExpertPlacement.place(new HashMap<>(current), new int[]{0, 1, 2, 5}, load, 2, 0);
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertNotEquals(a, ExpertPlacement.initial(new int[]{0, 1, 2, 5}, 2));
    }

    @Test
    void invalidArguments() {
        assertThrows(IllegalArgumentException.class, () -> ExpertPlacement.place(Map.of(), new int[]{0}, Map.of(), 0, 0));
        assertThrows(IllegalArgumentException.class, () -> ExpertPlacement.place(Map.of(), new int[]{0}, Map.of(), 1, -1));
        assertThrows(IllegalArgumentException.class, () -> ExpertPlacement.place(Map.of(), new int[]{0, 0}, Map.of(), 1, 0));
        assertThrows(IllegalArgumentException.class, () -> ExpertPlacement.place(Map.of(), new int[]{0}, Map.of(0, -1L), 1, 0));
        assertThrows(IllegalArgumentException.class, () -> ExpertPlacement.initial(new int[]{0}, 1).partitionOf(3));
    }
}
