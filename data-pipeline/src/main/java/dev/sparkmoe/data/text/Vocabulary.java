package dev.sparkmoe.data.text;

import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * A fixed token ↔ id mapping of size {@code V}. Ids 0..5 are always the special tokens
 * {@code <pad>}=0, {@code <unk>}=1, {@code <eos>}=2, {@code <cls>}=3, {@code <sep>}=4,
 * {@code <mask>}=5; a text token spelled like a special token (WikiText's {@code <unk>}) maps
 * to that special id. Unknown tokens map to {@link #UNK}.
 *
 * <p>Look-ups go through one hash table over UTF-8 bytes built in the constructor, so the
 * token-stream hot path ({@link #id(byte[], int, int)}) allocates nothing. Immutable and
 * thread-safe; serialisable for shipping to executors.
 *
 * <p>File format (UTF-8, {@code \n} line ends), written and read through Hadoop's FileSystem:
 * <pre>
 * #spark-moe vocabulary format=1 size=V
 * &lt;pad&gt;
 * &lt;unk&gt;
 * ...           (one token per line, line {@code id + 2} holds token {@code id})
 * </pre>
 */
public final class Vocabulary implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Padding. */
    public static final int PAD = 0;
    /** Unknown token. */
    public static final int UNK = 1;
    /** End of a line (paragraph or heading) in a token stream. */
    public static final int EOS = 2;
    /** Classification token. */
    public static final int CLS = 3;
    /** Separator between segments. */
    public static final int SEP = 4;
    /** Masked-LM placeholder. */
    public static final int MASK = 5;
    /** The special tokens, index = id. */
    public static final List<String> SPECIALS = List.of("<pad>", "<unk>", "<eos>", "<cls>", "<sep>", "<mask>");
    /** The current file format version. */
    public static final int FORMAT_VERSION = 1;


    private final String[] tokens;
    private final ByteTokenTable table;

    private Vocabulary(String[] tokens, String source) {
        this.tokens = tokens;
        this.table = new ByteTokenTable(tokens.length);
        for (int id = 0; id < tokens.length; id++) {
            String t = tokens[id];
            if (id < SPECIALS.size() && !SPECIALS.get(id).equals(t)) {
                throw new IllegalArgumentException(where(source, id) + ": expected special token "
                        + SPECIALS.get(id) + " at id " + id + ", found '" + t + "'");
            }
            checkToken(t, source, id);
            byte[] b = t.getBytes(StandardCharsets.UTF_8);
            int e = table.intern(b, 0, b.length);
            if (e != id) {
                throw new IllegalArgumentException(where(source, id) + ": duplicate token '" + t
                        + "', already at id " + e + "; expected each token once");
            }
        }
    }

    /**
     * A vocabulary of exactly these tokens, id = list index.
     *
     * @throws IllegalArgumentException if the first six are not {@link #SPECIALS} in order, a
     *         token is empty, holds whitespace or a control character, or appears twice
     */
    public static Vocabulary of(List<String> tokens) {
        return new Vocabulary(tokens.toArray(new String[0]), null);
    }

    /** Number of tokens {@code V}, specials included. */
    public int size() {
        return tokens.length;
    }

    /** The token of {@code id}. */
    public String token(int id) {
        return tokens[id];
    }

    /** All tokens, index = id. */
    public List<String> tokens() {
        return Collections.unmodifiableList(Arrays.asList(tokens));
    }

    /** The id of {@code token}, or {@link #UNK}. */
    public int id(String token) {
        byte[] b = token.getBytes(StandardCharsets.UTF_8);
        return id(b, 0, b.length);
    }

    /** The id of the UTF-8 token {@code b[off, off+len)}, or {@link #UNK}; allocates nothing. */
    public int id(byte[] b, int off, int len) {
        int e = table.find(b, off, len);
        return e < 0 ? UNK : e;
    }

    /** Whether {@code token} has an id of its own. */
    public boolean contains(String token) {
        byte[] b = token.getBytes(StandardCharsets.UTF_8);
        return table.find(b, 0, b.length) >= 0;
    }

    /**
     * Writes this vocabulary to {@code file} (overwriting it), creating parent directories.
     * Runs on the calling thread; blocks until the file is closed.
     */
    public void save(Path file, Configuration conf) throws IOException {
        VocabularyFiles.save(tokens, file, conf);
    }

    /**
     * Reads a vocabulary written by {@link #save}.
     *
     * @throws java.io.FileNotFoundException naming the path if it does not exist
     * @throws IOException naming file and line for a bad header, an unsupported format version,
     *         bytes that are not UTF-8, a wrong special token, a duplicate or a size mismatch
     */
    public static Vocabulary load(Path file, Configuration conf) throws IOException {
        List<String> tokens = VocabularyFiles.load(file, conf);
        try {
            return new Vocabulary(tokens.toArray(new String[0]), file.toString());
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    private static void checkToken(String t, String source, int id) {
        if (t.isEmpty()) {
            throw new IllegalArgumentException(where(source, id) + ": empty token; expected a non-empty token");
        }
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c <= 0x20 || c == 0x7F || Character.isSurrogate(c) && !validSurrogate(t, i)) {
                throw new IllegalArgumentException(where(source, id) + ": token '" + abbreviate(t)
                        + "' holds character U+" + String.format("%04X", (int) c)
                        + " at index " + i + "; expected no whitespace, control or unpaired surrogate");
            }
        }
    }

    private static boolean validSurrogate(String t, int i) {
        char c = t.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < t.length() && Character.isLowSurrogate(t.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(t.charAt(i - 1));
    }

    private static String where(String source, int id) {
        return source == null ? "token id " + id : source + ":" + (id + 2) + " (token id " + id + ")";
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Vocabulary v && Arrays.equals(tokens, v.tokens);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(tokens);
    }

    @Override
    public String toString() {
        return "Vocabulary(size=" + tokens.length + ")";
    }
}
