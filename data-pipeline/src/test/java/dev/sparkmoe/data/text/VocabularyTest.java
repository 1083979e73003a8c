package dev.sparkmoe.data.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VocabularyTest {
    private static final Configuration CONF = new Configuration();

    @TempDir
    java.nio.file.Path tmp;

    private static VocabularyBuilder counts() {
        VocabularyBuilder b = new VocabularyBuilder();
        b.add("a", 3);
        b.add("b", 3);
        b.add("c", 5);
        b.add("d", 1);
        return b;
    }

    @Test
    void specialsHaveFixedIds() {
        Vocabulary v = new VocabularyBuilder().build(100, 1);
        assertEquals(List.of("<pad>", "<unk>", "<eos>", "<cls>", "<sep>", "<mask>"), v.tokens());
        assertEquals(0, v.id("<pad>"));
        assertEquals(Vocabulary.UNK, v.id("<unk>"));
        assertEquals(Vocabulary.EOS, v.id("<eos>"));
        assertEquals(Vocabulary.MASK, v.id("<mask>"));
    }

    @Test
    void orderIsFrequencyDescendingThenTokenAscending() {
        Vocabulary v = counts().build(100, 1);
        assertEquals(List.of("c", "a", "b", "d"), v.tokens().subList(6, 10));
        assertEquals(6, v.id("c"));
        assertEquals(Vocabulary.UNK, v.id("never-seen"));
        assertFalse(v.contains("never-seen"));
    }

    @Test
    void maxSizeAndMinFrequencyLimit() {
        assertEquals(List.of("c", "a"), counts().build(8, 1).tokens().subList(6, 8));
        assertEquals(8, counts().build(8, 1).size());
        assertEquals(List.of("c", "a", "b"), counts().build(100, 2).tokens().subList(6, 9));
        assertEquals(6, counts().build(6, 1).size());
        assertThrows(IllegalArgumentException.class, () -> counts().build(5, 1));
        assertThrows(IllegalArgumentException.class, () -> counts().build(10, 0));
    }

    @Test
    void specialSpellingInTextCountsForTheSpecial() {
        VocabularyBuilder b = new VocabularyBuilder();
        WhitespaceTokenizer.INSTANCE.tokenize(bytes("x <unk> x <unk>"), 0, 15, b);
        assertEquals(2, b.count("<unk>"));
        assertEquals(1, b.distinct());
        Vocabulary v = b.build(100, 1);
        assertEquals(7, v.size());
        assertEquals(Vocabulary.UNK, v.id("<unk>"));
    }

    @Test
    void byteLookupMatchesStringLookup() {
        VocabularyBuilder b = new VocabularyBuilder();
        List<String> words = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            String w = "w" + i + (i % 7 == 0 ? "é" : "");
            words.add(w);
            b.add(w, 1 + i % 13);
        }
        Vocabulary v = b.build(100_000, 1);
        assertEquals(5006, v.size());
        for (String w : words) {
            byte[] pad = ("##" + w + "##").getBytes(StandardCharsets.UTF_8);
            int id = v.id(pad, 2, pad.length - 4);
            assertEquals(v.id(w), id);
            assertEquals(w, v.token(id));
        }
    }

    @Test
    void saveLoadRoundTrip() throws IOException {
        VocabularyBuilder b = counts();
        b.add("naïve", 2);
        Vocabulary v = b.build(100, 1);
        Path file = new Path(tmp.toUri().toString(), "sub/vocab.txt");
        v.save(file, CONF);
        List<String> lines = Files.readAllLines(tmp.resolve("sub/vocab.txt"), StandardCharsets.UTF_8);
        assertEquals("#spark-moe vocabulary format=1 size=" + v.size(), lines.get(0));
        assertEquals("<pad>", lines.get(1));
        Vocabulary back = Vocabulary.load(file, CONF);
        assertEquals(v, back);
        assertEquals(v.id("naïve"), back.id("naïve"));
    }

    @Test
    void loadErrorsNameFileAndLine() throws IOException {
        Path missing = new Path(tmp.toUri().toString(), "nope.txt");
        FileNotFoundException nf = assertThrows(FileNotFoundException.class, () -> Vocabulary.load(missing, CONF));
        assertTrue(nf.getMessage().contains("nope.txt"), nf.getMessage());

        assertLoadFails("bad-header", "vocab v1\n<pad>\n", ":1: bad header");
        assertLoadFails("future", "#spark-moe vocabulary format=9 size=6\n", "format=9");
        assertLoadFails("special", header(6) + "<pad>\n<unk>\n<oops>\n<cls>\n<sep>\n<mask>\n", ":4 (token id 2)");
        assertLoadFails("dup", header(8) + specials() + "a\na\n", ":9 (token id 7): duplicate token 'a'");
        assertLoadFails("size", header(9) + specials() + "a\n", "size=9 but the file holds 7");
        assertLoadFails("space", header(7) + specials() + "a b\n", "U+0020");
        byte[] bad = (header(7) + specials() + "x\n").getBytes(StandardCharsets.UTF_8);
        bad[bad.length - 2] = (byte) 0xFF;
        Files.write(tmp.resolve("utf8.txt"), bad);
        IOException e = assertThrows(IOException.class,
                () -> Vocabulary.load(new Path(tmp.toUri().toString(), "utf8.txt"), CONF));
        assertTrue(e.getMessage().contains("utf8.txt:8: bytes that are not UTF-8"), e.getMessage());
    }

    @Test
    void ofRejectsBadTokenLists() {
        assertThrows(IllegalArgumentException.class, () -> Vocabulary.of(List.of("a")));
        List<String> withSpace = new ArrayList<>(Vocabulary.SPECIALS);
        withSpace.add("a b");
        assertThrows(IllegalArgumentException.class, () -> Vocabulary.of(withSpace));
    }

    private void assertLoadFails(String name, String content, String expected) throws IOException {
        Files.writeString(tmp.resolve(name), content, StandardCharsets.UTF_8);
        Path p = new Path(tmp.toUri().toString(), name);
        IOException e = assertThrows(IOException.class, () -> Vocabulary.load(p, CONF));
        assertTrue(e.getMessage().contains(name) && e.getMessage().contains(expected), e.getMessage());
    }

    private static String header(int size) {
        return "#spark-moe vocabulary format=1 size=" + size + "\n";
    }

    private static String specials() {
        return String.join("\n", Vocabulary.SPECIALS) + "\n";
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
