package dev.sparkmoe.worker.optim;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LrScheduleTest {
    private final LrSchedule s = new LrSchedule(1e-3, 1e-5, 10, 110);

    @Test
    void linearWarmupReachesPeak() {
        assertEquals(1e-4, s.lr(0), 1e-15);
        assertEquals(5e-4, s.lr(4), 1e-15);
        assertEquals(1e-3, s.lr(9), 1e-15);
        assertEquals(1e-3, s.lr(10), 1e-15);
    }

    @Test
    void cosineDecayToMinThenFlat() {
        assertEquals(1e-5 + 0.5 * (1e-3 - 1e-5), s.lr(60), 1e-15);
        assertEquals(1e-5, s.lr(110), 1e-15);
        assertEquals(1e-5, s.lr(1000), 1e-15);
        for (long t = 10; t < 110; t++) assertTrue(s.lr(t + 1) <= s.lr(t), "not decreasing at " + t);
    }

    @Test
    void noWarmupStartsAtPeak() {
        LrSchedule n = new LrSchedule(2e-3, 0, 0, 100);
        assertEquals(2e-3, n.lr(0), 1e-15);
        assertEquals(0, n.lr(100), 1e-15);
    }

    @Test
    void rejectsBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> new LrSchedule(1e-5, 1e-3, 0, 10));
        assertThrows(IllegalArgumentException.class, () -> new LrSchedule(1e-3, 0, 20, 10));
        assertThrows(IllegalArgumentException.class, () -> s.lr(-1));
    }
}
