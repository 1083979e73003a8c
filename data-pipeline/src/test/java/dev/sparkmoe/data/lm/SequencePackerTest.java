package dev.sparkmoe.data.lm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparkmoe.data.DataSeeds;
import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SequencePackerTest {
    private static int[] iota(int n) {
        return IntStream.range(0, n).toArray();
    }

    @Test
    void evaluationBatchesAreConsecutiveBlocksThatWrap() {
        SequencePacker p = new SequencePacker(iota(101), 10);           // 10 blocks
        assertArrayEquals(new int[]{0, 1, 2, 3}, p.evalBlocks(0, 4));
        assertArrayEquals(new int[]{4, 5, 6, 7}, p.evalBlocks(1, 4));
        assertArrayEquals(new int[]{1, 2, 3, 4}, p.evalBlocks(2, 4), "(2·4) mod (10 − 4 + 1) = 1");
        assertArrayEquals(IntStream.range(0, 10).toArray(), p.evalBlocks(5, 32), "at most every block");
        assertThrows(IllegalArgumentException.class, () -> p.evalBlocks(-1, 4));
    }

    @Test
    void blocksShapesTargetsAndDroppedTail() {
        SequencePacker p = new SequencePacker(iota(1000), 10);
        assertEquals(99, p.blockCount()); // floor(999 / 10)
        assertEquals(9, p.droppedTail()); // 999 - 990
        for (int k : new int[] {0, 1, 98}) {
            int[] b = p.block(k);
            assertEquals(11, b.length);
            for (int i = 0; i < 10; i++) {
                assertEquals(b[i] + 1, b[i + 1], "target is the next input");
            }
            assertEquals(k * 10, b[0]);
        }
        assertEquals(p.block(1)[0], p.block(0)[10]); // consecutive blocks share one id
        assertEquals(0, new SequencePacker(iota(21), 10).droppedTail());
        int[][] eval = p.blocks(3, 2);
        assertArrayEquals(p.block(4), eval[1]);
    }

    @Test
    void batchIsAFunctionOfSeedAndStep() {
        SequencePacker p = new SequencePacker(iota(5000), 16);
        int[][] a = p.batch(7, 3, 8);
        assertEquals(8, a.length);
        assertEquals(17, a[0].length);
        p.batch(7, 100, 8); // other calls in between must not matter
        p.batch(8, 3, 8);
        assertTrue(Arrays.deepEquals(a, new SequencePacker(iota(5000), 16).batch(7, 3, 8)));
        assertFalse(Arrays.deepEquals(a, p.batch(7, 4, 8)));
        assertFalse(Arrays.deepEquals(a, p.batch(8, 3, 8)));
        for (int[] row : a) {
            assertEquals(0, row[0] % 16, "rows are aligned blocks");
        }
    }

    @Test
    void everyBlockOncePerEpoch() {
        SequencePacker p = new SequencePacker(iota(1001), 10); // 100 blocks
        int[] seen = new int[p.blockCount()];
        for (int step = 0; step < 10; step++) {
            for (int k : p.batchBlocks(1, step, 10)) {
                seen[k]++;
            }
        }
        assertTrue(Arrays.stream(seen).allMatch(c -> c == 1), Arrays.toString(seen));
        assertFalse(Arrays.equals(p.batchBlocks(1, 0, 100), p.batchBlocks(1, 1, 100)), "epochs reshuffle");
        assertEquals(250, p.batchBlocks(1, 0, 250).length); // a batch larger than an epoch
    }

    @Test
    void randomOffsetBatchIsContiguousAndDeterministic() {
        SequencePacker p = new SequencePacker(iota(300), 20);
        int[][] a = p.randomOffsetBatch(5, 2, 6);
        assertTrue(Arrays.deepEquals(a, p.randomOffsetBatch(5, 2, 6)));
        for (int[] row : a) {
            assertEquals(21, row.length);
            for (int i = 0; i < 20; i++) {
                assertEquals(row[i] + 1, row[i + 1]);
            }
        }
    }

    @Test
    void badArgumentsAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SequencePacker(iota(10), 10));
        assertTrue(e.getMessage().contains("10 ids") && e.getMessage().contains("11"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new SequencePacker(iota(10), 0));
        SequencePacker p = new SequencePacker(iota(100), 10);
        assertThrows(IllegalArgumentException.class, () -> p.batch(1, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> p.batch(1, -1, 2));
        assertThrows(IndexOutOfBoundsException.class, () -> p.block(9));
        assertThrows(IndexOutOfBoundsException.class, () -> p.blocks(5, 5));
    }

    @Test
    void seedsAreDeterministicAndPathSensitive() {
        assertEquals(DataSeeds.derive(1, 2, 3), DataSeeds.derive(1, 2, 3));
        assertTrue(DataSeeds.derive(1, 2, 3) != DataSeeds.derive(1, 3, 2));
        assertTrue(DataSeeds.derive(1) != DataSeeds.derive(2));
    }
}
