package dev.sparkmoe.data.lm;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MaskedLmPackerTest {
    static final int V = 1000, MASK = 5, FIRST = 6, S = 40;

    static int[] stream(int n) {
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) ids[i] = i % 97 == 0 ? 2 : FIRST + (i * 31) % (V - FIRST); // <eos> now and then
        return ids;
    }

    @Test
    void masksExactlyTheBertFractionAndKeepsOriginalsAsTargets() {
        int[] ids = stream(10_007);
        MaskedLmPacker p = new MaskedLmPacker(ids, S, 0.15, MASK, FIRST, V);
        assertEquals(250, p.blockCount());
        assertEquals(7, p.droppedTail());
        assertEquals(6, p.predictionsPerRow());
        MaskedLmPacker.Batch b = p.batch(3, 0, 64);
        long masks = 0, kept = 0, predicted = 0;
        int[] blocks = b.blocks();
        assertArrayEquals(new SequencePacker(indexStream(p.blockCount()), 1).batchBlocks(3, 0, 64), blocks);
        for (int r = 0; r < 64; r++) {
            int rowPredicted = 0;
            for (int i = 0; i < S; i++) {
                int at = r * S + i;
                int original = ids[blocks[r] * S + i];
                if (b.targets()[at] == MaskedLmPacker.IGNORE) {
                    assertEquals(original, b.inputs()[at], "unpredicted positions are unchanged");
                    continue;
                }
                rowPredicted++;
                assertEquals(original, b.targets()[at]);
                assertTrue(original >= FIRST, "special tokens are never chosen");
                if (b.inputs()[at] == MASK) masks++;
                else if (b.inputs()[at] == original) kept++;
            }
            assertEquals(6, rowPredicted);
            predicted += rowPredicted;
        }
        assertEquals(predicted, b.predicted());
        assertEquals(0.8, masks / (double) predicted, 0.08);
        assertTrue(kept > 0 && kept < 0.2 * predicted, "about 10% kept (plus random hits): " + kept);
    }

    @Test
    void deterministicFromSeedAndStepAndEveryBlockOncePerEpoch() {
        MaskedLmPacker p = new MaskedLmPacker(stream(4_000), S, 0.15, MASK, FIRST, V);
        MaskedLmPacker.Batch a = p.batch(9, 4, 10), b = p.batch(9, 4, 10);
        assertArrayEquals(a.inputs(), b.inputs());
        assertArrayEquals(a.targets(), b.targets());
        assertNotEquals(java.util.Arrays.toString(a.targets()), java.util.Arrays.toString(p.batch(9, 5, 10).targets()));
        Set<Integer> used = new HashSet<>();
        for (int step = 0; step < 10; step++) {           // 100 blocks, batch 10: one epoch
            for (int block : p.batch(1, step, 10).blocks()) used.add(block);
        }
        assertEquals(100, used.size(), "every block exactly once in the first epoch");
    }

    @Test
    void badArgumentsAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new MaskedLmPacker(stream(100), S, 1.5, MASK, FIRST, V));
        assertTrue(e.getMessage().contains("maskProbability=1.5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new MaskedLmPacker(stream(10), S, 0.15, MASK, FIRST, V));
        assertTrue(e.getMessage().contains("10 tokens"), e.getMessage());
    }

    private static int[] indexStream(int n) {
        int[] index = new int[n + 1];
        for (int i = 0; i <= n; i++) index[i] = i;
        return index;
    }
}
