package dev.sparkmoe.data.glue;

import dev.sparkmoe.data.text.TokenSink;
import dev.sparkmoe.data.text.Tokenizer;
import dev.sparkmoe.data.text.Vocabulary;
import dev.sparkmoe.data.text.VocabularyBuilder;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Turns GLUE examples into model input: {@code <cls> a <sep>} for single sentences,
 * {@code <cls> a <sep> b <sep>} for pairs, truncated and padded to S = {@code maxLength}
 * tokens, as the flat blocks of a {@link GlueBatch} (no object per token).
 *
 * <p>Truncation is longest-first (BERT's and Hugging Face's {@code longest_first}): while the
 * two texts hold more than {@code S − 3} tokens (pairs; {@code S − 2} for single sentences),
 * drop the last token of the longer one, of text B when they are equally long. Texts are
 * tokenized with the given {@link Tokenizer} (normally
 * {@link dev.sparkmoe.data.text.WikiTextTokenizer} for raw GLUE text) and mapped through the
 * {@link Vocabulary} (unknown → {@code <unk>}).
 *
 * <p>Immutable configuration, serialisable (ship it to executors); {@link #encode} keeps
 * scratch buffers, so use one encoder per thread (each Spark task deserialises its own copy).
 */
public final class GlueEncoder implements Serializable {
    private static final long serialVersionUID = 1L;

    private final Vocabulary vocab;
    private final Tokenizer tokenizer;
    private final int maxLength;
    private transient Ids a;
    private transient Ids b;

    /**
     * @param vocab     the vocabulary (its specials give {@code <cls>}, {@code <sep>}, {@code <pad>})
     * @param tokenizer the word tokenizer for raw text
     * @param maxLength S, at least 3
     */
    public GlueEncoder(Vocabulary vocab, Tokenizer tokenizer, int maxLength) {
        if (maxLength < 3) {
            throw new IllegalArgumentException("maxLength " + maxLength + "; expected >= 3 (<cls> a <sep> b <sep>)");
        }
        this.vocab = vocab;
        this.tokenizer = tokenizer;
        this.maxLength = maxLength;
    }

    /** S. */
    public int maxLength() {
        return maxLength;
    }

    /** The vocabulary. */
    public Vocabulary vocabulary() {
        return vocab;
    }

    /** Encodes all of {@code examples} as one batch. */
    public GlueBatch encode(List<GlueExample> examples) {
        return encode(examples, 0, examples.size());
    }

    /** Encodes {@code examples[from, to)} as one batch of B = {@code to − from} rows. */
    public GlueBatch encode(List<GlueExample> examples, int from, int to) {
        return encode(examples, from, to, null);
    }

    /**
     * Encodes {@code examples[from, to)} as one batch of B = {@code to − from} rows and, when
     * {@code counts} is not null, adds to it what truncation and the vocabulary lost per example.
     */
    public GlueBatch encode(List<GlueExample> examples, int from, int to, GlueEncodingCounts counts) {
        if (a == null) {
            a = new Ids(vocab);
            b = new Ids(vocab);
        }
        int batch = to - from;
        int s = maxLength;
        int[] ids = new int[batch * s]; // Vocabulary.PAD == 0
        int[] mask = new int[batch * s];
        int[] seg = new int[batch * s];
        int[] lengths = new int[batch];
        int[] labels = new int[batch];
        float[] scores = new float[batch];
        int[] indices = new int[batch];
        for (int r = 0; r < batch; r++) {
            GlueExample e = examples.get(from + r);
            lengths[r] = encodeRow(e, ids, mask, seg, r * s);
            if (counts != null) {
                int pair = e.textB() != null ? 1 : 0;
                int text = a.n + pair * b.n;
                int kept = lengths[r] - 2 - pair;
                counts.add(text, text - kept, a.unknown() + pair * b.unknown());
            }
            labels[r] = e.label();
            scores[r] = e.score();
            indices[r] = e.index();
        }
        return new GlueBatch(batch, s, ids, mask, seg, lengths, labels, scores, indices);
    }

    /** Writes one row at {@code base}; returns its real length. */
    private int encodeRow(GlueExample e, int[] ids, int[] mask, int[] seg, int base) {
        a.fill(tokenizer, e.textA());
        boolean pair = e.textB() != null;
        int la = a.n;
        int lb = 0;
        if (pair) {
            b.fill(tokenizer, e.textB());
            lb = b.n;
            int budget = maxLength - 3;
            while (la + lb > budget) { // longest-first; ties cut text B
                if (la > lb) {
                    la--;
                } else {
                    lb--;
                }
            }
        } else {
            la = Math.min(la, maxLength - 2);
        }
        int p = base;
        ids[p++] = Vocabulary.CLS;
        System.arraycopy(a.ids, 0, ids, p, la);
        p += la;
        ids[p++] = Vocabulary.SEP;
        int segStart = p;
        if (pair) {
            System.arraycopy(b.ids, 0, ids, p, lb);
            p += lb;
            ids[p++] = Vocabulary.SEP;
            Arrays.fill(seg, segStart, p, 1);
        }
        Arrays.fill(mask, base, p, 1);
        return p - base;
    }

    /**
     * A vocabulary from the texts of {@code examples} (normally the training split) tokenized
     * with {@code tokenizer}: at most {@code maxSize} tokens (specials included), each seen at
     * least {@code minFrequency} times; see {@link VocabularyBuilder} for the order.
     */
    public static Vocabulary buildVocabulary(Iterable<GlueExample> examples, Tokenizer tokenizer, int maxSize,
                                             long minFrequency) {
        VocabularyBuilder counter = new VocabularyBuilder();
        for (GlueExample e : examples) {
            byte[] t = e.textA().getBytes(StandardCharsets.UTF_8);
            tokenizer.tokenize(t, 0, t.length, counter);
            if (e.textB() != null) {
                t = e.textB().getBytes(StandardCharsets.UTF_8);
                tokenizer.tokenize(t, 0, t.length, counter);
            }
        }
        return counter.build(maxSize, minFrequency);
    }

    /** A growable id buffer filled by a tokenizer. */
    private static final class Ids implements TokenSink {
        private final Vocabulary vocab;
        int[] ids = new int[256];
        int n;

        Ids(Vocabulary vocab) {
            this.vocab = vocab;
        }

        void fill(Tokenizer tokenizer, String text) {
            n = 0;
            byte[] t = text.getBytes(StandardCharsets.UTF_8);
            tokenizer.tokenize(t, 0, t.length, this);
        }

        @Override
        public void token(byte[] buf, int off, int len) {
            if (n == ids.length) {
                ids = Arrays.copyOf(ids, n * 2);
            }
            ids[n++] = vocab.id(buf, off, len);
        }

        /** How many of the filled ids are {@code <unk>}. */
        int unknown() {
            int u = 0;
            for (int i = 0; i < n; i++) {
                if (ids[i] == Vocabulary.UNK) {
                    u++;
                }
            }
            return u;
        }
    }

    @Override
    public String toString() {
        return "GlueEncoder(S=" + maxLength + ", " + vocab + ", " + tokenizer + ")";
    }
}
