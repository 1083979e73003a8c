package dev.sparkmoe.data;

import java.io.Serializable;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a reader skipped: a count per reason plus the first place each reason happened.
 * Immutable and serialisable; {@link #merge} combines reports of several files or partitions
 * (counts add, the first place of the left-hand report wins).
 */
public final class SkipReport implements Serializable {
    private static final long serialVersionUID = 1L;

    /** A report with nothing skipped. */
    public static final SkipReport EMPTY = new SkipReport(Map.of(), Map.of());

    private final Map<String, Long> counts;
    private final Map<String, String> firstPlaces;

    /**
     * @param counts      skipped records per reason
     * @param firstPlaces per reason, {@code "file:line: detail"} of its first occurrence
     */
    public SkipReport(Map<String, Long> counts, Map<String, String> firstPlaces) {
        this.counts = Collections.unmodifiableMap(new TreeMap<>(counts));
        this.firstPlaces = Collections.unmodifiableMap(new TreeMap<>(firstPlaces));
    }

    /** Skipped records per reason, reasons in alphabetical order. */
    public Map<String, Long> counts() {
        return counts;
    }

    /** Skipped records of one reason (0 if none). */
    public long count(String reason) {
        return counts.getOrDefault(reason, 0L);
    }

    /** {@code "file:line: detail"} of the first record skipped for {@code reason}, or null. */
    public String firstPlace(String reason) {
        return firstPlaces.get(reason);
    }

    /** All skipped records. */
    public long total() {
        long t = 0;
        for (long c : counts.values()) {
            t += c;
        }
        return t;
    }

    /** This report plus {@code other}: counts add; for a reason in both, this report's first place wins. */
    public SkipReport merge(SkipReport other) {
        Map<String, Long> c = new TreeMap<>(counts);
        other.counts.forEach((r, n) -> c.merge(r, n, Long::sum));
        Map<String, String> f = new TreeMap<>(other.firstPlaces);
        f.putAll(firstPlaces);
        return new SkipReport(c, f);
    }

    /** {@code file:line}, or just {@code file} when the line is unknown (0). */
    static String place(String file, long line) {
        return line > 0 ? file + ":" + line : file;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SkipReport r && counts.equals(r.counts) && firstPlaces.equals(r.firstPlaces);
    }

    @Override
    public int hashCode() {
        return counts.hashCode() * 31 + firstPlaces.hashCode();
    }

    /** E.g. {@code "2 skipped (non-utf8=2, first at wiki.train.tokens:7: ...)"} or {@code "0 skipped"}. */
    @Override
    public String toString() {
        if (counts.isEmpty()) {
            return "0 skipped";
        }
        StringBuilder sb = new StringBuilder().append(total()).append(" skipped (");
        String sep = "";
        for (Map.Entry<String, Long> e : counts.entrySet()) {
            sb.append(sep).append(e.getKey()).append('=').append(e.getValue())
              .append(", first at ").append(firstPlaces.get(e.getKey()));
            sep = "; ";
        }
        return sb.append(')').toString();
    }
}
