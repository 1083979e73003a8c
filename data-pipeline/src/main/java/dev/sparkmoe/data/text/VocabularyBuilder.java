package dev.sparkmoe.data.text;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Counts tokens (as a {@link TokenSink}, so a tokenizer can feed it without creating objects)
 * and builds a {@link Vocabulary} from the counts.
 *
 * <p>Order of the built vocabulary, deterministic for equal counts: the six specials at ids
 * 0..5, then the kept tokens by count descending, ties by token ascending
 * ({@link String#compareTo}, i.e. UTF-16 code unit order). Occurrences of a special token's
 * spelling in the text (WikiText's {@code <unk>}) count for the special, never as a new token.
 * One thread at a time.
 */
public final class VocabularyBuilder implements TokenSink {
    private final ByteTokenTable table = new ByteTokenTable(1 << 12);
    private long[] counts = new long[1 << 12];
    private long total;

    /** An empty builder (the specials are known with count 0). */
    public VocabularyBuilder() {
        for (String s : Vocabulary.SPECIALS) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            table.intern(b, 0, b.length);
        }
    }

    @Override
    public void token(byte[] buf, int off, int len) {
        int e = table.intern(buf, off, len);
        if (e == counts.length) {
            counts = Arrays.copyOf(counts, counts.length * 2);
        }
        counts[e]++;
        total++;
    }

    /** Counts {@code token} once. */
    public void add(String token) {
        add(token, 1);
    }

    /** Counts {@code token} {@code n} times ({@code n >= 0}). */
    public void add(String token, long n) {
        if (n < 0) {
            throw new IllegalArgumentException("count " + n + " for token '" + token + "'; expected >= 0");
        }
        byte[] b = token.getBytes(StandardCharsets.UTF_8);
        int e = table.intern(b, 0, b.length);
        if (e == counts.length) {
            counts = Arrays.copyOf(counts, counts.length * 2);
        }
        counts[e] += n;
        total += n;
    }

    /** How often {@code token} was counted. */
    public long count(String token) {
        byte[] b = token.getBytes(StandardCharsets.UTF_8);
        int e = table.find(b, 0, b.length);
        return e < 0 ? 0 : counts[e];
    }

    /** Distinct non-special tokens counted. */
    public int distinct() {
        return table.size() - Vocabulary.SPECIALS.size();
    }

    /** All tokens counted. */
    public long total() {
        return total;
    }

    /**
     * The vocabulary of at most {@code maxSize} tokens (specials included) holding the most
     * frequent tokens counted at least {@code minFrequency} times.
     *
     * @param maxSize      {@code V} at most; at least 6 (the specials)
     * @param minFrequency at least 1
     */
    public Vocabulary build(int maxSize, long minFrequency) {
        int specials = Vocabulary.SPECIALS.size();
        if (maxSize < specials) {
            throw new IllegalArgumentException("maxSize=" + maxSize + " is below the " + specials
                    + " special tokens; expected maxSize >= " + specials);
        }
        if (minFrequency < 1) {
            throw new IllegalArgumentException("minFrequency=" + minFrequency + "; expected >= 1");
        }
        List<Entry> kept = new ArrayList<>();
        for (int e = specials; e < table.size(); e++) {
            if (counts[e] >= minFrequency) {
                kept.add(new Entry(table.string(e), counts[e]));
            }
        }
        kept.sort(Comparator.comparingLong((Entry x) -> -x.count).thenComparing(x -> x.token));
        List<String> tokens = new ArrayList<>(Vocabulary.SPECIALS);
        for (int i = 0; i < kept.size() && tokens.size() < maxSize; i++) {
            tokens.add(kept.get(i).token);
        }
        return Vocabulary.of(tokens);
    }

    private record Entry(String token, long count) {}
}
