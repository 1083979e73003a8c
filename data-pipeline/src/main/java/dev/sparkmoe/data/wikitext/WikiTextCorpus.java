package dev.sparkmoe.data.wikitext;

import dev.sparkmoe.data.SkipReport;
import dev.sparkmoe.data.text.TokenSink;
import dev.sparkmoe.data.text.Tokenizer;
import dev.sparkmoe.data.text.Vocabulary;
import dev.sparkmoe.data.text.VocabularyBuilder;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntConsumer;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A WikiText-2/103 folder ({@code wiki.{train,valid,test}.{tokens,raw}}) on any Hadoop file
 * system, read in the published layout: {@code  = Title = } article headings,
 * {@code  = = Section = = } (and deeper) section headings, one paragraph per line, blank lines
 * as separators.
 *
 * <p>Typical use, on the driver or in a single process (each call streams the file once and
 * blocks until done):
 * <pre>{@code
 * WikiTextCorpus corpus = WikiTextCorpus.open(new Path("hdfs:///data/wikitext-103"), conf);
 * Vocabulary vocab = corpus.buildVocabulary(WikiTextSplit.TRAIN, 300_000, 1);
 * int[] train = corpus.tokenIds(WikiTextSplit.TRAIN, vocab).ids();
 * }</pre>
 *
 * <p>Token stream: for each non-blank line in file order, its tokens (by the variant's
 * tokenizer) then one {@code <eos>}; heading lines take part unless
 * {@link WikiTextOptions#includeHeadings()} is off; blank lines contribute nothing. Bad lines
 * are skipped and counted (see {@link WikiTextScanner}), or fail the read in strict mode;
 * a non-empty skip report is logged at WARN once per read.
 */
public final class WikiTextCorpus {
    private static final Logger LOG = LoggerFactory.getLogger(WikiTextCorpus.class);

    private final Path dir;
    private final FileSystem fs;
    private final WikiTextVariant variant;
    private final WikiTextOptions options;

    private WikiTextCorpus(Path dir, FileSystem fs, WikiTextVariant variant, WikiTextOptions options) {
        this.dir = dir;
        this.fs = fs;
        this.variant = variant;
        this.options = options;
    }

    /** Opens {@code dir} with the variant found there (tokens first) and {@link WikiTextOptions#DEFAULT}. */
    public static WikiTextCorpus open(Path dir, Configuration conf) throws IOException {
        return open(dir, conf, null, WikiTextOptions.DEFAULT);
    }

    /**
     * Opens a WikiText folder; checks at once that the folder and the three split files exist
     * and are not empty.
     *
     * @param variant the variant to read, or null to take {@code .tokens} if
     *                {@code wiki.train.tokens} exists, else {@code .raw}
     * @throws FileNotFoundException naming the folder or the missing files
     * @throws IOException           naming the path of an empty split file
     */
    public static WikiTextCorpus open(Path dir, Configuration conf, WikiTextVariant variant, WikiTextOptions options)
            throws IOException {
        FileSystem fs = dir.getFileSystem(conf);
        if (!fs.exists(dir)) {
            throw new FileNotFoundException("WikiText folder not found: " + dir
                    + "; expected a folder holding wiki.train.tokens, wiki.valid.tokens, wiki.test.tokens (or .raw)");
        }
        if (!fs.getFileStatus(dir).isDirectory()) {
            throw new IOException("not a folder: " + dir + "; expected a WikiText folder holding wiki.train.tokens, ...");
        }
        WikiTextVariant v = variant != null ? variant : detect(fs, dir);
        List<String> missing = new ArrayList<>();
        for (WikiTextSplit split : WikiTextSplit.values()) {
            Path f = new Path(dir, split.fileName(v));
            if (!fs.exists(f)) {
                missing.add(f.toString());
            } else if (fs.getFileStatus(f).getLen() == 0) {
                throw new IOException("empty corpus file: " + f + " (0 bytes); expected WikiText text");
            }
        }
        if (!missing.isEmpty()) {
            throw new FileNotFoundException("WikiText file(s) not found: " + String.join(", ", missing)
                    + "; the folder holds " + listing(fs, dir));
        }
        return new WikiTextCorpus(dir, fs, v, options);
    }

    private static WikiTextVariant detect(FileSystem fs, Path dir) throws IOException {
        for (WikiTextVariant v : WikiTextVariant.values()) {
            if (fs.exists(new Path(dir, WikiTextSplit.TRAIN.fileName(v)))) {
                return v;
            }
        }
        throw new FileNotFoundException("no WikiText files in " + dir
                + "; expected wiki.train.tokens or wiki.train.raw (with valid and test); the folder holds "
                + listing(fs, dir));
    }

    private static String listing(FileSystem fs, Path dir) throws IOException {
        FileStatus[] all = fs.listStatus(dir);
        String[] names = Arrays.stream(all).map(s -> s.getPath().getName()).sorted().limit(10).toArray(String[]::new);
        return all.length == 0 ? "nothing" : String.join(", ", names) + (all.length > 10 ? ", ..." : "");
    }

    /** The folder. */
    public Path directory() {
        return dir;
    }

    /** The variant being read. */
    public WikiTextVariant variant() {
        return variant;
    }

    /** The read options. */
    public WikiTextOptions options() {
        return options;
    }

    /** The tokenizer of the variant. */
    public Tokenizer tokenizer() {
        return variant.tokenizer();
    }

    /** The file of {@code split}. */
    public Path file(WikiTextSplit split) {
        return new Path(dir, split.fileName(variant));
    }

    /**
     * Streams {@code split} through {@code visitor} (one pass; blocks).
     *
     * @return what was skipped
     * @throws IOException naming the file for an empty corpus; in strict mode a
     *         {@link dev.sparkmoe.data.BadRecordException} naming file and line
     */
    public SkipReport scan(WikiTextSplit split, WikiTextVisitor visitor) throws IOException {
        return scanSummary(split, visitor).skips();
    }

    /** The articles → sections → paragraphs structure of {@code split} (one pass). */
    public WikiTextStructure structure(WikiTextSplit split) throws IOException {
        WikiTextStructure.Builder b = new WikiTextStructure.Builder();
        WikiTextScanner.Summary s = scanSummary(split, b);
        return b.build(file(split), s.lines(), s.skips());
    }

    /** Feeds every token of the token stream of {@code split} (no {@code <eos>}) to {@code counter}. */
    public SkipReport countTokens(WikiTextSplit split, VocabularyBuilder counter) throws IOException {
        return scan(split, new Lines(tokenizer(), options.includeHeadings(), counter, null));
    }

    /**
     * A vocabulary from the tokens of {@code split} (normally {@link WikiTextSplit#TRAIN}).
     *
     * @param maxSize      {@code V} at most, the six specials included
     * @param minFrequency minimum count of a kept token, at least 1
     */
    public Vocabulary buildVocabulary(WikiTextSplit split, int maxSize, long minFrequency) throws IOException {
        VocabularyBuilder counter = new VocabularyBuilder();
        countTokens(split, counter);
        return counter.build(maxSize, minFrequency);
    }

    /** The token stream of {@code split} as ids of {@code vocab} (see the class comment; one pass). */
    public TokenIds tokenIds(WikiTextSplit split, Vocabulary vocab) throws IOException {
        long estimate = fs.getFileStatus(file(split)).getLen() / 5 + 1024;
        IdBuffer ids = new IdBuffer(vocab, (int) Math.min(estimate, Integer.MAX_VALUE - 16));
        Lines lines = new Lines(tokenizer(), options.includeHeadings(), ids, ids);
        SkipReport skips = scan(split, lines);
        return new TokenIds(ids.toArray(), ids.unknown, lines.count, skips);
    }

    /**
     * Streams the token stream of {@code split} as ids of {@code vocab} to {@code consumer}, one
     * call per id, without building an array.
     */
    public SkipReport streamTokenIds(WikiTextSplit split, Vocabulary vocab, IntConsumer consumer) throws IOException {
        TokenSink sink = (b, off, len) -> consumer.accept(vocab.id(b, off, len));
        return scan(split, new Lines(tokenizer(), options.includeHeadings(), sink, () -> consumer.accept(Vocabulary.EOS)));
    }

    private WikiTextScanner.Summary scanSummary(WikiTextSplit split, WikiTextVisitor visitor) throws IOException {
        Path f = file(split);
        WikiTextScanner.Summary s = WikiTextScanner.scan(fs, f, options.strict(), visitor);
        if (s.skips().total() > 0) {
            LOG.warn("{}: {}", f, s.skips());
        }
        return s;
    }

    @Override
    public String toString() {
        return "WikiTextCorpus(" + dir + ", " + variant + ")";
    }

    /** Tokenizes each line into a sink, then signals its end. */
    private static final class Lines implements WikiTextVisitor {
        private final Tokenizer tokenizer;
        private final boolean headings;
        private final TokenSink sink;
        private final Runnable endOfLine;
        long count;

        Lines(Tokenizer tokenizer, boolean headings, TokenSink sink, Runnable endOfLine) {
            this.tokenizer = tokenizer;
            this.headings = headings;
            this.sink = sink;
            this.endOfLine = endOfLine;
        }

        @Override
        public void heading(int level, String title, byte[] line, int off, int len, long lineNumber, long byteOffset) {
            if (headings) {
                paragraph(line, off, len, lineNumber, byteOffset);
            }
        }

        @Override
        public void paragraph(byte[] line, int off, int len, long lineNumber, long byteOffset) {
            tokenizer.tokenize(line, off, len, sink);
            count++;
            if (endOfLine != null) {
                endOfLine.run();
            }
        }
    }

    /** Collects ids into a growable int array. */
    private static final class IdBuffer implements TokenSink, Runnable {
        private final Vocabulary vocab;
        private int[] ids;
        private int n;
        long unknown;

        IdBuffer(Vocabulary vocab, int capacity) {
            this.vocab = vocab;
            this.ids = new int[Math.max(capacity, 16)];
        }

        @Override
        public void token(byte[] buf, int off, int len) {
            int id = vocab.id(buf, off, len);
            if (id == Vocabulary.UNK) {
                unknown++;
            }
            add(id);
        }

        @Override
        public void run() {
            add(Vocabulary.EOS);
        }

        private void add(int id) {
            if (n == ids.length) {
                if (n >= Integer.MAX_VALUE - 16) {
                    throw new IllegalStateException("token stream longer than " + n + " ids; expected < 2^31");
                }
                ids = Arrays.copyOf(ids, (int) Math.min((long) n * 2, Integer.MAX_VALUE - 16));
            }
            ids[n++] = id;
        }

        int[] toArray() {
            return n == ids.length ? ids : Arrays.copyOf(ids, n);
        }
    }
}
