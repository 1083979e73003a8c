package dev.sparkmoe.data.wikitext;

import dev.sparkmoe.data.SkipReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.Path;

/**
 * The structure of one WikiText file — articles → sections → paragraphs — as a few primitive
 * arrays: titles are kept, paragraph text is not (a paragraph is a byte range of the file;
 * {@link #paragraphText} reads one back). About 24 bytes per paragraph, so WikiText-103's
 * training split fits in tens of MB.
 *
 * <p>Every article starts with an implicit <em>lead section</em> (level 1, titled like the
 * article) holding the paragraphs before its first {@code = = Section = =} heading, so every
 * paragraph belongs to exactly one section. Index ranges are half-open: the sections of article
 * {@code a} are {@code [articleFirstSection(a), articleFirstSection(a + 1))}, the paragraphs of
 * section {@code s} are {@code [sectionFirstParagraph(s), sectionFirstParagraph(s + 1))}; the
 * arrays hold a sentinel so {@code a + 1 == articleCount()} works. Immutable.
 */
public final class WikiTextStructure {
    private final Path file;
    private final long lines;
    private final SkipReport skips;
    private final String[] articleTitles;
    private final int[] articleFirstSection;
    private final String[] sectionTitles;
    private final byte[] sectionLevels;
    private final long[] sectionLines;
    private final int[] sectionFirstParagraph;
    private final long[] paragraphLines;
    private final long[] paragraphOffsets;
    private final int[] paragraphLengths;

    private WikiTextStructure(Builder b, Path file, long lines, SkipReport skips) {
        this.file = file;
        this.lines = lines;
        this.skips = skips;
        this.articleTitles = b.articleTitles.toArray(new String[0]);
        this.articleFirstSection = append(Arrays.copyOf(b.articleFirstSection, articleTitles.length), b.sections);
        this.sectionTitles = b.sectionTitles.toArray(new String[0]);
        this.sectionLevels = Arrays.copyOf(b.sectionLevels, b.sections);
        this.sectionLines = Arrays.copyOf(b.sectionLines, b.sections);
        this.sectionFirstParagraph = append(Arrays.copyOf(b.sectionFirstParagraph, b.sections), b.paragraphs);
        this.paragraphLines = Arrays.copyOf(b.paragraphLines, b.paragraphs);
        this.paragraphOffsets = Arrays.copyOf(b.paragraphOffsets, b.paragraphs);
        this.paragraphLengths = Arrays.copyOf(b.paragraphLengths, b.paragraphs);
    }

    /** The file this structure describes. */
    public Path file() {
        return file;
    }

    /** Lines in the file (blank and skipped ones included). */
    public long lines() {
        return lines;
    }

    /** What the scan skipped and why. */
    public SkipReport skips() {
        return skips;
    }

    /** Number of articles ({@code  = Title = } headings). */
    public int articleCount() {
        return articleTitles.length;
    }

    /** Title of article {@code a}. */
    public String articleTitle(int a) {
        return articleTitles[a];
    }

    /** All article titles, in file order. */
    public List<String> articleTitles() {
        return List.of(articleTitles);
    }

    /** First section of article {@code a} (its lead section); {@code a == articleCount()} gives the sentinel. */
    public int articleFirstSection(int a) {
        return articleFirstSection[a];
    }

    /** First paragraph of article {@code a}; {@code a == articleCount()} gives {@link #paragraphCount()}. */
    public int articleFirstParagraph(int a) {
        return sectionFirstParagraph[articleFirstSection[a]];
    }

    /** Paragraphs of article {@code a}, over all its sections. */
    public int articleParagraphCount(int a) {
        return articleFirstParagraph(a + 1) - articleFirstParagraph(a);
    }

    /** Number of sections, the lead sections included. */
    public int sectionCount() {
        return sectionTitles.length;
    }

    /** Title of section {@code s} (the article title for a lead section). */
    public String sectionTitle(int s) {
        return sectionTitles[s];
    }

    /** Level of section {@code s}: 1 for a lead section, 2 for {@code = = X = =}, 3 for {@code = = = X = = =}, ... */
    public int sectionLevel(int s) {
        return sectionLevels[s];
    }

