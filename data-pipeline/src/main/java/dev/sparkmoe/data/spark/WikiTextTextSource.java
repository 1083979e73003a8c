package dev.sparkmoe.data.spark;

import dev.sparkmoe.data.wikitext.WikiTextLineScanner;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * A WikiText text file ({@code wiki.train.tokens}, ...) on any Hadoop file system, cut into
 * {@code P} equal byte ranges; a line belongs to the range holding its first byte (Hadoop's
 * split rule), so no line is lost or read twice. Tasks open the file themselves
 * ({@link WikiTextLineScanner#readRange}); the driver only reads the file length.
 */
public final class WikiTextTextSource extends WikiTextSource<LineRange> {
    private static final long serialVersionUID = 1L;

    private final transient JavaSparkContext sc;
    private final String file;
    private final long length;
    private final int pieceCount;
    private final HashMap<String, String> hadoopConf;

    private WikiTextTextSource(JavaSparkContext sc, String file, long length, int pieceCount,
                               HashMap<String, String> hadoopConf) {
        this.sc = sc;
        this.file = file;
        this.length = length;
        this.pieceCount = pieceCount;
        this.hadoopConf = hadoopConf;
    }

    /**
     * Driver side: checks that {@code file} exists and is not empty (one metadata call; blocks)
     * and describes {@code pieces} byte ranges of it. The executors get the driver's Hadoop
     * configuration ({@code sc.hadoopConfiguration()}) in the task closure.
     *
     * @throws FileNotFoundException naming the path
     * @throws IOException           naming the path of an empty file
     */
    public static WikiTextTextSource open(JavaSparkContext sc, Path file, int pieces) throws IOException {
        if (pieces < 1) {
            throw new IllegalArgumentException("pieces=" + pieces + " for " + file + "; expected >= 1");
        }
        Configuration conf = sc.hadoopConfiguration();
        FileSystem fs = file.getFileSystem(conf);
        if (!fs.exists(file)) {
            throw new FileNotFoundException("WikiText file not found: " + file);
        }
        long len = fs.getFileStatus(file).getLen();
        if (len == 0) {
            throw new IOException("empty corpus file: " + file + " (0 bytes); expected WikiText text");
        }
        HashMap<String, String> entries = new HashMap<>();
        for (Map.Entry<String, String> e : conf) {
            entries.put(e.getKey(), e.getValue());
        }
        return new WikiTextTextSource(sc, fs.makeQualified(file).toString(), len, pieces, entries);
    }

    @Override
    public JavaRDD<LineRange> pieces() {
        List<LineRange> ranges = new ArrayList<>(pieceCount);
        for (int i = 0; i < pieceCount; i++) {
            ranges.add(new LineRange(i, i * length / pieceCount, (i + 1) * length / pieceCount));
        }
        return sc.parallelize(ranges, pieceCount);
    }

    @Override
    public String name() {
        return file;
    }

    @Override
    public void forEachLine(Iterator<LineRange> records, LineHandler handler) throws IOException {
        Configuration conf = new Configuration(false);
        hadoopConf.forEach(conf::set);
        Path path = new Path(file);
        FileSystem fs = path.getFileSystem(conf);
        while (records.hasNext()) {
            LineRange r = records.next();
            WikiTextLineScanner.readRange(fs, path, r.start(), r.end(),
                    (b, off, len, pos) -> handler.line(b, off, len, file, pos));
        }
    }

    @Override
    public String toString() {
        return "WikiTextTextSource(" + file + ", " + length + " bytes, " + pieceCount + " pieces)";
    }
}
