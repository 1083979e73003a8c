package dev.sparkmoe.data.wikitext;

import static dev.sparkmoe.data.wikitext.WikiTextSplit.TRAIN;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparkmoe.data.text.Vocabulary;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WikiTextCorpusTest {
    private static final Configuration CONF = new Configuration();

    @TempDir
    java.nio.file.Path tmp;

    private WikiTextCorpus tokensCorpus(WikiTextOptions options) throws IOException {
        Path dir = WikiTextFixtures.writeCorpus(tmp.resolve("wt2"), WikiTextVariant.TOKENS, WikiTextFixtures.TOKENS);
        return WikiTextCorpus.open(dir, CONF, null, options);
    }

    @Test
    void structureOfTheTokenizedLayout() throws IOException {
        WikiTextCorpus corpus = tokensCorpus(WikiTextOptions.DEFAULT);
        assertEquals(WikiTextVariant.TOKENS, corpus.variant());
        WikiTextStructure s = corpus.structure(TRAIN);
        assertEquals(List.of("Valkyria Chronicles III", "Tower Building of the Little Rock Arsenal"), s.articleTitles());
        assertEquals(4, s.sectionCount());
        assertEquals(List.of(1, 2, 3, 1), List.of(s.sectionLevel(0), s.sectionLevel(1), s.sectionLevel(2), s.sectionLevel(3)));
        assertEquals("Gameplay", s.sectionTitle(1));
        assertEquals("Plot", s.sectionTitle(2));
        assertEquals(7, s.sectionLine(1));
        assertEquals(5, s.paragraphCount());
        assertEquals(4, s.articleParagraphCount(0));
        assertEquals(1, s.articleParagraphCount(1));
        assertEquals(3, s.articleFirstSection(1));
        assertEquals(2, s.sectionFirstParagraph(1) - s.sectionFirstParagraph(0));
        assertEquals(17, s.lines());
        assertEquals(13, s.paragraphLine(3));
        assertEquals(" It costs 1 @,@ 000 points and 3 @.@ 5 hours . ", s.paragraphText(3, CONF));
        assertEquals(0, s.skips().total());
    }

    @Test
    void tokenStreamEndsEveryLineWithEos() throws IOException {
        WikiTextCorpus corpus = tokensCorpus(WikiTextOptions.DEFAULT);
        Vocabulary v = corpus.buildVocabulary(TRAIN, 1000, 1);
        assertTrue(v.contains("@-@") && v.contains("@,@") && v.contains("@.@") && v.contains("="));
        TokenIds t = corpus.tokenIds(TRAIN, v);
        assertEquals(9, t.lines()); // 4 headings + 5 paragraphs
        assertEquals(9, Arrays.stream(t.ids()).filter(id -> id == Vocabulary.EOS).count());
        assertEquals(2, t.unknown()); // the two literal <unk>
        assertEquals(List.of("=", "Valkyria", "Chronicles", "III", "=", "<eos>"), decode(v, t.ids(), 0, 6));
        int n = t.length();
        assertEquals(List.of("MacArthur", "Park", ".", "<eos>"), decode(v, t.ids(), n - 4, n));

        List<Integer> streamed = new ArrayList<>();
        corpus.streamTokenIds(TRAIN, v, streamed::add);
        assertArrayEquals(t.ids(), streamed.stream().mapToInt(Integer::intValue).toArray());
    }

    @Test
    void headingsCanBeLeftOutOfTheStream() throws IOException {
        WikiTextCorpus corpus = tokensCorpus(WikiTextOptions.DEFAULT.withIncludeHeadings(false));
        Vocabulary v = corpus.buildVocabulary(TRAIN, 1000, 1);
        assertTrue(!v.contains("=") && !v.contains("Gameplay"));
        TokenIds t = corpus.tokenIds(TRAIN, v);
        assertEquals(5, t.lines());
        assertEquals("Senjō", v.token(t.ids()[0]));
    }

    @Test
    void rawVariantIsDetectedAndTokenizedLikeTheTokensVariant() throws IOException {
        Path rawDir = WikiTextFixtures.writeCorpus(tmp.resolve("raw"), WikiTextVariant.RAW, WikiTextFixtures.RAW);
        WikiTextCorpus raw = WikiTextCorpus.open(rawDir, CONF);
        assertEquals(WikiTextVariant.RAW, raw.variant());
        WikiTextCorpus tokens = tokensCorpus(WikiTextOptions.DEFAULT);
        assertEquals(tokens.structure(TRAIN).articleTitles(), raw.structure(TRAIN).articleTitles());
        assertEquals(5, raw.structure(TRAIN).paragraphCount());
        Vocabulary v = tokens.buildVocabulary(TRAIN, 1000, 1);
        int[] a = tokens.tokenIds(TRAIN, v).ids();
        int[] b = raw.tokenIds(TRAIN, v).ids();
        assertEquals(a.length, b.length);
        // equal except where the tokens variant has <unk> and the raw text the real word
        for (int i = 0; i < a.length; i++) {
            assertTrue(a[i] == b[i] || a[i] == Vocabulary.UNK, "position " + i);
        }
    }

    @Test
    void crlfLinesAndByteOrderMarkAreHandled() throws IOException {
        byte[] body = WikiTextFixtures.TOKENS.replace("\n", "\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] withBom = new byte[body.length + 3];
        withBom[0] = (byte) 0xEF;
        withBom[1] = (byte) 0xBB;
        withBom[2] = (byte) 0xBF;
        System.arraycopy(body, 0, withBom, 3, body.length);
        Path dir = WikiTextFixtures.writeCorpus(tmp.resolve("crlf"), WikiTextVariant.TOKENS, withBom);
        WikiTextCorpus corpus = WikiTextCorpus.open(dir, CONF);
        WikiTextStructure s = corpus.structure(TRAIN);
        assertEquals(5, s.paragraphCount());
        assertEquals(" It costs 1 @,@ 000 points and 3 @.@ 5 hours . ", s.paragraphText(3, CONF));
        Vocabulary v = corpus.buildVocabulary(TRAIN, 1000, 1);
        assertTrue(v.tokens().stream().noneMatch(t -> t.contains("\r")));
    }

    private static List<String> decode(Vocabulary v, int[] ids, int from, int to) {
        List<String> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add(v.token(ids[i]));
        }
        return out;
    }
}
