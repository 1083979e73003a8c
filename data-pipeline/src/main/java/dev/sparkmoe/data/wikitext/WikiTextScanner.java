package dev.sparkmoe.data.wikitext;

import dev.sparkmoe.data.text.ByteLineReader;
import dev.sparkmoe.data.SkipCounter;
import dev.sparkmoe.data.SkipReport;
import dev.sparkmoe.data.text.Utf8;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Reads one WikiText file line by line and classifies each line (package-private engine of
 * {@link WikiTextCorpus#scan}).
 *
 * <p>Line classes: blank (only spaces/tabs: paragraph separator, structure, not counted);
 * heading ({@code  = Title = }, {@code  = = Section = = }: the same number of single
 * {@code =} tokens on both sides of a non-empty title); paragraph (any other line). Skipped and
 * counted, or fatal in strict mode: {@value #NON_UTF8} (the line holds bytes that are not
 * UTF-8), {@value #MALFORMED_HEADING} (starts and ends with {@code =} but is not a heading),
 * {@value #BEFORE_FIRST_HEADING} (a paragraph or section heading before the first article
 * heading). A leading UTF-8 byte-order mark is dropped.
 */
final class WikiTextScanner {
    /** Skip reason: the line holds bytes that are not UTF-8. */
    static final String NON_UTF8 = "non-utf8";
    /** Skip reason: a line that looks like a heading but is not well formed. */
    static final String MALFORMED_HEADING = "malformed-heading";
    /** Skip reason: text before the first article heading. */
    static final String BEFORE_FIRST_HEADING = "before-first-heading";

    private WikiTextScanner() {}

    /** What one scan saw. */
    record Summary(long lines, long headings, long paragraphs, SkipReport skips) {}

    /**
     * Scans {@code file}, calling {@code visitor} for each heading and paragraph.
     *
     * @throws FileNotFoundException naming the path if the file does not exist
     * @throws IOException           naming the path if it holds no paragraph (empty corpus)
     * @throws dev.sparkmoe.data.BadRecordException at the first bad line in strict mode
     */
    static Summary scan(FileSystem fs, Path file, boolean strict, WikiTextVisitor visitor) throws IOException {
        if (!fs.exists(file)) {
            throw new FileNotFoundException("WikiText file not found: " + file);
        }
        SkipCounter skips = new SkipCounter(strict);
        String name = file.toString();
        long lineNo = 0;
        long headings = 0;
        long paragraphs = 0;
        boolean inArticle = false;
        try (ByteLineReader r = new ByteLineReader(fs.open(file))) {
            while (r.next()) {
                lineNo++;
                byte[] b = r.buffer();
                int off = r.offset();
                int len = r.length();
                long at = r.lineStart();
                if (lineNo == 1 && len >= 3 && b[off] == (byte) 0xEF && b[off + 1] == (byte) 0xBB && b[off + 2] == (byte) 0xBF) {
                    off += 3;
                    len -= 3;
                    at += 3;
                }
                int bad = Utf8.firstInvalid(b, off, len);
                if (bad >= 0) {
                    skips.skip(NON_UTF8, name, lineNo, String.format("byte 0x%02X at byte column %d is not UTF-8;"
                            + " expected UTF-8 text", b[bad] & 0xFF, bad - off + 1));
                    continue;
                }
                int s = off;
                int e = off + len;
                while (s < e && isBlank(b[s])) {
                    s++;
                }
                while (e > s && isBlank(b[e - 1])) {
                    e--;
                }
                if (s == e) {
                    continue;
                }
                if (b[s] == '=' && b[e - 1] == '=') {
                    long[] h = parseHeading(b, s, e);
                    if (h == null) {
                        skips.skip(MALFORMED_HEADING, name, lineNo, "'" + excerpt(b, s, e) + "' starts and ends with"
                                + " '=' but is not a heading; expected ' = Title = ' or ' = = Section = = '"
                                + " with the same number of '=' on both sides");
                        continue;
                    }
                    int level = (int) h[0];
                    if (level > 1 && !inArticle) {
                        skips.skip(BEFORE_FIRST_HEADING, name, lineNo, "section heading '" + excerpt(b, s, e)
                                + "' before the first article heading; expected ' = Title = ' first");
                        continue;
                    }
                    inArticle = true;
                    headings++;
                    String title = new String(b, (int) h[1], (int) h[2], StandardCharsets.UTF_8);
                    visitor.heading(level, title, b, off, len, lineNo, at);
                    continue;
                }
                if (!inArticle) {
                    skips.skip(BEFORE_FIRST_HEADING, name, lineNo, "text '" + excerpt(b, s, e)
                            + "' before the first article heading; expected ' = Title = ' first");
                    continue;
                }
                paragraphs++;
                visitor.paragraph(b, off, len, lineNo, at);
            }
        }
        if (paragraphs == 0) {
            throw new IOException("empty corpus: " + file + " holds no paragraph (" + lineNo + " lines, "
                    + headings + " headings, " + skips.report() + "); expected WikiText layout: ' = Title = '"
                    + " heading lines followed by paragraph lines");
        }
        return new Summary(lineNo, headings, paragraphs, skips.report());
    }

    /**
     * {@code {level, titleOffset, titleLength}} of the heading in {@code b[s, e)} (trimmed,
     * starting and ending with '='), or null if it is not a well-formed heading.
     */
    static long[] parseHeading(byte[] b, int s, int e) {
        int left = 0;
        int p = s;
        while (p < e && b[p] == '=' && (p + 1 == e || isBlank(b[p + 1]))) {
            left++;
            p++;
            while (p < e && isBlank(b[p])) {
                p++;
            }
        }
        int right = 0;
        int q = e;
        while (q > p && b[q - 1] == '=' && (q - 1 == p || isBlank(b[q - 2]))) {
            right++;
            q--;
            while (q > p && isBlank(b[q - 1])) {
                q--;
            }
        }
        if (left == 0 || left != right || q <= p) {
            return null;
        }
        return new long[] {left, p, q - p};
    }

    private static boolean isBlank(byte c) {
        return c == ' ' || c == '\t';
    }

    /** The line for an error message: at most 80 characters (decoded leniently). */
    static String excerpt(byte[] b, int s, int e) {
        String t = new String(b, s, Math.min(e - s, 240), StandardCharsets.UTF_8);
        return t.length() <= 80 ? t : t.substring(0, 77) + "...";
    }
}
