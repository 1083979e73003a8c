package dev.sparkmoe.worker.engine;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StageLogTest {
    @Test
    void eachStageRunsOnceAndIsReplayed() {
        StageLog log = new StageLog("test", "zero");
        AtomicInteger runs = new AtomicInteger();
        assertEquals("one", log.run(1, () -> { runs.incrementAndGet(); return "one"; }));
        assertEquals("one", log.run(1, () -> { runs.incrementAndGet(); return "again"; }), "a retry replays");
        assertEquals("zero", log.run(0, () -> "never"));
        assertEquals(1, runs.get());
        assertEquals(2, log.done());
    }

    @Test
    void stagesRunInOrder() {
        StageLog log = new StageLog("test");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> log.run(1, () -> "skipped 0"));
        assertTrue(e.getMessage().contains("stage 1"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> log.get(0));
    }

    @Test
    void aStageThatFailedHalfwayMakesTheStateUnusable() {
        StageLog log = new StageLog("data partition 3");
        assertThrows(ArithmeticException.class, () -> log.run(0, () -> 1 / 0));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> log.run(0, () -> 1));
        assertTrue(e.getMessage().contains("data partition 3") && e.getMessage().contains("failed halfway"), e.getMessage());
    }

    @Test
    void engineStagesNumberForwardThenBackward() {
        EngineStages s = new EngineStages(2);
        assertEquals(4, s.expertStages());
        assertEquals(4, s.lastDataStage());
        assertEquals(java.util.List.of(0, 1, 1, 0), java.util.stream.IntStream.range(0, 4).map(s::layerOf).boxed().toList());
        assertTrue(s.isForward(1) && !s.isForward(2));
        assertEquals("backward layer 0", s.describe(3));
        assertThrows(IllegalArgumentException.class, () -> s.layerOf(4));
    }
}
