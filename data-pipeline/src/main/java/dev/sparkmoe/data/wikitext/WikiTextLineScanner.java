package dev.sparkmoe.data.wikitext;

import dev.sparkmoe.data.text.ByteLineReader;
import dev.sparkmoe.data.SkipCounter;
import dev.sparkmoe.data.SkipReport;
import dev.sparkmoe.data.text.Utf8;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The line classification of {@link WikiTextScanner} for one <em>piece</em> of a WikiText line
 * stream — a byte range of a file, or rows of a parquet export — so that pieces can be read
 * independently (on Spark executors) and still give, concatenated in order, exactly the records
 * and skips of one sequential scan.
 *
 * <p>The only state a sequential scan carries from line to line is whether an article heading
 * ({@code  = Title = }) has been seen: give it as {@code inArticle} (true iff an earlier piece
 * holds an article heading, see {@link #isArticleHeading}). Skips are counted with the same
 * reasons as {@link WikiTextScanner}; the place is {@code source@position} with line 0
 * (unknown), since a piece does not know its line numbers. Runs on whichever side calls it
 * (executors in the Spark loaders); one thread; the empty-corpus check is the caller's.
 */
public final class WikiTextLineScanner {
    private final SkipCounter skips;
    private final WikiTextVisitor visitor;
    private boolean inArticle;
    private long paragraphs;

    /**
     * @param strict    whether the first bad line throws {@link dev.sparkmoe.data.BadRecordException}
     * @param inArticle whether an article heading precedes this piece
     * @param visitor   receives headings and paragraphs (line number argument: 0)
     */
    public WikiTextLineScanner(boolean strict, boolean inArticle, WikiTextVisitor visitor) {
        this.skips = new SkipCounter(strict);
        this.visitor = visitor;
        this.inArticle = inArticle;
    }

    /**
     * Classifies one line {@code b[off, off+len)} (no line end) and passes it on or counts it.
     *
     * @param source   file or table the line came from, for skip places
     * @param position byte offset (text) or row index (parquet) of the line, for skip places
     */
    public void line(byte[] b, int off, int len, String source, long position) throws IOException {
        int bad = Utf8.firstInvalid(b, off, len);
        if (bad >= 0) {
            skip(WikiTextScanner.NON_UTF8, source, position, String.format("byte 0x%02X at byte column %d is not"
                    + " UTF-8; expected UTF-8 text", b[bad] & 0xFF, bad - off + 1));
            return;
        }
        int s = trimStart(b, off, off + len);
        int e = trimEnd(b, s, off + len);
        if (s == e) {
            return;
        }
        if (b[s] == '=' && b[e - 1] == '=') {
            long[] h = WikiTextScanner.parseHeading(b, s, e);
            if (h == null) {
                skip(WikiTextScanner.MALFORMED_HEADING, source, position, "'" + WikiTextScanner.excerpt(b, s, e)
                        + "' starts and ends with '=' but is not a heading; expected ' = Title = ' or"
                        + " ' = = Section = = ' with the same number of '=' on both sides");
                return;
            }
            int level = (int) h[0];
            if (level > 1 && !inArticle) {
                skip(WikiTextScanner.BEFORE_FIRST_HEADING, source, position, "section heading '"
                        + WikiTextScanner.excerpt(b, s, e) + "' before the first article heading; expected"
                        + " ' = Title = ' first");
                return;
            }
            inArticle = true;
            String title = new String(b, (int) h[1], (int) h[2], StandardCharsets.UTF_8);
            visitor.heading(level, title, b, off, len, 0, position);
            return;
        }
        if (!inArticle) {
            skip(WikiTextScanner.BEFORE_FIRST_HEADING, source, position, "text '" + WikiTextScanner.excerpt(b, s, e)
                    + "' before the first article heading; expected ' = Title = ' first");
            return;
        }
        paragraphs++;
        visitor.paragraph(b, off, len, 0, position);
    }

    /** Counts a record that is not a line at all (e.g. a null parquet value) under {@code reason}. */
    public void skip(String reason, String source, long position, String detail)
            throws dev.sparkmoe.data.BadRecordException {
        skips.skip(reason, source + "@" + position, 0, detail);
    }

    /** Paragraphs passed on so far. */
    public long paragraphs() {
        return paragraphs;
    }

    /** Whether an article heading has been seen (given or in this piece). */
    public boolean inArticle() {
        return inArticle;
    }

    /** What this piece skipped so far. */
    public SkipReport skips() {
        return skips.report();
    }

    /** Whether {@code b[off, off+len)} is a well-formed, UTF-8 article heading ({@code  = Title = }). */
    public static boolean isArticleHeading(byte[] b, int off, int len) {
        int s = trimStart(b, off, off + len);
        int e = trimEnd(b, s, off + len);
        if (s == e || b[s] != '=' || b[e - 1] != '=' || Utf8.firstInvalid(b, off, len) >= 0) {
            return false;
        }
        long[] h = WikiTextScanner.parseHeading(b, s, e);
        return h != null && h[0] == 1;
    }

    /** Receives the lines of a byte range. */
    @FunctionalInterface
    public interface LineConsumer {
        /** One line {@code b[off, off+len)} starting at file byte {@code position}; false stops the read. */
        boolean line(byte[] b, int off, int len, long position) throws IOException;
    }

    /**
     * Reads the lines of {@code file} whose first byte lies in {@code [start, end)} (Hadoop's
     * split rule: a line belongs to the range holding its first byte), in order; a UTF-8
     * byte-order mark at byte 0 is dropped. Runs on the calling thread (an executor task in the
     * Spark loader); blocks; reads at most one line past {@code end}.
     *
     * @throws IOException naming the file if it cannot be read, or if {@code start} is past its end
     */
    public static void readRange(FileSystem fs, Path file, long start, long end, LineConsumer consumer)
            throws IOException {
        try (FSDataInputStream in = fs.open(file)) {
            long pos = start;
            if (start > 0) {
                in.seek(start - 1);
                pos = start - 1 + skipLine(in); // the line holding byte start-1 belongs to the range before
            }
            try (ByteLineReader r = new ByteLineReader(in)) {
                boolean first = start == 0;
                while (r.next()) {
                    long at = pos + r.lineStart();
                    if (at >= end) {
                        return;
                    }
                    byte[] b = r.buffer();
                    int off = r.offset();
                    int len = r.length();
                    if (first && len >= 3 && b[off] == (byte) 0xEF && b[off + 1] == (byte) 0xBB && b[off + 2] == (byte) 0xBF) {
                        off += 3;
                        len -= 3;
                        at += 3;
                    }
                    first = false;
                    if (!consumer.line(b, off, len, at)) {
                        return;
                    }
                }
            }
        }
    }

    /** Bytes up to and including the next {@code \n} (or to the end). */
    private static long skipLine(InputStream in) throws IOException {
        long n = 0;
        int c;
        while ((c = in.read()) >= 0) {
            n++;
            if (c == '\n') {
                break;
            }
        }
        return n;
    }

    private static int trimStart(byte[] b, int s, int e) {
        while (s < e && (b[s] == ' ' || b[s] == '\t')) {
            s++;
        }
        return s;
    }

    private static int trimEnd(byte[] b, int s, int e) {
        while (e > s && (b[e - 1] == ' ' || b[e - 1] == '\t')) {
            e--;
        }
        return e;
    }
}
