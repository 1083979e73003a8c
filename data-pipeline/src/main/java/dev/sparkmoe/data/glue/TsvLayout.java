package dev.sparkmoe.data.glue;

import java.util.List;

/**
 * Where the fields of one GLUE TSV file live (package-private; {@link GlueTask} holds one per
 * task for labelled and one for unlabelled files).
 *
 * <p>With a header ({@code header != null}) columns are found by name in the file's first line
 * (so MNLI's train file, 12 columns, and dev files, 16 columns, share a layout) and every row
 * must have as many columns as the header. Without a header (CoLA train/dev) the columns are
 * at fixed positions and rows must have exactly {@code columns} fields.
 *
 * @param header  the canonical header (for messages and for locating columns), or null
 * @param columns the column count of a header-less file, else -1
 * @param index   the index column name (header) or position (no header, as a string), or null:
 *                then the index is the 0-based data row
 * @param textA   the first text column
 * @param textB   the second text column, or null
 * @param label   the label column, or null for unlabelled files
 */
record TsvLayout(List<String> header, int columns, String index, String textA, String textB, String label) {

    /** A layout located by header names; {@code header} is the canonical header line's columns. */
    static TsvLayout named(String header, String index, String textA, String textB, String label) {
        return new TsvLayout(List.of(header.split("\t", -1)), -1, index, textA, textB, label);
    }

    /** A header-less layout of {@code columns} fields at fixed positions. */
    static TsvLayout positional(int columns, int textA, int label) {
        return new TsvLayout(null, columns, null, Integer.toString(textA), null, Integer.toString(label));
    }

    /** Whether the file's first line is a header. */
    boolean hasHeader() {
        return header != null;
    }

    /** The canonical header, tab-separated, for messages. */
    String headerLine() {
        return header == null ? "(no header: " + columns + " columns)" : String.join("\\t", header);
    }
}
