package dev.sparkmoe.data.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparkmoe.data.lm.SequencePacker;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BlockSamplerTest {

    @Test
    void layoutIsEvenContiguousAndInvertible() {
        for (long n : new long[] {0, 1, 5, 7, 100, 101, 1_000_003}) {
            for (int parts : new int[] {1, 2, 3, 7, 16}) {
                EvenLayout l = new EvenLayout(n, parts);
                assertEquals(0, l.first(0));
                assertEquals(n, l.first(parts));
                int min = Integer.MAX_VALUE;
                int max = 0;
                for (int p = 0; p < parts; p++) {
                    min = Math.min(min, l.size(p));
                    max = Math.max(max, l.size(p));
                    if (l.size(p) > 0) {
                        assertEquals(p, l.partitionOf(l.first(p)), n + "/" + parts);
                        assertEquals(p, l.partitionOf(l.first(p + 1) - 1), n + "/" + parts);
                    }
                }
                assertTrue(max - min <= 1, n + "/" + parts + ": sizes " + min + ".." + max);
            }
        }
        assertThrows(IndexOutOfBoundsException.class, () -> new EvenLayout(5, 2).partitionOf(5));
        assertThrows(IllegalArgumentException.class, () -> new EvenLayout(5, 0));
    }

    @Test
    void batchesEqualTheSequencePackersForAnyPartitionCount() {
        int[] ids = new SplittableRandom(3).ints(1000, 0, 50).toArray();
        SequencePacker packer = new SequencePacker(ids, 16);
        for (int parts : new int[] {1, 3, 8}) {
            BlockSampler s = new BlockSampler(new EvenLayout(packer.blockCount(), parts));
            for (long step : new long[] {7, 0, 3, 50, 2}) { // out of order on purpose
                int[] blocks = s.batchBlocks(42, step, 5);
                assertArrayEquals(packer.batchBlocks(42, step, 5), blocks, "P=" + parts + " step " + step);
                int[] seen = new int[5];
                for (int p = 0; p < parts; p++) {
                    for (int b : s.rowsOf(blocks, p)) {
                        seen[b]++;
                        assertEquals(p, s.layout().partitionOf(blocks[b]));
                    }
                }
                assertArrayEquals(new int[] {1, 1, 1, 1, 1}, seen, "each row in exactly one partition");
            }
        }
    }

    @Test
    void everyBlockOncePerEpoch() {
        int n = 60;
        BlockSampler s = new BlockSampler(new EvenLayout(n, 4));
        for (int epoch = 0; epoch < 2; epoch++) {
            int[] count = new int[n];
            for (int step = epoch * 6; step < epoch * 6 + 6; step++) { // B = 10: six steps per epoch
                for (int k : s.batchBlocks(9, step, 10)) {
                    count[k]++;
                }
            }
            int[] ones = new int[n];
            Arrays.fill(ones, 1);
            assertArrayEquals(ones, count, "epoch " + epoch);
        }
    }
}
