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
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;

/**
 * The parquet export of a WikiText split read in a single process (no Spark) with parquet-hadoop:
 * one string column (normally {@code text}), one row per line of the original file, files in path
 * order. Gives the same token stream and skips as {@link WikiTextCorpus} on the equivalent text
 * file (a null value is skipped as {@code null-text}); skip places are {@code file@row}.
 * parquet-hadoop comes with Spark SQL ({@code provided}): on the classpath in tests and under
 * {@code spark-submit}. All methods run on the calling thread and block.
 */
public final class WikiTextParquetFiles {
    /** Skip reason of a null value. */
    public static final String NULL_TEXT = "null-text";

    private WikiTextParquetFiles() {}

    /**
     * The parquet files of {@code path}: the file itself, or every {@code *.parquet} file below the
     * folder (names starting with {@code _} or {@code .} ignored), sorted by path.
     *
     * @throws FileNotFoundException naming the path if it does not exist or holds no parquet file
     */
    public static List<Path> files(Path path, Configuration conf) throws IOException {
        FileSystem fs = path.getFileSystem(conf);
        if (!fs.exists(path)) {
            throw new FileNotFoundException("parquet path not found: " + path + "; expected a .parquet file or folder");
        }
        FileStatus st = fs.getFileStatus(path);
        List<Path> out = new ArrayList<>();
        if (st.isFile()) {
            out.add(st.getPath());
        } else {
            RemoteIterator<LocatedFileStatus> it = fs.listFiles(path, true);
            while (it.hasNext()) {
                Path p = it.next().getPath();
                String n = p.getName();
                if (n.endsWith(".parquet") && !n.startsWith("_") && !n.startsWith(".")) {
                    out.add(p);
                }
            }
            out.sort((a, b) -> a.toString().compareTo(b.toString()));
        }
        if (out.isEmpty()) {
            throw new FileNotFoundException("no .parquet file under " + path + "; expected a WikiText parquet export");
        }
        return out;
    }

    /**
     * Streams every line of the export through the WikiText line rules into {@code visitor}.
     *
     * @return what was skipped
     * @throws IOException naming the file for a missing column or an empty corpus; in strict mode a
     *         {@link dev.sparkmoe.data.BadRecordException}
     */
    public static SkipReport scan(Path path, Configuration conf, String column, boolean strict,
                                  WikiTextVisitor visitor) throws IOException {
        WikiTextLineScanner scanner = new WikiTextLineScanner(strict, false, visitor);
        for (Path f : files(path, conf)) {
            String name = f.toString();
            try (ParquetReader<Group> r = ParquetReader.builder(new GroupReadSupport(), f).withConf(conf).build()) {
                long row = 0;
                for (Group g = r.read(); g != null; g = r.read(), row++) {
                    if (!g.getType().containsField(column)) {
                        throw new IOException("parquet " + name + " has no column '" + column + "'; found "
                                + g.getType().getFields() + "; expected a string column");
                    }
                    if (g.getFieldRepetitionCount(column) == 0) {
                        scanner.skip(NULL_TEXT, name, row, "null text value; expected a string (possibly empty)");
                        continue;
                    }
                    byte[] b = g.getBinary(column, 0).getBytes();
                    scanner.line(b, 0, b.length, name, row);
                }
            }
        }
        if (scanner.paragraphs() == 0) {
            throw new IOException("empty corpus: " + path + " holds no paragraph (" + scanner.skips()
                    + "); expected WikiText layout: ' = Title = ' heading lines followed by paragraph lines");
        }
        return scanner.skips();
    }

    /** The vocabulary of the export's tokens, as {@link WikiTextCorpus#buildVocabulary}. */
    public static Vocabulary buildVocabulary(Path path, Configuration conf, String column, Tokenizer tokenizer,
                                             WikiTextOptions options, int maxSize, long minFrequency)
            throws IOException {
        VocabularyBuilder counter = new VocabularyBuilder();
        scan(path, conf, column, options.strict(), lines(tokenizer, options, counter, () -> { }, new long[1]));
        return counter.build(maxSize, minFrequency);
    }

    /** The token stream of the export as ids of {@code vocab}, as {@link WikiTextCorpus#tokenIds}. */
    public static TokenIds tokenIds(Path path, Configuration conf, String column, Tokenizer tokenizer,
                                    WikiTextOptions options, Vocabulary vocab) throws IOException {
        int[][] buf = {new int[1 << 16]};
        int[] n = {0};
        long[] unknown = {0};
        long[] lines = {0};
        TokenSink sink = (b, off, len) -> {
            int id = vocab.id(b, off, len);
            unknown[0] += id == Vocabulary.UNK ? 1 : 0;
            buf[0] = add(buf[0], n, id);
        };
        SkipReport skips = scan(path, conf, column, options.strict(),
                lines(tokenizer, options, sink, () -> buf[0] = add(buf[0], n, Vocabulary.EOS), lines));
        return new TokenIds(Arrays.copyOf(buf[0], n[0]), unknown[0], lines[0], skips);
    }

    private static int[] add(int[] a, int[] n, int v) {
        if (n[0] == a.length) {
            if (a.length >= Integer.MAX_VALUE / 2) {
                throw new IllegalStateException("token stream longer than " + n[0] + " ids; expected < 2^30");
            }
            a = Arrays.copyOf(a, a.length * 2);
        }
        a[n[0]++] = v;
        return a;
    }

    private static WikiTextVisitor lines(Tokenizer tokenizer, WikiTextOptions options, TokenSink sink,
                                         Runnable endOfLine, long[] count) {
        return WikiTextVisitor.tokenizing(tokenizer, options.includeHeadings(), sink, endOfLine, count);
    }
}
