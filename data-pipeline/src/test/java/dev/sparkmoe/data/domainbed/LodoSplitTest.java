package dev.sparkmoe.data.domainbed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class LodoSplitTest {
    private static final int[] SIZES = {300, 300, 300, 299, 299, 299};

    @Test
    void trainingDomainValidationPartitionsEveryDomain() {
        LodoSplit s = LodoSplit.of(SIZES, 2, 7);
        assertArrayEquals(new int[] {0, 1, 3, 4, 5}, s.trainDomains());
        for (int d = 0; d < SIZES.length; d++) {
            int[] all = IntStream.concat(IntStream.concat(Arrays.stream(s.train(d)), Arrays.stream(s.val(d))),
                    Arrays.stream(s.test(d))).sorted().toArray();
            assertArrayEquals(IntStream.range(0, SIZES[d]).toArray(), all, "domain " + d);
            if (d == 2) {
                assertEquals(0, s.train(d).length + s.val(d).length);
            } else {
                assertEquals((int) (SIZES[d] * 0.2), s.val(d).length);
                assertEquals(0, s.test(d).length);
            }
        }
        assertTrue(s.toString().contains("d2 0/0/300"), s.toString());
    }

    @Test
    void validationPartDependsOnlyOnSeedAndDomain() {
        List<LodoSplit> all = LodoSplit.all(SIZES, 0.2, 11);
        assertArrayEquals(all.get(0).val(3), all.get(5).val(3));
        assertArrayEquals(all.get(1).train(4), LodoSplit.of(SIZES, 1, 0.2, 11).train(4));
        assertTrue(!Arrays.equals(all.get(0).val(3), LodoSplit.of(SIZES, 0, 0.2, 12).val(3)));
        int[] v = all.get(0).val(1);
        int[] sorted = v.clone();
        Arrays.sort(sorted);
        assertArrayEquals(sorted, v);
    }

    @Test
    void badArgumentsAreNamed() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LodoSplit.of(SIZES, 6, 0)).getMessage()
                .contains("test domain 6; expected 0..5"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LodoSplit.of(SIZES, 0, 1.0, 0)).getMessage()
                .contains("holdout fraction 1.0"));
        assertThrows(IllegalArgumentException.class, () -> LodoSplit.of(new int[] {5}, 0, 0));
    }
}
