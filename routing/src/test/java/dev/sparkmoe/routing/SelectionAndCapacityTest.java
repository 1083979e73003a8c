package dev.sparkmoe.routing;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class SelectionAndCapacityTest {

    @Test
    void largestKPerTokenAscendingSlotsTiesToLowerSlot() {
        double[] p = {
                0.1, 0.4, 0.2, 0.3,
                0.25, 0.25, 0.25, 0.25,
                0.1, 0.3, 0.3, 0.3,
                0.7, 0.1, 0.1, 0.1,
        };
        LargestK.Chosen c = LargestK.select(p, 4, 4, new int[]{2, 3, 1, 0});
        assertArrayEquals(new int[]{0, 2, 5, 6, 6}, c.offsets());
        assertArrayEquals(new int[]{1, 3, 0, 1, 2, 1}, c.slots());
        LargestK.Chosen all = LargestK.select(p, 4, 4, new int[]{4, 4, 4, 4});
        assertArrayEquals(new int[]{0, 1, 2, 3}, java.util.Arrays.copyOfRange(all.slots(), 0, 4));
        assertEquals(16, all.total());
    }

    @Test
    void capacityLimit() {
        assertEquals(Integer.MAX_VALUE, Capacity.limit(0, 100, 4));
        assertEquals(Integer.MAX_VALUE, Capacity.limit(-1, 100, 4));
        assertEquals(25, Capacity.limit(1.0, 100, 4));
        assertEquals(32, Capacity.limit(1.25, 100, 4));     // 31.25 → 32
        assertEquals(11, Capacity.limit(1.1, 100, 10));     // 11.000000000000002 is 11
        assertEquals(0, Capacity.limit(1.0, 0, 4));
        assertEquals(1, Capacity.limit(0.01, 3, 4));
    }

    @Test
    void capacityDropsLowestProbabilityPerExpertKeepingLowerTokensOnTies() {
        // 5 tokens, 2 experts, k = 1; all choose expert 0 except token 4
        double[] p = {
                0.6, 0.4,
                0.9, 0.1,
                0.6, 0.4,
                0.8, 0.2,
                0.3, 0.7,
        };
        int[] offsets = {0, 1, 2, 3, 4, 5};
        int[] slots = {0, 0, 0, 0, 1};
        boolean[] keep = new boolean[5];
        long dropped = Capacity.apply(offsets, slots, p, 2, 3, keep);
        // expert 0 has 4 candidates for 3 places: 0.9 (t1), 0.8 (t3), then 0.6 tie (t0, t2) → t0 kept
        assertEquals(1, dropped);
        assertArrayEquals(new boolean[]{true, true, false, true, true}, keep);
        assertEquals(2, Capacity.apply(offsets, slots, p, 2, 2, keep));
        assertArrayEquals(new boolean[]{false, true, false, true, true}, keep);
        assertEquals(5, Capacity.apply(offsets, slots, p, 2, 0, keep));
        assertArrayEquals(new boolean[5], keep);
        assertEquals(0, Capacity.apply(offsets, slots, p, 2, Integer.MAX_VALUE, keep));
        assertArrayEquals(new boolean[]{true, true, true, true, true}, keep);
    }
}
