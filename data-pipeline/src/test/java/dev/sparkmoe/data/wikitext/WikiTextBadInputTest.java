package dev.sparkmoe.data.wikitext;

import static dev.sparkmoe.data.wikitext.WikiTextSplit.TRAIN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparkmoe.data.BadRecordException;
import dev.sparkmoe.data.SkipReport;
import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WikiTextBadInputTest {
    private static final Configuration CONF = new Configuration();

    @TempDir
    java.nio.file.Path tmp;

    @Test
    void missingFolderNamesThePath() {
        Path dir = new Path(tmp.resolve("no-such-dir").toUri());
        FileNotFoundException e = assertThrows(FileNotFoundException.class, () -> WikiTextCorpus.open(dir, CONF));
        assertTrue(e.getMessage().contains("no-such-dir"), e.getMessage());
    }

    @Test
    void missingSplitFileNamesTheFile() throws IOException {
        Path dir = WikiTextFixtures.writeCorpus(tmp.resolve("c"), WikiTextVariant.TOKENS, WikiTextFixtures.TOKENS);
        Files.delete(tmp.resolve("c/wiki.valid.tokens"));
        FileNotFoundException e = assertThrows(FileNotFoundException.class, () -> WikiTextCorpus.open(dir, CONF));
        assertTrue(e.getMessage().contains("c/wiki.valid.tokens"), e.getMessage());
    }

    @Test
    void folderWithoutWikiTextFilesSaysWhatItHolds() throws IOException {
        Files.createDirectories(tmp.resolve("other"));
        Files.writeString(tmp.resolve("other/readme.txt"), "x");
        FileNotFoundException e = assertThrows(FileNotFoundException.class,
                () -> WikiTextCorpus.open(new Path(tmp.resolve("other").toUri()), CONF));
        assertTrue(e.getMessage().contains("wiki.train.tokens") && e.getMessage().contains("readme.txt"), e.getMessage());
    }

    @Test
    void zeroByteFileFailsAtOpen() throws IOException {
        Path dir = WikiTextFixtures.writeCorpus(tmp.resolve("z"), WikiTextVariant.TOKENS, WikiTextFixtures.TOKENS);
        Files.write(tmp.resolve("z/wiki.test.tokens"), new byte[0]);
        IOException e = assertThrows(IOException.class, () -> WikiTextCorpus.open(dir, CONF));
        assertTrue(e.getMessage().contains("empty corpus file") && e.getMessage().contains("z/wiki.test.tokens"),
                e.getMessage());
    }

    @Test
    void fileWithoutParagraphsIsAnEmptyCorpus() throws IOException {
        Path dir = WikiTextFixtures.writeCorpus(tmp.resolve("e"), WikiTextVariant.TOKENS, " \n = Title = \n \n \n");
        WikiTextCorpus corpus = WikiTextCorpus.open(dir, CONF);
        IOException e = assertThrows(IOException.class, () -> corpus.structure(TRAIN));
        assertTrue(e.getMessage().startsWith("empty corpus: ") && e.getMessage().contains("e/wiki.train.tokens"),
                e.getMessage());
    }

    @Test
    void nonUtf8LinesAreCountedOrFailInStrictMode() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(" \n = Title = \n \n good line . \n".getBytes(StandardCharsets.UTF_8));
        b.writeBytes(new byte[] {' ', 'b', 'a', 'd', ' ', (byte) 0xFF, (byte) 0xFE, ' ', '\n'}); // line 5
        b.writeBytes(" another good line . \n".getBytes(StandardCharsets.UTF_8));
        Path dir = WikiTextFixtures.writeCorpus(tmp.resolve("u"), WikiTextVariant.TOKENS, b.toByteArray());

        WikiTextStructure s = WikiTextCorpus.open(dir, CONF).structure(TRAIN);
        assertEquals(2, s.paragraphCount());
        SkipReport skips = s.skips();
        assertEquals(1, skips.count("non-utf8"));
        assertTrue(skips.firstPlace("non-utf8").contains("u/wiki.train.tokens:5: byte 0xFF at byte column 6"),
                skips.firstPlace("non-utf8"));

        WikiTextCorpus strict = WikiTextCorpus.open(dir, CONF, null, WikiTextOptions.DEFAULT.withStrict(true));
        BadRecordException e = assertThrows(BadRecordException.class, () -> strict.structure(TRAIN));
        assertEquals(5, e.line());
        assertEquals("non-utf8", e.reason());
        assertTrue(e.getMessage().contains("wiki.train.tokens:5: non-utf8"), e.getMessage());
    }

    @Test
    void textBeforeTheFirstHeadingAndMalformedHeadingsAreCounted() throws IOException {
        String text = String.join("\n", " preamble text . ", " = = Orphan section = = ", " = Title = ", " ",
                " para one . ", " = Broken = = ", " = = ", " para two . ", "");
        Path dir = WikiTextFixtures.writeCorpus(tmp.resolve("h"), WikiTextVariant.TOKENS, text);
        WikiTextStructure s = WikiTextCorpus.open(dir, CONF).structure(TRAIN);
        assertEquals(1, s.articleCount());
        assertEquals(2, s.paragraphCount());
        assertEquals(2, s.skips().count("before-first-heading"));
        assertEquals(2, s.skips().count("malformed-heading"));
        assertTrue(s.skips().firstPlace("before-first-heading").contains("h/wiki.train.tokens:1:"));
        assertTrue(s.skips().firstPlace("malformed-heading").contains("h/wiki.train.tokens:6: '= Broken = ='"),
                s.skips().firstPlace("malformed-heading"));

        WikiTextCorpus strict = WikiTextCorpus.open(dir, CONF, null, WikiTextOptions.DEFAULT.withStrict(true));
        BadRecordException e = assertThrows(BadRecordException.class, () -> strict.tokenIds(TRAIN,
                dev.sparkmoe.data.text.Vocabulary.of(dev.sparkmoe.data.text.Vocabulary.SPECIALS)));
        assertEquals(1, e.line());
        assertTrue(e.getMessage().contains("h/wiki.train.tokens:1: before-first-heading"), e.getMessage());
    }

    @Test
    void headingParserAcceptsOnlyBalancedHeadings() {
        assertEquals(1, level(" = Title = "));
        assertEquals(3, level(" = = = Deep title = = = "));
        assertEquals(2, level("= = 2 + 2 = 4 = ="));
        assertEquals(-1, level(" = = Unbalanced = "));
        assertEquals(-1, level(" ==Wiki== "));
        assertEquals(-1, level(" = = "));
    }

    private static int level(String line) {
        byte[] b = line.trim().getBytes(StandardCharsets.UTF_8);
        long[] h = WikiTextScanner.parseHeading(b, 0, b.length);
        return h == null ? -1 : (int) h[0];
    }
}
