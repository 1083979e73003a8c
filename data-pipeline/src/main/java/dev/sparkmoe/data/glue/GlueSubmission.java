package dev.sparkmoe.data.glue;

import java.io.BufferedReader;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * GLUE submission files: one per task ({@code CoLA.tsv}, {@code SST-2.tsv}, {@code MRPC.tsv},
 * {@code STS-B.tsv}, {@code QQP.tsv}, {@code MNLI-m.tsv}, {@code MNLI-mm.tsv}, {@code QNLI.tsv},
 * {@code RTE.tsv}, {@code WNLI.tsv}, {@code AX.tsv}), header {@code index\tprediction}, one row
 * per test example in the order given. Predictions are spelled as GLUE expects: the task's
 * {@link GlueTask#labelTokens()} ({@code 0}/{@code 1}, or {@code entailment}/...), STS-B
 * scores as decimal floats ({@link Float#toString}, unclamped).
 *
 * <p>Written through Hadoop's FileSystem to {@code NAME.tmp} then renamed, so a reader never
 * sees half a file. Runs on the driver; blocks until the file is closed.
 */
public final class GlueSubmission {
    /** The header line of every submission file. */
    public static final String HEADER = "index\tprediction";

    private GlueSubmission() {}

    /** Read-back of a submission file: indices and label ids (classification) or scores (STS-B). */
    public record Predictions(int[] indices, int[] labels, float[] scores) {}

    /**
     * The submission file name for {@code task}'s {@code split}: MNLI's matched splits give
     * {@code MNLI-m.tsv}, its mismatched ones {@code MNLI-mm.tsv}.
     *
     * @throws IllegalArgumentException for a split the task does not have, or MNLI's train split
     */
    public static String fileName(GlueTask task, GlueSplit split) {
        task.checkSplit(split);
        if (task == GlueTask.MNLI) {
            return switch (split) {
                case DEV_MATCHED, TEST_MATCHED -> "MNLI-m.tsv";
                case DEV_MISMATCHED, TEST_MISMATCHED -> "MNLI-mm.tsv";
                default -> throw new IllegalArgumentException("MNLI " + split
                        + " has no submission file; expected a matched or mismatched split");
            };
        }
        return task.displayName() + ".tsv";
    }

    /**
     * Writes class predictions ({@code labels[i]} for example {@code indices[i]}) to
     * {@code dir/fileName(task, split)} (overwriting); returns that path.
     *
     * @throws IllegalArgumentException for STS-B, unequal lengths, or a label id outside the task's
     */
    public static Path write(Path dir, GlueTask task, GlueSplit split, int[] indices, int[] labels, Configuration conf)
            throws IOException {
        if (task.isRegression()) {
            throw new IllegalArgumentException(task + " predictions are scores; expected writeScores");
        }
        checkLength(indices.length, labels.length);
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        for (int i = 0; i < indices.length; i++) {
            int l = labels[i];
            if (l < 0 || l >= task.labelTokens().size()) {
                throw new IllegalArgumentException("prediction " + l + " for example " + indices[i] + " (row " + i
                        + "); expected a " + task + " label id in [0, " + task.labelTokens().size() + ")");
            }
            sb.append(indices[i]).append('\t').append(task.labelTokens().get(l)).append('\n');
        }
        return writeText(new Path(dir, fileName(task, split)), sb, conf);
    }

    /**
     * Writes STS-B score predictions to {@code dir/STS-B.tsv} (overwriting); returns that path.
     *
     * @throws IllegalArgumentException for a classification task, unequal lengths, or a score
     *         that is not finite
     */
    public static Path writeScores(Path dir, GlueTask task, GlueSplit split, int[] indices, float[] scores,
                                   Configuration conf) throws IOException {
        if (!task.isRegression()) {
            throw new IllegalArgumentException(task + " predictions are labels; expected write");
        }
        checkLength(indices.length, scores.length);
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        for (int i = 0; i < indices.length; i++) {
            if (!Float.isFinite(scores[i])) {
                throw new IllegalArgumentException("score " + scores[i] + " for example " + indices[i] + " (row " + i
                        + "); expected a finite number");
            }
            sb.append(indices[i]).append('\t').append(scores[i]).append('\n');
        }
        return writeText(new Path(dir, fileName(task, split)), sb, conf);
    }

    /**
     * Reads a submission file of {@code task} back.
     *
     * @throws FileNotFoundException naming the path
     * @throws IOException naming file, line and value for a wrong header, column count, index or prediction
     */
    public static Predictions read(Path file, GlueTask task, Configuration conf) throws IOException {
        FileSystem fs = file.getFileSystem(conf);
        if (!fs.exists(file)) {
            throw new FileNotFoundException("GLUE submission file not found: " + file);
        }
        int[] idx = new int[256];
        int[] labels = new int[256];
        float[] scores = new float[256];
        int n = 0;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(fs.open(file), StandardCharsets.UTF_8))) {
            String line = r.readLine();
            if (!HEADER.equals(line)) {
                throw new IOException(file + ":1: header '" + line + "'; expected '"
                        + HEADER.replace("\t", "\\t") + "'");
            }
            long lineNo = 1;
            while ((line = r.readLine()) != null) {
                lineNo++;
                String[] f = line.split("\t", -1);
                if (f.length != 2) {
                    throw new IOException(file + ":" + lineNo + ": " + f.length
                            + " columns; expected 2 (index, prediction)");
                }
                if (n == idx.length) {
                    idx = Arrays.copyOf(idx, n * 2);
                    labels = Arrays.copyOf(labels, n * 2);
                    scores = Arrays.copyOf(scores, n * 2);
                }
                idx[n] = parse(file, lineNo, "index", f[0], () -> Integer.parseInt(f[0]));
                if (task.isRegression()) {
                    scores[n] = parse(file, lineNo, "score", f[1], () -> Float.parseFloat(f[1]));
                    labels[n] = GlueExample.NO_LABEL;
                } else {
                    labels[n] = task.labelId(f[1]);
                    scores[n] = Float.NaN;
                    if (labels[n] < 0) {
                        throw new IOException(file + ":" + lineNo + ": prediction '" + f[1] + "'; expected one of "
                                + task.labelTokens());
                    }
                }
                n++;
            }
        }
        return new Predictions(Arrays.copyOf(idx, n), Arrays.copyOf(labels, n), Arrays.copyOf(scores, n));
    }

    private interface Parser<T> {
        T parse();
    }

    private static <T> T parse(Path file, long line, String what, String value, Parser<T> p) throws IOException {
        try {
            return p.parse();
        } catch (NumberFormatException e) {
            throw new IOException(file + ":" + line + ": " + what + " '" + value + "' is not a number; expected a "
                    + ("index".equals(what) ? "integer" : "float"), e);
        }
    }

    private static void checkLength(int indices, int predictions) {
        if (indices != predictions) {
            throw new IllegalArgumentException(indices + " indices but " + predictions
                    + " predictions; expected one prediction per index");
        }
    }

    private static Path writeText(Path target, CharSequence text, Configuration conf) throws IOException {
        FileSystem fs = target.getFileSystem(conf);
        fs.mkdirs(target.getParent());
        Path tmp = new Path(target.getParent(), target.getName() + ".tmp");
        try (OutputStream out = fs.create(tmp, true); Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8)) {
            w.append(text);
        }
        if (fs.exists(target) && !fs.delete(target, false)) {
            throw new IOException("cannot replace " + target);
        }
        if (!fs.rename(tmp, target)) {
            throw new IOException("cannot rename " + tmp + " to " + target);
        }
        return target;
    }
}
