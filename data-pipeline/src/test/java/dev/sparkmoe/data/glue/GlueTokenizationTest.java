package dev.sparkmoe.data.glue;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparkmoe.data.text.Tokenizer;
import dev.sparkmoe.data.text.Vocabulary;
import dev.sparkmoe.data.text.WikiTextTokenizer;
import dev.sparkmoe.data.wikitext.TokenIds;
import dev.sparkmoe.data.wikitext.WikiTextCorpus;
import dev.sparkmoe.data.wikitext.WikiTextOptions;
import dev.sparkmoe.data.wikitext.WikiTextSplit;
import dev.sparkmoe.data.wikitext.WikiTextVariant;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GlueTokenizationTest {
    private static final Configuration CONF = new Configuration();
    private static final String SENTENCE =
            "The well-known U.S. firm's 1,000 workers don't earn 3.5% more (Mr. Smith said).";

    @TempDir
    java.nio.file.Path tmp;

    /** A one-paragraph WikiText corpus holding {@code paragraph} in {@code variant}'s layout. */
    private WikiTextCorpus corpus(WikiTextVariant variant, String paragraph) throws IOException {
        java.nio.file.Path dir = tmp.resolve(variant.extension());
        Files.createDirectories(dir);
        String text = " \n = Title = \n \n " + paragraph + " \n";
        for (WikiTextSplit s : WikiTextSplit.values()) {
            Files.write(dir.resolve(s.fileName(variant)), text.getBytes(StandardCharsets.UTF_8));
        }
        return WikiTextCorpus.open(new Path(dir.toUri()), CONF, variant, WikiTextOptions.DEFAULT);
    }

    /** The ids of the corpus's paragraph line (after the heading's "= Title = <eos>", before its <eos>). */
    private static int[] paragraphIds(TokenIds t) {
        return Arrays.copyOfRange(t.ids(), 4, t.ids().length - 1);
    }

    /** The text ids of a single-sentence row: between <cls> and the first <sep>. */
    private static int[] textIds(GlueBatch b) {
        int[] ids = b.tokenIds();
        int end = 1;
        while (ids[end] != Vocabulary.SEP) {
            end++;
        }
        return Arrays.copyOfRange(ids, 1, end);
    }

    @Test
    void sameIdsAsTheRawWikiTextPipeline() throws IOException {
        WikiTextCorpus raw = corpus(WikiTextVariant.RAW, SENTENCE);
        Vocabulary vocab = raw.buildVocabulary(WikiTextSplit.TRAIN, 1000, 1);
        GlueTokenization glue = new GlueTokenization(vocab, 64);
        GlueBatch b = glue.encode(List.of(GlueExample.unlabelled(0, SENTENCE, null)));
        assertArrayEquals(paragraphIds(raw.tokenIds(WikiTextSplit.TRAIN, vocab)), textIds(b));
        assertEquals(0, glue.counts().unknownTokens());
    }

    @Test
    void sameIdsAsTheTokenizedVariantTheEmbeddedCorpusIsConvertedTo() throws IOException {
        // SotuConverter writes WikiTextTokenizer.tokenizeToLine(text); the LM job reads it with WhitespaceTokenizer
        WikiTextCorpus tokens = corpus(WikiTextVariant.TOKENS, WikiTextTokenizer.INSTANCE.tokenizeToLine(SENTENCE));
        Vocabulary vocab = tokens.buildVocabulary(WikiTextSplit.TRAIN, 1000, 1);
        assertTrue(vocab.contains("@-@") && vocab.contains("@,@") && vocab.contains("@.@") && vocab.contains("'t"));
        GlueBatch b = new GlueTokenization(vocab, 64).encode(List.of(GlueExample.unlabelled(0, SENTENCE, null)));
        assertArrayEquals(paragraphIds(tokens.tokenIds(WikiTextSplit.TRAIN, vocab)), textIds(b));
    }

    @Test
    void treebankSplitCliticsAndUnicodeSpacesAreNormalisedAwayFirst() {
        Tokenizer t = GlueTokenization.tokenizer();
        // SST-2 style (already split) gives the same tokens as the raw spelling
        assertEquals(WikiTextTokenizer.INSTANCE.tokens("it's a film that doesn't work, we'll see"),
                t.tokens("it 's a film that does n't work , we 'll see"));
        assertEquals(List.of("it", "'s", "good"), t.tokens("it 's good"));
        assertEquals(List.of("doesn", "'t"), t.tokens("does n't"));
        // a quotation is not a clitic
        assertEquals(List.of("he", "said", "'", "sorry", "'"), t.tokens("he said 'sorry'"));
        // WikiTextTokenizer alone would keep a no-break space inside the token
        assertEquals(List.of("10", "km"), t.tokens("10\u00A0km"));
        assertEquals(1, WikiTextTokenizer.INSTANCE.tokens("10\u00A0km").size());
    }

    @Test
    void countsTruncatedExamplesAndUnknownTokens() {
        List<String> words = List.of("the", "cat", "sat", ".");
        List<String> all = new java.util.ArrayList<>(Vocabulary.SPECIALS);
        all.addAll(words);
        GlueTokenization glue = new GlueTokenization(Vocabulary.of(all), 6); // single: 4 text tokens fit
        glue.encode(List.of(
                GlueExample.classified(0, "the cat sat .", null, 1),           // 4 tokens: fits
                GlueExample.classified(1, "the dog sat on the mat .", null, 0), // 7 tokens, 3 cut; dog, on, mat unknown
                GlueExample.classified(2, "the cat", "a dog sat", 1)));         // 5 tokens, 2 cut (budget 3); a, dog unknown
        GlueEncodingCounts c = glue.counts();
        assertEquals(3, c.examples());
        assertEquals(2, c.truncatedExamples());
        assertEquals(5, c.droppedTokens());
        assertEquals(16, c.tokens());
        assertEquals(5, c.unknownTokens());
        assertEquals(5.0 / 16, c.unknownRate(), 1e-12);
        GlueEncodingCounts merged = new GlueEncodingCounts().merge(c).merge(c);
        assertEquals(4, merged.truncatedExamples());
        assertTrue(c.toString().contains("2 truncated"), c.toString());
    }

    @Test
    void loadsTheVocabularyFromARunDirectoryOrNamesThePath() throws IOException {
        Vocabulary v = Vocabulary.of(new java.util.ArrayList<>(Vocabulary.SPECIALS) {{ add("cat"); }});
        Path run = new Path(tmp.resolve("run").toUri());
        v.save(new Path(run, GlueTokenization.VOCABULARY_FILE), CONF);
        GlueTokenization glue = GlueTokenization.fromRunDirectory(run, 16, CONF);
        assertEquals(v, glue.vocabulary());
        assertEquals(16, glue.maxLength());
        Path empty = new Path(tmp.resolve("empty").toUri());
        FileNotFoundException e = assertThrows(FileNotFoundException.class,
                () -> GlueTokenization.fromRunDirectory(empty, 16, CONF));
        assertTrue(e.getMessage().contains(new Path(empty, "vocab.txt").toString()), e.getMessage());
    }
}