    /** 1-based line of the heading that opened section {@code s} (the article heading for a lead section). */
    public long sectionLine(int s) {
        return sectionLines[s];
    }

    /** First paragraph of section {@code s}; {@code s == sectionCount()} gives {@link #paragraphCount()}. */
    public int sectionFirstParagraph(int s) {
        return sectionFirstParagraph[s];
    }

    /** Number of paragraphs. */
    public int paragraphCount() {
        return paragraphLengths.length;
    }

    /** 1-based line number of paragraph {@code p}. */
    public long paragraphLine(int p) {
        return paragraphLines[p];
    }

    /** Byte offset of paragraph {@code p}'s line in the file. */
    public long paragraphOffset(int p) {
        return paragraphOffsets[p];
    }

    /** Byte length of paragraph {@code p}'s line, without its line end. */
    public int paragraphLength(int p) {
        return paragraphLengths[p];
    }

    /**
     * Reads paragraph {@code p}'s line back from the file (one seek and read; blocks).
     * The line is returned as stored, leading and trailing spaces included.
     */
    public String paragraphText(int p, Configuration conf) throws IOException {
        byte[] b = new byte[paragraphLengths[p]];
        try (FSDataInputStream in = file.getFileSystem(conf).open(file)) {
            in.readFully(paragraphOffsets[p], b);
        }
        return new String(b, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "WikiTextStructure(" + file + ": " + articleCount() + " articles, " + sectionCount()
                + " sections, " + paragraphCount() + " paragraphs, " + skips + ")";
    }

    private static int[] append(int[] a, int last) {
        int[] out = Arrays.copyOf(a, a.length + 1);
        out[a.length] = last;
        return out;
    }

    /** Collects the structure during a scan (one thread). */
    static final class Builder implements WikiTextVisitor {
        private final List<String> articleTitles = new ArrayList<>();
        private int[] articleFirstSection = new int[64];
        private final List<String> sectionTitles = new ArrayList<>();
        private byte[] sectionLevels = new byte[256];
        private long[] sectionLines = new long[256];
        private int[] sectionFirstParagraph = new int[256];
        private int sections;
        private long[] paragraphLines = new long[1024];
        private long[] paragraphOffsets = new long[1024];
        private int[] paragraphLengths = new int[1024];
        private int paragraphs;

        @Override
        public void heading(int level, String title, byte[] line, int off, int len, long lineNumber, long byteOffset) {
            if (level == 1) {
                int a = articleTitles.size();
                if (a == articleFirstSection.length) {
                    articleFirstSection = Arrays.copyOf(articleFirstSection, a * 2);
                }
                articleTitles.add(title);
                articleFirstSection[a] = sections;
            }
            if (sections == sectionLevels.length) {
                int n = sections * 2;
                sectionLevels = Arrays.copyOf(sectionLevels, n);
                sectionLines = Arrays.copyOf(sectionLines, n);
                sectionFirstParagraph = Arrays.copyOf(sectionFirstParagraph, n);
            }
            sectionTitles.add(title);
            sectionLevels[sections] = (byte) Math.min(level, Byte.MAX_VALUE);
            sectionLines[sections] = lineNumber;
            sectionFirstParagraph[sections] = paragraphs;
            sections++;
        }

        @Override
        public void paragraph(byte[] line, int off, int len, long lineNumber, long byteOffset) {
            if (paragraphs == paragraphLengths.length) {
                int n = paragraphs * 2;
                paragraphLines = Arrays.copyOf(paragraphLines, n);
                paragraphOffsets = Arrays.copyOf(paragraphOffsets, n);
                paragraphLengths = Arrays.copyOf(paragraphLengths, n);
            }
            paragraphLines[paragraphs] = lineNumber;
            paragraphOffsets[paragraphs] = byteOffset;
            paragraphLengths[paragraphs] = len;
            paragraphs++;
        }

        WikiTextStructure build(Path file, long lines, SkipReport skips) {
            return new WikiTextStructure(this, file, lines, skips);
        }
    }
}
