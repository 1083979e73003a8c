package dev.sparkmoe.driver.run.domainbed;

import dev.sparkmoe.data.domainbed.DomainBedSources;
import dev.sparkmoe.data.domainbed.DomainImages;
import dev.sparkmoe.data.domainbed.LodoSplit;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.function.LongFunction;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The per-domain training draw: deterministic, balanced over the training domains, train splits only. */
class DomainBedExamplesTest {
    private static final int BATCH = 8;

    @Test
    void eachStepDrawsABatchFromEveryTrainingDomainsTrainSplitOnly() throws IOException {
        DomainImages images = DomainBedSources.load(DomainBedSources.Request.of("RotatedDigits", null), new Configuration());
        DomainBedExamples examples = DomainBedExamples.of(images, 17);
        assertEquals(Arrays.stream(images.domainSizes()).sum(), examples.set().size());
        LodoSplit split = LodoSplit.of(images.domainSizes(), 2, 0.2, 7);
        int[] train = split.trainDomains();
        LongFunction<int[]> chooser = examples.trainChooser(split, 11, BATCH);

        Set<Integer>[] allowed = new Set[train.length];
        Set<Integer> heldOut = new HashSet<>();
        for (int k = 0; k < train.length; k++) {
            allowed[k] = set(examples.global(train[k], split.train(train[k])));
            heldOut.addAll(set(examples.global(train[k], split.val(train[k]))));
        }
        heldOut.addAll(set(examples.global(2, split.test(2))));
        Set<Integer> seen = new HashSet<>();
        for (long step = 0; step < 200; step++) {
            int[] chosen = chooser.apply(step);
            assertEquals(train.length * BATCH, chosen.length, "a batch per training domain");
            for (int k = 0; k < train.length; k++) {
                for (int i = k * BATCH; i < (k + 1) * BATCH; i++) {
                    assertTrue(allowed[k].contains(chosen[i]), "step " + step + " row " + i + ": not in domain " + train[k] + "'s train split");
                    assertFalse(heldOut.contains(chosen[i]), "held-out or test example " + chosen[i] + " leaked into training");
                    seen.add(chosen[i]);
                }
            }
            assertArrayEquals(chosen, chooser.apply(step), "step " + step + " draws the same examples again");
            assertArrayEquals(chosen, examples.trainChooser(split, 11, BATCH).apply(step), "a new chooser, same seed");
        }
        assertFalse(Arrays.equals(chooser.apply(0), chooser.apply(1)), "steps differ");
        assertFalse(Arrays.equals(chooser.apply(0), examples.trainChooser(split, 12, BATCH).apply(0)), "seeds differ");
        int trainSize = Arrays.stream(allowed).mapToInt(Set::size).sum();
        assertTrue(seen.size() > 0.9 * trainSize, "200 steps reach most of the train splits: " + seen.size() + " of " + trainSize);
    }

    @Test
    void aDomainsDrawDoesNotDependOnTheOthers() {
        int[][] pools = {{0, 1, 2}, {10, 11, 12, 13}};
        int[][] other = {{0, 1, 2}, {20, 21}};
        int[] a = DomainBedExamples.perDomain(pools, new int[]{0, 1}, 5, 4).apply(3);
        int[] b = DomainBedExamples.perDomain(other, new int[]{0, 1}, 5, 4).apply(3);
        assertArrayEquals(Arrays.copyOf(a, 4), Arrays.copyOf(b, 4));
        assertThrows(IllegalArgumentException.class, () -> DomainBedExamples.perDomain(new int[][]{{}}, new int[]{3}, 5, 4));
    }

    private static Set<Integer> set(int[] xs) {
        Set<Integer> s = new HashSet<>();
        for (int x : xs) s.add(x);
        return s;
    }
}
