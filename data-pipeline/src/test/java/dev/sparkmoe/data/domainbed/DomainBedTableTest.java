package dev.sparkmoe.data.domainbed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Expected numbers were printed by numpy 2 with DomainBed's {@code format_mean}. */
class DomainBedTableTest {
    private static final List<String> PACS = List.of("A", "C", "P", "S");

    private static DomainBedTable table() {
        return DomainBedTable.builder("PACS", PACS)
                .add("top-2", 0, 0.8).add("top-2", 0, 0.85).add("top-2", 0, 0.9)
                .add("top-2", 1, 0.7)
                .add("top-2", 2, 0.6).add("top-2", 2, 0.65)
                .add("top-2", 3, 0.7)
                .add("DynMoE", 0, 0.5).add("DynMoE", 2, 0.25)
                .build();
    }

    @Test
    void cellsMatchFormatMeanBitForBit() {
        DomainBedTable t = table();
        DomainBedTable.Cell three = t.cell("top-2", 0).orElseThrow();
        assertEquals(85.0, three.meanPercent(), 0);
        assertEquals(2.3570226039551594, three.stdErrorPercent(), 0); // ddof=0 std of acc/sqrt(3)
        assertEquals("85.0 +/- 2.4", three.text());
        assertEquals(1.7677669529663709, t.cell("top-2", 2).orElseThrow().stdErrorPercent(), 0);
        assertEquals("70.0 +/- 0.0", t.cell("top-2", 1).orElseThrow().text()); // one trial
        assertEquals(List.of(0.8, 0.85, 0.9), three.accuracies());
    }

    @Test
    void sixTrialsMatchNumpy() {
        DomainBedTable.Cell c = DomainBedTable.cell(List.of(0.8125, 0.8126, 0.9, 0.1, 0.33333, 0.5));
        assertEquals(57.6405, c.meanPercent(), 1e-12);
        assertEquals(11.88051105744661, c.stdErrorPercent(), 1e-12);
        assertEquals("57.6 +/- 11.9", c.text());
    }

    @Test
    void rowsHeaderAndAverage() {
        DomainBedTable t = table();
        assertEquals(List.of("Algorithm", "A", "C", "P", "S", "Avg"), t.header());
        assertEquals(List.of("top-2", "DynMoE"), t.algorithms());
        // Avg = mean of per-domain means (85, 70, 62.5, 70) = 71.875 -> 71.9, no error term
        assertEquals(71.875, t.averagePercent("top-2").getAsDouble(), 0);
        assertEquals(List.of(
                List.of("top-2", "85.0 +/- 2.4", "70.0 +/- 0.0", "62.5 +/- 1.8", "70.0 +/- 0.0", "71.9"),
                List.of("DynMoE", "50.0 +/- 0.0", "X", "25.0 +/- 0.0", "X", "X")), t.rows());
        assertFalse(t.averagePercent("DynMoE").isPresent());
        assertTrue(t.cell("DynMoE", 1).isEmpty());
        assertTrue(t.cell("nobody", 0).isEmpty());
    }

    @Test
    void markdownLayout() {
        String md = table().toMarkdown();
        assertEquals("""
                | Algorithm | A | C | P | S | Avg |
                | --- | ---: | ---: | ---: | ---: | ---: |
                | top-2 | 85.0 +/- 2.4 | 70.0 +/- 0.0 | 62.5 +/- 1.8 | 70.0 +/- 0.0 | 71.9 |
                | DynMoE | 50.0 +/- 0.0 | X | 25.0 +/- 0.0 | X | X |
                """, md);
        String escaped = DomainBedTable.builder("D", List.of("a|b")).add("x|y", 0, 1).build().toMarkdown();
        assertTrue(escaped.contains("| a\\|b |") && escaped.contains("| x\\|y | 100.0 +/- 0.0 | 100.0 |"), escaped);
    }

    @Test
    void formatsLikePythonNotLikeJava() {
        // Python: format(x, '.1f') for these gives 0.2 0.3 12.2 0.1 -0.0 100.0 0.1
        double[] xs = {0.25, 0.35, 12.25, 0.05, -0.04, 99.95, 0.15};
        String[] python = {"0.2", "0.3", "12.2", "0.1", "-0.0", "100.0", "0.1"};
        for (int i = 0; i < xs.length; i++) {
            assertEquals(python[i], DomainBedTable.formatOneDecimal(xs[i]), "x=" + xs[i]);
        }
        assertEquals("0.0", DomainBedTable.formatOneDecimal(0.0));
    }

    @Test
    void emptyTableHasOnlyAHeader() {
        DomainBedTable t = DomainBedTable.builder("VLCS", List.of("C", "L", "S", "V")).build();
        assertEquals(List.of(), t.rows());
        assertEquals(2, t.toMarkdown().split("\n").length);
    }

    @Test
    void badInputNamesTheValue() {
        DomainBedTable.Builder b = DomainBedTable.builder("PACS", PACS);
        assertMessage("PACS: test domain 4; expected 0..3 (A, C, P, S)", () -> b.add("top-2", 4, 0.5));
        assertMessage("PACS/top-2/C: accuracy 85.0; expected a fraction in [0, 1]", () -> b.add("top-2", 1, 85.0));
        assertMessage("accuracy NaN", () -> b.add("top-2", 1, Double.NaN));
        assertMessage("algorithm ''", () -> b.add("", 1, 0.5));
        assertMessage("expected at least one domain name", () -> DomainBedTable.builder("PACS", List.of()));
    }

    private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(expected), () -> "'" + e.getMessage() + "' lacks '" + expected + "'");
    }
}
