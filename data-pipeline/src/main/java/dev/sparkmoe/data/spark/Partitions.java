package dev.sparkmoe.data.spark;

import java.util.Iterator;

/** Executor-side helpers for partitions that hold exactly one block record. */
final class Partitions {
    private Partitions() {}

    /**
     * The one record of partition {@code p}. Reading past it ends the iterator, which releases
     * the cached block's read lock at once (otherwise Spark logs "block locks were not released").
     */
    static <T> T only(Iterator<T> it, int p) {
        T record = it.next();
        if (it.hasNext()) {
            throw new IllegalStateException("partition " + p + " holds more than one " + record.getClass().getSimpleName()
                    + " record; expected one");
        }
        return record;
    }
}
