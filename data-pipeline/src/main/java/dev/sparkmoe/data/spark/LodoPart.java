package dev.sparkmoe.data.spark;

import dev.sparkmoe.data.domainbed.LodoSplit;

/**
 * Which rows of a {@link LodoSplit} to load: the training domains' train indices, their held-out
 * (model-selection) indices, or the test domain. Pure, both sides.
 */
public enum LodoPart {
    /** {@link LodoSplit#train} of every domain (empty for the test domain). */
    TRAIN,
    /** {@link LodoSplit#val} of every domain (empty for the test domain). */
    VAL,
    /** {@link LodoSplit#test} of every domain (all of the test domain, empty elsewhere). */
    TEST;

    /** The sorted example indices of domain {@code d} in this part of {@code split} (a copy). */
    public int[] indices(LodoSplit split, int d) {
        return switch (this) {
            case TRAIN -> split.train(d);
            case VAL -> split.val(d);
            case TEST -> split.test(d);
        };
    }

    /** Examples in this part of {@code split}, over all domains. */
    public long size(LodoSplit split) {
        long n = 0;
        for (int d = 0; d < split.numDomains(); d++) {
            n += indices(split, d).length;
        }
        return n;
    }
}
