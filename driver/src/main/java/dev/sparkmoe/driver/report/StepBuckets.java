package dev.sparkmoe.driver.report;

import java.util.ArrayList;
import java.util.List;

/**
 * Consecutive runs of step records of about equal length, at most {@code max} of them, so that
 * charts with one column per x value (heat maps, stacked bars) stay readable for long runs.
 * The last bucket may be shorter.
 */
final class StepBuckets {
    private StepBuckets() {}

    /** {@code steps} cut into at most {@code max} consecutive buckets, in order. */
    static List<List<StepRecord>> of(List<StepRecord> steps, int max) {
        int size = Math.max(1, (steps.size() + max - 1) / max);
        List<List<StepRecord>> out = new ArrayList<>();
        for (int i = 0; i < steps.size(); i += size) out.add(steps.subList(i, Math.min(steps.size(), i + size)));
        return out;
    }

    /** The label of a bucket: its first step, counted from 1. */
    static String label(List<StepRecord> bucket) {
        return Long.toString(bucket.get(0).step() + 1);
    }
}
