package dev.sparkmoe.data.spark;

import dev.sparkmoe.data.SkipReport;
import dev.sparkmoe.data.text.Tokenizer;
import dev.sparkmoe.data.text.Vocabulary;
import dev.sparkmoe.data.text.VocabularyBuilder;
import dev.sparkmoe.data.wikitext.WikiTextOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

/**
 * WikiText on Spark: vocabulary and packed token blocks from a {@link WikiTextSource}, read on
 * the executors; the driver holds only per-piece summaries ({@code S} ids, counts, skips per
 * piece), never the corpus.
 *
 * <p>The token stream equals {@link dev.sparkmoe.data.wikitext.WikiTextCorpus#tokenIds} of the
 * same file, options and vocabulary: pieces are scanned independently with
 * {@link dev.sparkmoe.data.wikitext.WikiTextLineScanner}, each told by a first small job
 * ({@link #articleBefore}) whether an article heading precedes it — the only state a sequential
 * scan carries across lines. All methods run on the driver, start Spark jobs and block until
 * they end; task failures surface as {@code org.apache.spark.SparkException} naming the cause
 * (a {@link dev.sparkmoe.data.BadRecordException} in strict mode).
 */
public final class WikiTextSpark {
    private static final Logger LOG = LoggerFactory.getLogger(WikiTextSpark.class);

    private WikiTextSpark() {}

    /**
     * For each piece {@code i}, whether an article heading lies in a piece before it (one job;
     * each task reads its piece only up to its first article heading).
     */
    public static <T> boolean[] articleBefore(WikiTextSource<T> source) {
        List<Boolean> has = source.pieces()
                .mapPartitions(it -> List.of(PieceScan.hasArticleHeading(source, it)).iterator(), true)
                .collect();
        boolean[] before = new boolean[has.size()];
        for (int i = 1; i < before.length; i++) {
            before[i] = before[i - 1] || has.get(i - 1);
        }
        return before;
    }

    /**
     * The vocabulary of {@code source}'s tokens, equal to
     * {@link dev.sparkmoe.data.wikitext.WikiTextCorpus#buildVocabulary} on the same file (same
     * order: count descending, ties by token): per-piece count maps, {@code reduceByKey} over
     * {@code pieces} partitions, counts below {@code minFrequency} dropped on the executors, the
     * rest collected and built by {@link VocabularyBuilder}. Two jobs; the driver holds the kept
     * distinct tokens with their counts.
     */
    public static <T> Vocabulary buildVocabulary(WikiTextSource<T> source, Tokenizer tokenizer, WikiTextOptions options,
                                                 int maxSize, long minFrequency) {
        if (minFrequency < 1) {
            throw new IllegalArgumentException("minFrequency=" + minFrequency + "; expected >= 1");
        }
        boolean[] before = articleBefore(source);
        PieceScan.Flags flags = PieceScan.Flags.of(options);
        JavaRDD<T> pieces = source.pieces();
        List<Tuple2<String, Long>> kept = pieces.mapPartitionsWithIndex((i, it) -> {
            Map<String, long[]> counts = new HashMap<>();
            PieceScan.scan(source, it, before[i], tokenizer, flags,
                    (b, off, len) -> counts.computeIfAbsent(new String(b, off, len, StandardCharsets.UTF_8),
                            t -> new long[1])[0]++, null);
            List<Tuple2<String, Long>> out = new ArrayList<>(counts.size());
            counts.forEach((t, c) -> out.add(new Tuple2<>(t, c[0])));
            return out.iterator();
        }, true).mapToPair(t -> t).reduceByKey(Long::sum, pieces.getNumPartitions())
                .filter(t -> t._2() >= minFrequency).collect();
        VocabularyBuilder builder = new VocabularyBuilder();
        for (Tuple2<String, Long> t : kept) {
            builder.add(t._1(), t._2());
        }
        return builder.build(maxSize, minFrequency);
    }

