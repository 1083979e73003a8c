package dev.sparkmoe.data.glue;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sparkmoe.data.text.Vocabulary;
import dev.sparkmoe.data.text.WikiTextTokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class GlueEncoderTest {
    private static final List<String> WORDS = List.of("the", "cat", "sat", ".", "a", "dog", "ran", "don", "'t");

    private static Vocabulary vocab() {
        List<String> t = new ArrayList<>(Vocabulary.SPECIALS);
        t.addAll(WORDS); // ids 6..14
        return Vocabulary.of(t);
    }

    private static int id(String w) {
        return 6 + WORDS.indexOf(w);
    }

    @Test
    void pairLayoutWithSegmentsMaskAndPadding() {
        GlueEncoder enc = new GlueEncoder(vocab(), WikiTextTokenizer.INSTANCE, 12);
        GlueBatch batch = enc.encode(List.of(GlueExample.classified(4, "The cat sat.", "A dog ran.", 1)));
        int cls = Vocabulary.CLS;
        int sep = Vocabulary.SEP;
        int unk = Vocabulary.UNK; // "The" and "A": the vocabulary is lower-case
        assertArrayEquals(new int[] {cls, unk, id("cat"), id("sat"), id("."), sep, unk, id("dog"), id("ran"), id("."),
                sep, Vocabulary.PAD}, batch.tokenIds());
        assertArrayEquals(new int[] {0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 0}, batch.segments());
        assertArrayEquals(new int[] {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0}, batch.mask());
        assertArrayEquals(new int[] {11}, batch.lengths());
        assertArrayEquals(new int[] {4}, batch.indices());
    }

    @Test
    void longestFirstTruncationCutsTheLongerTextThenTextB() {
        GlueEncoder enc = new GlueEncoder(vocab(), WikiTextTokenizer.INSTANCE, 9); // budget 6
        // a: 5 tokens, b: 2 tokens -> cut a to 4 (a 4 + b 2 = 6)
        GlueBatch x = enc.encode(List.of(GlueExample.classified(0, "cat cat cat cat cat", "dog dog", 0)));
        assertArrayEquals(new int[] {3, id("cat"), id("cat"), id("cat"), id("cat"), 4, id("dog"), id("dog"), 4},
                x.tokenIds());
        assertArrayEquals(new int[] {0, 0, 0, 0, 0, 0, 1, 1, 1}, x.segments());
        // a: 4, b: 4 -> ties cut b first: (4,3), then a (3,3)
        GlueBatch y = enc.encode(List.of(GlueExample.classified(0, "cat cat cat cat", "dog dog dog dog", 0)));
        assertArrayEquals(new int[] {3, id("cat"), id("cat"), id("cat"), 4, id("dog"), id("dog"), id("dog"), 4},
                y.tokenIds());
    }

    @Test
    void singleSentencesArePaddedAndMasked() {
        GlueEncoder enc = new GlueEncoder(vocab(), WikiTextTokenizer.INSTANCE, 6);
        GlueBatch batch = enc.encode(List.of(
                GlueExample.classified(0, "don't", null, 1),
                GlueExample.scored(1, "cat sat cat sat cat sat", null, 2.5f)));
        assertEquals(2, batch.batchSize());
        assertArrayEquals(new int[] {3, id("don"), id("'t"), 4, 0, 0, 3, id("cat"), id("sat"), id("cat"), id("sat"), 4},
                batch.tokenIds());
        assertArrayEquals(new int[] {1, 1, 1, 1, 0, 0, 1, 1, 1, 1, 1, 1}, batch.mask());
        assertArrayEquals(new int[12], batch.segments());
        assertArrayEquals(new int[] {4, 6}, batch.lengths());
        assertArrayEquals(new int[] {1, -1}, batch.labels());
        assertEquals(2.5f, batch.scores()[1]);
        assertArrayEquals(new int[] {0, 1}, batch.indices());
        assertEquals(id("cat"), batch.tokenId(1, 1));
    }

    @Test
    void vocabularyFromTrainingTexts() {
        Vocabulary v = GlueEncoder.buildVocabulary(List.of(GlueExample.classified(0, "the cat", "the dog", 0)),
                WikiTextTokenizer.INSTANCE, 100, 1);
        assertEquals(List.of("the", "cat", "dog"), v.tokens().subList(6, 9));
    }
}
