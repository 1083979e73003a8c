package dev.sparkmoe.data;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Counts the records a reader skipped, by reason, keeping the first place (file, line and
 * detail) of each reason so that a report can point at an example (DESIGN.md invariant 4:
 * nothing silently lost).
 *
 * <p>In strict mode the first {@link #skip} throws a {@link BadRecordException} instead of
 * counting. A counter is used by one thread; merge the {@link #report() reports} of several
 * readers (or partitions) with {@link SkipReport#merge}.
 */
public final class SkipCounter {
    private final boolean strict;
    private final Map<String, long[]> counts = new LinkedHashMap<>();
    private final Map<String, String> firstPlaces = new LinkedHashMap<>();

    /** @param strict whether the first skip fails the read */
    public SkipCounter(boolean strict) {
        this.strict = strict;
    }

    /** Whether the first skip throws. */
    public boolean strict() {
        return strict;
    }

    /**
     * Records one skipped record.
     *
     * @param reason a short stable key, e.g. {@code non-utf8}
     * @param file   the file the record came from
     * @param line   its 1-based line (or record) number, 0 if unknown
     * @param detail the offending value and what was expected
     * @throws BadRecordException in strict mode, always
     */
    public void skip(String reason, String file, long line, String detail) throws BadRecordException {
        if (strict) {
            throw new BadRecordException(file, line, reason, detail);
        }
        long[] c = counts.computeIfAbsent(reason, r -> new long[1]);
        if (c[0]++ == 0) {
            firstPlaces.put(reason, SkipReport.place(file, line) + ": " + detail);
        }
    }

    /** Total skipped records so far. */
    public long total() {
        long t = 0;
        for (long[] c : counts.values()) {
            t += c[0];
        }
        return t;
    }

    /** An immutable snapshot of the counts so far. */
    public SkipReport report() {
        Map<String, Long> snapshot = new LinkedHashMap<>();
        counts.forEach((r, c) -> snapshot.put(r, c[0]));
        return new SkipReport(snapshot, firstPlaces);
    }
}
