package dev.sparkmoe.data.glue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LanguageToolColaTest {
    private static final Configuration CONF = new Configuration();

    /** A tiny rule file in grammar.xml's structure (internal DTD entity, rulegroups, markers). */
    private static final String XML = """
            \uFEFF<?xml version="1.0" encoding="UTF-8"?>
            <!DOCTYPE rules [
                <!ENTITY apostrophe "['’]">
            ]>
            <rules lang="en">
            <category id="GRAMMAR" name="Grammar" type="grammar">
              <rulegroup id="A_AN" name="a/an">
                <rule>
                  <pattern><token regexp="yes">a&apostrophe;</token></pattern>
                  <example correction="an">This is <marker>a</marker> apple.</example>
                  <example>This is an
                     apple.</example>
                </rule>
                <rule>
                  <example type="triggers_error">Ignored sentence.</example>
                  <example correction="an">This is <marker>a</marker> apple.</example>
                </rule>
              </rulegroup>
              <rule id="HE_VERB_AGR" name="agreement">
                <example correction="goes">He <marker>go</marker> home.</example>
                <example>He goes home.</example>
                <example>Both labels.</example>
                <example correction="x">Both labels.</example>
              </rule>
            </category>
            <category id="TYPOS" name="Typos">
              <rule id="TYPO"><example correction="the">Teh end.</example></rule>
            </category>
            </rules>
            """;

    @TempDir
    java.nio.file.Path tmp;

    private static InputStream xml() {
        return new ByteArrayInputStream(XML.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void parsesGrammarExamplesStripsMarkersAndDedupes() throws IOException {
        LanguageToolCola.Parsed p = LanguageToolCola.parse(xml(), "test.xml", Set.of("GRAMMAR"));
        assertEquals(List.of(
                new LanguageToolCola.Judgement("A_AN", 0, "This is a apple."),
                new LanguageToolCola.Judgement("A_AN", 1, "This is an apple."),
                new LanguageToolCola.Judgement("HE_VERB_AGR", 0, "He go home."),
                new LanguageToolCola.Judgement("HE_VERB_AGR", 1, "He goes home.")), p.judgements());
        assertEquals(1, p.duplicates());
        assertEquals(1, p.conflicts());
        assertEquals(1, p.leftOut()); // triggers_error
        // all categories: the four above plus TYPOS' "Teh end."
        assertEquals(5, LanguageToolCola.parse(xml(), "test.xml", Set.of()).judgements().size());
    }

    @Test
    void writesColaLayoutsThatTheReaderReads() throws IOException {
        LanguageToolCola.Options all = new LanguageToolCola.Options(Set.of("GRAMMAR"), 7, 0, 0);
        Path out = new Path(tmp.resolve("CoLA").toUri());
        LanguageToolCola.Summary s = LanguageToolCola.convert(xml(), "test.xml", out, CONF, all);
        assertEquals(new LanguageToolCola.Summary(2, 2, 1, 1, 1, 4, 0, 0), s);
        assertEquals("A_AN\t0\t*\tThis is a apple.\nA_AN\t1\t\tThis is an apple.\n",
                Files.readString(tmp.resolve("CoLA/train.tsv")).substring(0, 52));
        assertEquals("index\tsentence\n", Files.readString(tmp.resolve("CoLA/test.tsv")));
        GlueData train = GlueTsvReader.read(new Path(tmp.toUri()), GlueTask.COLA, GlueSplit.TRAIN, CONF, true);
        assertEquals(4, train.size());
    }

    @Test
    void malformedXmlNamesSourceAndLine() {
        InputStream bad = new ByteArrayInputStream("<rules>\n<category id=\"GRAMMAR\">\n<rule id=\"X\"><example>x</rule>"
                .getBytes(StandardCharsets.UTF_8));
        IOException e = assertThrows(IOException.class, () -> LanguageToolCola.parse(bad, "bad.xml", Set.of()));
        assertTrue(e.getMessage().startsWith("bad.xml:3:"), e.getMessage());
    }

    @Test
    void embeddedTaskFromTheRealRulesSplitsByRule() throws IOException {
        GlueData train = EmbeddedGlue.read(GlueSplit.TRAIN, CONF);
        GlueData dev = EmbeddedGlue.read(GlueSplit.DEV, CONF);
        GlueData test = EmbeddedGlue.read(GlueSplit.TEST, CONF);
        assertEquals(0, train.skips().total() + dev.skips().total() + test.skips().total());
        int total = train.size() + dev.size() + test.size();
        // language-en 6.5, GRAMMAR category: 8,969 plain and 4,326 corrected examples before dedupe
        assertTrue(total > 10_000 && total < 13_300, "total " + total);
        assertTrue(dev.size() > total / 20 && dev.size() < total / 5, "dev " + dev.size());
        assertTrue(test.size() > total / 20 && test.size() < total / 5, "test " + test.size());
        long unacceptable = train.examples().stream().filter(e -> e.label() == 0).count();
        assertTrue(unacceptable > train.size() / 5 && unacceptable < train.size() / 2, "unacceptable " + unacceptable);

        GlueData labelledTest = EmbeddedGlue.readLabelledTest(CONF);
        assertEquals(test.size(), labelledTest.size());
        assertEquals(test.examples().get(0).textA(), labelledTest.examples().get(0).textA());
        assertTrue(labelledTest.examples().get(0).hasLabel());

        Map<String, Integer> ruleSplit = new HashMap<>();
        java.nio.file.Path colaDir = java.nio.file.Path.of(EmbeddedGlue.localPath().toUri()).resolve("CoLA");
        int split = 0;
        for (String f : new String[] {"train.tsv", "dev.tsv", "test_labelled.tsv"}) {
            for (String line : Files.readAllLines(colaDir.resolve(f))) {
                String rule = line.substring(0, line.indexOf('\t'));
                Integer before = ruleSplit.putIfAbsent(rule, split);
                assertTrue(before == null || before == split, "rule " + rule + " in two splits");
            }
            split++;
        }
    }
}
