package dev.sparkmoe.driver.run.domainbed;

import dev.sparkmoe.driver.run.RunFiles;
import dev.sparkmoe.data.domainbed.DomainBedTable;
import dev.sparkmoe.data.domainbed.TrainingDomainSelection;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The outcome of a LODO sweep as files at the top of the run directory: {@code results.md}
 * (DomainBed's results table, {@link DomainBedTable}) and {@code results.json} (per tested domain
 * the selected step, its training-domain val accuracy and its test accuracy; the average), and a
 * short table on stdout. Driver side; blocks while writing.
 */
final class DomainBedResults {

    private DomainBedResults() {}

    /**
     * One tested domain.
     *
     * @param evaluations every evaluation of its training, in step order
     * @param selected    the one chosen by training-domain validation
     */
    record Tested(int testDomain, String domain, List<TrainingDomainSelection.Evaluation> evaluations,
                  TrainingDomainSelection.Selected selected) {}

    /** The JSON of one tested domain's evaluations and selection ({@code env<d>/selection.json}). */
    static Map<String, Object> selectionJson(Tested t) {
        List<Map<String, Object>> evals = new ArrayList<>();
        for (TrainingDomainSelection.Evaluation e : t.evaluations()) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("step", e.step());
            r.put("val_correct", e.valCorrect());
            r.put("val_total", e.valTotal());
            r.put("val_accuracy", e.valAccuracy());
            r.put("test_correct", e.testCorrect());
            r.put("test_total", e.testTotal());
            r.put("test_accuracy", e.testAccuracy());
            evals.add(r);
        }
        Map<String, Object> r = summary(t);
        r.put("evaluations", evals);
        return r;
    }

    private static Map<String, Object> summary(Tested t) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("test_domain", t.testDomain());
        r.put("domain", t.domain());
        r.put("selected_step", t.selected().step());
        r.put("val_accuracy", t.selected().valAccuracy());
        r.put("test_accuracy", t.selected().testAccuracy());
        return r;
    }

    /** Mean selected test accuracy over the tested domains, in [0, 1]. */
    static double average(List<Tested> tested) {
        return tested.stream().mapToDouble(t -> t.selected().testAccuracy()).average().orElse(Double.NaN);
    }

    /** Writes {@code results.md} and {@code results.json} into {@code runDir} and prints the summary. */
    static void write(String runDir, Configuration hadoop, String dataset, List<String> domains, String algorithm,
                      List<Tested> tested, PrintStream out) {
        DomainBedTable.Builder table = DomainBedTable.builder(dataset, domains);
        for (Tested t : tested) table.add(algorithm, t.testDomain(), t.selected().testAccuracy());
        String markdown = "# " + dataset + " (training-domain validation)\n\n" + table.build().toMarkdown();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("dataset", dataset);
        json.put("algorithm", algorithm);
        json.put("selection", "training-domain validation");
        json.put("domains", domains);
        json.put("results", tested.stream().map(DomainBedResults::summary).toList());
        json.put("average_test_accuracy", average(tested));
        writeText(runDir, hadoop, "results.md", markdown);
        writeText(runDir, hadoop, "results.json", json(json));
        printSummary(tested, out);
        out.println(markdown);
    }

    static String json(Object value) {
        return RunFiles.json(value) + "\n";
    }

    private static void printSummary(List<Tested> tested, PrintStream out) {
        out.printf(Locale.ROOT, "%-16s %6s %8s %8s%n", "test domain", "step", "val acc", "test acc");
        for (Tested t : tested) {
            out.printf(Locale.ROOT, "%-16s %6d %7.1f%% %7.1f%%%n", t.domain(), t.selected().step() + 1,
                    100 * t.selected().valAccuracy(), 100 * t.selected().testAccuracy());
        }
        out.printf(Locale.ROOT, "%-16s %6s %8s %7.1f%%%n", "average", "", "", 100 * average(tested));
    }

    static void writeText(String dir, Configuration hadoop, String name, String text) {
        RunFiles.writeText(new Path(dir, name), text, hadoop);
    }

}
