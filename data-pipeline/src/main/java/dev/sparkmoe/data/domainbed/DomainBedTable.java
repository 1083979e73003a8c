package dev.sparkmoe.data.domainbed;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * One dataset's results in DomainBed's table layout ({@code domainbed/scripts/collect_results.py},
 * {@code print_results_tables}): a row per algorithm (here a router, e.g. {@code top-2},
 * {@code DynMoE}), a column per test domain in the dataset's domain order, then {@code Avg}.
 *
 * <ul>
 *   <li>A cell is DomainBed's {@code format_mean} over the trials' (seeds') test accuracies:
 *       {@code "{:.1f} +/- {:.1f}"} of {@code 100·mean} and {@code 100·std(acc/√n)}, numpy's
 *       population std ({@code ddof=0}), so one trial shows {@code +/- 0.0}. No trial: {@code X}.</li>
 *   <li>{@code Avg} is {@code "{:.1f}"} of the mean of the row's per-domain means (in percent,
 *       unrounded), without an error; {@code X} if any domain has no trial.</li>
 *   <li>Numbers print as Python's {@code format} does: the double's exact binary value rounded
 *       half-even to one decimal ({@link #formatOneDecimal}); Java's {@code %.1f} rounds the
 *       shortest decimal form half-up instead, which differs on values such as 0.25.</li>
 *   <li>Sums run left to right. numpy sums fewer than 8 values the same way; from 8 trials on it
 *       sums pairwise, so the last bits (and, on an exact .x5 boundary, a printed digit) may differ.
 *       Commons Math would not match numpy's order either, so plain arithmetic is used.</li>
 *   <li>Rows come in the order algorithms were first added (DomainBed orders its own algorithms
 *       by its registry, which routers are not in).</li>
 * </ul>
 * Immutable once built; built on the driver from collected results; nothing blocks.
 */
public final class DomainBedTable {
    /** The text of a cell without trials, as DomainBed prints it. */
    public static final String MISSING = "X";
    /** The heading of the first column. */
    public static final String ALGORITHM = "Algorithm";
    /** The heading of the last column. */
    public static final String AVG = "Avg";

    /**
     * The trials of one (algorithm, test domain) cell.
     *
     * @param accuracies      the trials' test accuracies in {@code [0, 1]}, in the order added
     * @param meanPercent     {@code 100·mean(accuracies)}
     * @param stdErrorPercent {@code 100·std(accuracies/√n)}, population std
     */
    public record Cell(List<Double> accuracies, double meanPercent, double stdErrorPercent) {
        public Cell {
            accuracies = List.copyOf(accuracies);
        }

        /** DomainBed's text, e.g. {@code 81.3 +/- 0.4}. */
        public String text() {
            return formatOneDecimal(meanPercent) + " +/- " + formatOneDecimal(stdErrorPercent);
        }
    }

    private final String dataset;
    private final List<String> domains;
    private final Map<String, Cell[]> rows;

    private DomainBedTable(String dataset, List<String> domains, Map<String, Cell[]> rows) {
        this.dataset = dataset;
        this.domains = domains;
        this.rows = rows;
    }

    /**
     * Starts a table.
     *
     * @param domains the dataset's domain names in its domain order (e.g. {@code DomainImages.domains()})
     */
    public static Builder builder(String dataset, List<String> domains) {
        return new Builder(dataset, domains);
    }

    /** Collects trial accuracies; not thread-safe. */
    public static final class Builder {
        private final String dataset;
        private final List<String> domains;
        private final Map<String, List<List<Double>>> trials = new LinkedHashMap<>();

        private Builder(String dataset, List<String> domains) {
            if (dataset == null || dataset.isBlank()) throw new IllegalArgumentException("dataset name '" + dataset + "'; expected a name");
            if (domains == null || domains.isEmpty()) {
                throw new IllegalArgumentException(dataset + ": domains " + domains + "; expected at least one domain name");
            }
            this.dataset = dataset;
            this.domains = List.copyOf(domains);
        }

        /**
         * Adds one trial: {@code algorithm}'s test accuracy with {@code testDomain} left out.
         *
         * @throws IllegalArgumentException naming the dataset and value for a domain index out of
         *         range or an accuracy outside {@code [0, 1]} (e.g. a percentage)
         */
        public Builder add(String algorithm, int testDomain, double accuracy) {
            if (algorithm == null || algorithm.isBlank()) {
                throw new IllegalArgumentException(dataset + ": algorithm '" + algorithm + "'; expected a name");
            }
            if (testDomain < 0 || testDomain >= domains.size()) {
                throw new IllegalArgumentException(dataset + ": test domain " + testDomain + "; expected 0.."
                        + (domains.size() - 1) + " (" + String.join(", ", domains) + ")");
            }
            if (!(accuracy >= 0 && accuracy <= 1)) {
                throw new IllegalArgumentException(dataset + "/" + algorithm + "/" + domains.get(testDomain) + ": accuracy "
                        + accuracy + "; expected a fraction in [0, 1]");
            }
            trials.computeIfAbsent(algorithm, a -> {
                List<List<Double>> perDomain = new ArrayList<>();
                domains.forEach(d -> perDomain.add(new ArrayList<>()));
                return perDomain;
            }).get(testDomain).add(accuracy);
            return this;
        }

        /** The table of everything added so far. */
        public DomainBedTable build() {
            Map<String, Cell[]> rows = new LinkedHashMap<>();
            trials.forEach((algorithm, perDomain) -> {
                Cell[] cells = new Cell[domains.size()];
                for (int d = 0; d < cells.length; d++) {
                    cells[d] = perDomain.get(d).isEmpty() ? null : cell(perDomain.get(d));
                }
                rows.put(algorithm, cells);
            });
            return new DomainBedTable(dataset, domains, rows);
        }
    }

    /** {@code format_mean}'s numbers, in numpy's order of operations. */
    static Cell cell(List<Double> accuracies) {
        int n = accuracies.size();
        double mean = 100 * mean(accuracies.stream().mapToDouble(Double::doubleValue).toArray());
        double[] scaled = accuracies.stream().mapToDouble(a -> a / Math.sqrt(n)).toArray();
        double m = mean(scaled);
        double[] squares = new double[n];
        for (int i = 0; i < n; i++) {
            squares[i] = (scaled[i] - m) * (scaled[i] - m);
        }
        return new Cell(accuracies, mean, 100 * Math.sqrt(mean(squares)));
    }

    private static double mean(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return sum / values.length;
    }

    /** The dataset name. */
    public String dataset() {
        return dataset;
    }

    /** The test-domain column names, in the dataset's domain order. */
    public List<String> domains() {
        return domains;
    }

    /** The row names, in the order first added. */
    public List<String> algorithms() {
        return List.copyOf(rows.keySet());
    }

    /** The trials of one cell; empty when {@code algorithm} has none for {@code testDomain}. */
    public Optional<Cell> cell(String algorithm, int testDomain) {
        Cell[] row = rows.get(algorithm);
        return row == null ? Optional.empty() : Optional.ofNullable(row[testDomain]);
    }

    /** {@code Avg} as a number: the mean of the row's per-domain means in percent; empty if any is missing. */
    public OptionalDouble averagePercent(String algorithm) {
        Cell[] row = rows.get(algorithm);
        if (row == null) return OptionalDouble.empty();
        double sum = 0; // Python's sum(means) / len(means)
        for (Cell c : row) {
            if (c == null) return OptionalDouble.empty();
            sum += c.meanPercent();
        }
        return OptionalDouble.of(sum / row.length);
    }

    /** The header row: {@value #ALGORITHM}, the domain names, {@value #AVG}. */
    public List<String> header() {
        List<String> h = new ArrayList<>();
        h.add(ALGORITHM);
        h.addAll(domains);
        h.add(AVG);
        return List.copyOf(h);
    }

    /** The body as text, one list per algorithm: its name, a cell per domain, the average. */
    public List<List<String>> rows() {
        List<List<String>> out = new ArrayList<>();
        for (String algorithm : rows.keySet()) {
            List<String> r = new ArrayList<>();
            r.add(algorithm);
            for (int d = 0; d < domains.size(); d++) {
                r.add(cell(algorithm, d).map(Cell::text).orElse(MISSING));
            }
            OptionalDouble avg = averagePercent(algorithm);
            r.add(avg.isPresent() ? formatOneDecimal(avg.getAsDouble()) : MISSING);
            out.add(List.copyOf(r));
        }
        return List.copyOf(out);
    }

    /** A GitHub-flavoured Markdown table: header, separator, one line per algorithm; '|' in names escaped. */
    public String toMarkdown() {
        StringBuilder sb = new StringBuilder();
        appendLine(sb, header());
        sb.append('|');
        for (int c = 0; c < header().size(); c++) {
            sb.append(c == 0 ? " --- |" : " ---: |"); // numbers right-aligned
        }
        sb.append('\n');
        rows().forEach(r -> appendLine(sb, r));
        return sb.toString();
    }

    private static void appendLine(StringBuilder sb, List<String> cells) {
        sb.append('|');
        cells.forEach(c -> sb.append(' ').append(c.replace("|", "\\|")).append(" |"));
        sb.append('\n');
    }

    /**
     * Python's {@code format(x, '.1f')}: the exact binary value rounded half-even to one decimal,
     * keeping the sign of negative values that round to zero ({@code -0.0}).
     */
    public static String formatOneDecimal(double x) {
        if (!Double.isFinite(x)) return Double.isNaN(x) ? "nan" : x > 0 ? "inf" : "-inf";
        String digits = new BigDecimal(Math.abs(x)).setScale(1, RoundingMode.HALF_EVEN).toPlainString();
        return (x < 0 || Double.doubleToRawLongBits(x) == Long.MIN_VALUE ? "-" : "") + digits;
    }

    @Override
    public String toString() {
        return dataset + " " + toMarkdown();
    }
}
