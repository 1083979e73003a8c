package dev.sparkmoe.data.glue;

import dev.sparkmoe.data.text.ByteLineReader;
import dev.sparkmoe.data.SkipCounter;
import dev.sparkmoe.data.SkipReport;
import dev.sparkmoe.data.text.Utf8;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads GLUE's original TSV files (layouts in {@link GlueTask}) through Hadoop's FileSystem.
 *
 * <p>Rows are split on tabs only, never on quotes (GLUE's files are meant to be read with
 * {@code QUOTE_NONE}: MNLI and QQP hold unbalanced {@code "}); fields are kept verbatim. A
 * leading UTF-8 byte-order mark (MRPC's files have one) is dropped. The index of an example is
 * the file's {@code index}/{@code id} column, else its 0-based data row (skipped rows keep
 * their number, so indices do not shift).
 *
 * <p>Skipped and counted (or, in strict mode, fatal at the first one, naming file and line):
 * {@value #EMPTY_LINE}, {@value #NON_UTF8}, {@value #WRONG_COLUMN_COUNT},
 * {@value #UNPARSABLE_LABEL} (not one of the task's label spellings, or a score that is not a
 * finite number in [0, 5]) and {@value #MALFORMED_ROW} (an index that is not an integer).
 * Always fatal: a missing file, an empty file, a header that lacks a needed column.
 * Runs on the calling thread and blocks until the file is read.
 */
public final class GlueTsvReader {
    private static final Logger LOG = LoggerFactory.getLogger(GlueTsvReader.class);

    /** Skip reason: an empty line. */
    public static final String EMPTY_LINE = "empty-line";
    /** Skip reason: bytes that are not UTF-8. */
    public static final String NON_UTF8 = "non-utf8";
    /** Skip reason: a row with another number of columns than the header (or layout). */
    public static final String WRONG_COLUMN_COUNT = "wrong-column-count";
    /** Skip reason: a label that is not one of the task's, or an unparsable score. */
    public static final String UNPARSABLE_LABEL = "unparsable-label";
    /** Skip reason: any other malformed field (an index that is not an integer). */
    public static final String MALFORMED_ROW = "malformed-row";

    private GlueTsvReader() {}

    /**
     * Reads {@code split} of {@code task} from {@code dir}, which is either the GLUE data root
     * (holding {@code CoLA/}, {@code SST-2/}, ...) or the task's own folder.
     *
     * @throws FileNotFoundException naming every path tried
     * @throws IOException for an empty file or a bad header; in strict mode a
     *         {@link dev.sparkmoe.data.BadRecordException} at the first bad row
     */
    public static GlueData read(Path dir, GlueTask task, GlueSplit split, Configuration conf, boolean strict)
            throws IOException {
        return readFile(locate(dir, task, split, conf), task, split, conf, strict);
    }

    /**
     * The file of {@code split}: {@code dir/<folder>/<file>} if it exists, else
     * {@code dir/<file>} (for AX also {@code AX.tsv}).
     *
     * @throws FileNotFoundException naming every path tried
     */
    public static Path locate(Path dir, GlueTask task, GlueSplit split, Configuration conf) throws IOException {
        FileSystem fs = dir.getFileSystem(conf);
        String name = task.fileName(split);
        List<Path> tried = new ArrayList<>(List.of(new Path(new Path(dir, task.folder()), name), new Path(dir, name)));
        if (task == GlueTask.AX) {
            tried.add(new Path(dir, "AX.tsv"));
        }
        for (Path p : tried) {
            if (fs.isFile(p)) {
                return p;
            }
        }
        throw new FileNotFoundException("GLUE " + task + " " + split + " file not found; tried " + tried);
    }

    /**
     * Reads one GLUE TSV file in the layout of {@code task}'s {@code split}.
     *
     * @throws FileNotFoundException naming the path if it does not exist
     * @throws IOException for an empty file or a header without the needed columns (naming file,
     *         line 1, the column and the expected header); in strict mode a
     *         {@link dev.sparkmoe.data.BadRecordException} at the first bad row
     */
    public static GlueData readFile(Path file, GlueTask task, GlueSplit split, Configuration conf, boolean strict)
            throws IOException {
        return readFile(file, task, split, task.layout(split), conf, strict);
    }

    /** {@link #readFile} with an explicit layout (the embedded task's labelled test file). */
    static GlueData readFile(Path file, GlueTask task, GlueSplit split, TsvLayout layout, Configuration conf,
                             boolean strict) throws IOException {
        FileSystem fs = file.getFileSystem(conf);
        if (!fs.exists(file)) {
            throw new FileNotFoundException("GLUE " + task + " file not found: " + file);
        }
        Rows rows = new Rows(task, layout, file.toString(), new SkipCounter(strict));
        try (ByteLineReader lines = new ByteLineReader(fs.open(file))) {
            long lineNo = 0;
            while (lines.next()) {
                lineNo++;
                byte[] b = lines.buffer();
                int off = lines.offset();
                int len = lines.length();
                if (lineNo == 1 && len >= 3 && b[off] == (byte) 0xEF && b[off + 1] == (byte) 0xBB
                        && b[off + 2] == (byte) 0xBF) {
                    off += 3;
                    len -= 3;
                }
                rows.line(b, off, len, lineNo);
            }
            if (lineNo == 0) {
                throw new IOException("empty GLUE file: " + file + "; expected " + task + " rows in the layout "
                        + layout.headerLine());
            }
        }
        SkipReport skips = rows.skips.report();
        if (skips.total() > 0) {
            LOG.warn("{}: {}", file, skips);
        }
        return new GlueData(task, split, file.toString(), rows.examples, skips);
    }

    /** Parses the lines of one file. */
    private static final class Rows {
        private final GlueTask task;
        private final TsvLayout layout;
        private final String file;
        final SkipCounter skips;
        final List<GlueExample> examples = new ArrayList<>();
        private int columns;
        private int index = -1;
        private int textA;
        private int textB = -1;
        private int label = -1;
        private long dataRow;
        private String[] fileHeader;

        Rows(GlueTask task, TsvLayout layout, String file, SkipCounter skips) {
            this.task = task;
            this.layout = layout;
            this.file = file;
            this.skips = skips;
            if (!layout.hasHeader()) {
                columns = layout.columns();
                textA = Integer.parseInt(layout.textA());
                label = layout.label() == null ? -1 : Integer.parseInt(layout.label());
            }
        }

        void line(byte[] b, int off, int len, long lineNo) throws IOException {
            if (lineNo == 1 && layout.hasHeader()) {
                header(new String(b, off, len, StandardCharsets.UTF_8).split("\t", -1));
                return;
            }
            long row = dataRow++;
            if (len == 0) {
                skips.skip(EMPTY_LINE, file, lineNo, "empty line; expected a " + task + " row");
                return;
            }
            int bad = Utf8.firstInvalid(b, off, len);
            if (bad >= 0) {
                skips.skip(NON_UTF8, file, lineNo, String.format("byte 0x%02X at byte column %d is not UTF-8;"
                        + " expected UTF-8 text", b[bad] & 0xFF, bad - off + 1));
                return;
            }
            String[] f = new String(b, off, len, StandardCharsets.UTF_8).split("\t", -1);
            if (f.length != columns) {
                skips.skip(WRONG_COLUMN_COUNT, file, lineNo, f.length + " tab-separated columns; expected "
                        + columns + " (" + layout.headerLine() + ")");
                return;
            }
            Integer idx = index < 0 ? Integer.valueOf((int) row) : parseIndex(f[index], lineNo);
            if (idx == null) {
                return;
            }
            String a = f[textA];
            String bText = textB < 0 ? null : f[textB];
            if (label < 0) {
                examples.add(GlueExample.unlabelled(idx, a, bText));
            } else if (task.isRegression()) {
                Float s = parseScore(f[label], lineNo);
                if (s != null) {
                    examples.add(GlueExample.scored(idx, a, bText, s));
                }
            } else {
                int id = task.labelId(f[label]);
                if (id < 0) {
                    skips.skip(UNPARSABLE_LABEL, file, lineNo, "label '" + excerpt(f[label]) + "' in "
                            + columnName(label) + "; expected one of " + task.labelTokens());
                    return;
                }
                examples.add(GlueExample.classified(idx, a, bText, id));
            }
        }

        private void header(String[] h) throws IOException {
            fileHeader = h;
            columns = h.length;
            index = layout.index() == null ? -1 : find(h, layout.index());
            textA = find(h, layout.textA());
            textB = layout.textB() == null ? -1 : find(h, layout.textB());
            label = layout.label() == null ? -1 : find(h, layout.label());
        }

        private int find(String[] h, String name) throws IOException {
            for (int i = 0; i < h.length; i++) {
                if (h[i].equals(name)) {
                    return i;
                }
            }
            throw new IOException(file + ":1: header '" + excerpt(String.join("\\t", h)) + "' has no column '" + name
                    + "'; expected the " + task + " header " + layout.headerLine());
        }

        private Integer parseIndex(String s, long lineNo) throws IOException {
            try {
                return Integer.parseInt(s.trim());
            } catch (NumberFormatException e) {
                skips.skip(MALFORMED_ROW, file, lineNo, "index '" + excerpt(s) + "' in "
                        + columnName(index) + " is not an integer; expected a non-negative integer");
                return null;
            }
        }

        private Float parseScore(String s, long lineNo) throws IOException {
            float v;
            try {
                v = Float.parseFloat(s.trim());
            } catch (NumberFormatException e) {
                v = Float.NaN;
            }
            if (!(v >= 0f && v <= 5f)) {
                skips.skip(UNPARSABLE_LABEL, file, lineNo, "score '" + excerpt(s) + "' in " + columnName(label)
                        + "; expected a number in [0, 5]");
                return null;
            }
            return v;
        }

        private String columnName(int col) {
            return fileHeader != null ? "'" + fileHeader[col] + "' (column " + (col + 1) + ")" : "column " + (col + 1);
        }
    }

    static String excerpt(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}