    /**
     * The token stream of {@code source} as ids of {@code vocab} (broadcast), packed into blocks of
     * {@code S + 1} ids and rebalanced into {@code partitions} even data partitions. Jobs: the
     * heading pass, the tokenisation (pieces persisted while the blocks are built, then
     * released) with a summary collect, and the rebalancing shuffle.
     *
     * @throws IOException naming the source if it holds no paragraph, or fewer than {@code S + 1} ids
     */
    public static <T> TokenBlockRDD tokenBlocks(WikiTextSource<T> source, Tokenizer tokenizer, WikiTextOptions options,
                                                Vocabulary vocab, int seqLen, int partitions) throws IOException {
        if (seqLen < 1) {
            throw new IllegalArgumentException("seqLen=" + seqLen + "; expected >= 1");
        }
        boolean[] before = articleBefore(source);
        PieceScan.Flags flags = PieceScan.Flags.of(options);
        Broadcast<Vocabulary> bv = org.apache.spark.api.java.JavaSparkContext.fromSparkContext(source.pieces().context())
                .broadcast(vocab);
        JavaRDD<PieceIds> ids = source.pieces().mapPartitionsWithIndex(
                (i, it) -> List.of(tokenize(source, it, i, before[i], tokenizer, flags, bv.value())).iterator(), true)
                .persist(StorageLevel.MEMORY_AND_DISK());
        try {
            List<PieceIds> summary = ids.map(p -> p.summary(seqLen)).collect();
            long[] offsets = new long[summary.size()];
            int[][] heads = new int[summary.size()][];
            long n = 0;
            long unknown = 0;
            long paragraphs = 0;
            SkipReport skips = SkipReport.EMPTY;
            for (PieceIds p : summary) {
                offsets[p.piece()] = n;
                heads[p.piece()] = p.ids();
                n += p.length();
                unknown += p.unknown();
                paragraphs += p.paragraphs();
                skips = skips.merge(p.skips());
            }
            if (skips.total() > 0) {
                LOG.warn("{}: {}", source.name(), skips);
            }
            if (paragraphs == 0) {
                throw new IOException("empty corpus: " + source.name() + " holds no paragraph (" + skips
                        + "); expected WikiText layout: ' = Title = ' heading lines followed by paragraph lines");
            }
            if (n < seqLen + 1L) {
                throw new IOException(source.name() + ": token stream of " + n + " ids is shorter than one block of"
                        + " seqLen + 1 = " + (seqLen + 1) + " ids; expected a longer corpus or a smaller seqLen");
            }
            EvenLayout layout = new EvenLayout((n - 1) / seqLen, partitions);
            JavaRDD<TokenBlocks> blocks = TokenBlockRDD.rebalance(ids, offsets, heads, seqLen, layout);
            return new TokenBlockRDD(blocks, layout, seqLen, n, unknown, skips);
        } finally {
            ids.unpersist(false);
            bv.unpersist(false);
        }
    }

    /** Executor side: the ids of one piece. */
    private static <T> PieceIds tokenize(WikiTextSource<T> source, java.util.Iterator<T> it, int piece,
                                         boolean before, Tokenizer tokenizer, PieceScan.Flags options,
                                         Vocabulary vocab) throws IOException {
        IntBuffer buf = new IntBuffer();
        long[] unk = new long[1];
        PieceScan.Result r = PieceScan.scan(source, it, before, tokenizer, options, (b, off, len) -> {
            int id = vocab.id(b, off, len);
            if (id == Vocabulary.UNK) {
                unk[0]++;
            }
            buf.add(id);
        }, () -> buf.add(Vocabulary.EOS));
        return new PieceIds(piece, buf.size(), buf.toArray(), unk[0], r.lines(), r.scanner().paragraphs(),
                r.scanner().skips());
    }

    /** A growable {@code int[]}. */
    private static final class IntBuffer {
        private int[] a = new int[1 << 12];
        private int n;

        void add(int v) {
            if (n == a.length) {
                if (n >= Integer.MAX_VALUE - 16) {
                    throw new IllegalStateException("piece longer than " + n + " ids; expected < 2^31: use more pieces");
                }
                a = java.util.Arrays.copyOf(a, (int) Math.min(2L * n, Integer.MAX_VALUE - 16));
            }
            a[n++] = v;
        }

        int size() {
            return n;
        }

        int[] toArray() {
            return java.util.Arrays.copyOf(a, n);
        }
    }
}
