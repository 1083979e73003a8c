package dev.sparkmoe.data.glue;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * The splits of one GLUE task, each a {@link GlueData} with its {@link dev.sparkmoe.data.SkipReport},
 * loaded from a GLUE directory in the original TSV layout ({@link #loadTsv}), from the hubs'
 * parquet export ({@link #loadParquet}), or from the embedded CoLA-format task ({@link #embedded}).
 * {@link #load} picks the TSV directory when one is given, else the embedded task.
 *
 * <p>Splits default to all of {@link GlueTask#splits()} (MNLI: train, matched and mismatched dev
 * and test); a job that needs fewer names them, so a missing test file does not stop a fine-tune.
 * For MNLI, GLUE's diagnostic set is the task {@link GlueTask#AX} (predicted with the MNLI model):
 * load it with {@code loadTsv(GlueTask.AX, dir, ...)}.
 *
 * <p>Immutable; a driver-side value. Loading runs on the driver and blocks until every split is
 * read; a missing file fails with a {@link FileNotFoundException} naming the task, the split and
 * the paths looked for.
 */
public final class GlueTaskData {
    private final GlueTask task;
    private final String source;
    private final Map<GlueSplit, GlueData> splits;

    private GlueTaskData(GlueTask task, String source, Map<GlueSplit, GlueData> splits) {
        this.task = task;
        this.source = source;
        this.splits = Collections.unmodifiableMap(splits);
    }

    /**
     * All splits of {@code task} from the TSV directory {@code dir}, or of the embedded task when
     * {@code dir} is null (then {@code task} must be {@link EmbeddedGlue#TASK}).
     */
    public static GlueTaskData load(GlueTask task, Path dir, Configuration conf, boolean strict) throws IOException {
        return dir != null ? loadTsv(task, dir, task.splits(), conf, strict) : embedded(task, conf);
    }

    /**
     * {@code splits} of {@code task} from a GLUE root ({@code dir/CoLA/train.tsv}, ...) or the
     * task's own folder, read by {@link GlueTsvReader}.
     *
     * @throws FileNotFoundException naming the task, the split and every path looked for
     * @throws IOException from the reader (empty file, bad header; strict: the first bad row)
     */
    public static GlueTaskData loadTsv(GlueTask task, Path dir, List<GlueSplit> splits, Configuration conf,
                                       boolean strict) throws IOException {
        if (!dir.getFileSystem(conf).exists(dir)) {
            throw new FileNotFoundException("GLUE " + task + ": data directory not found: " + dir
                    + "; expected a GLUE root holding " + task.folder() + "/ or the " + task.folder() + " folder itself");
        }
        Map<GlueSplit, GlueData> out = new EnumMap<>(GlueSplit.class);
        for (GlueSplit split : checked(task, splits)) {
            try {
                out.put(split, GlueTsvReader.read(dir, task, split, conf, strict));
            } catch (FileNotFoundException e) {
                throw missing(task, split, dir, "the TSV file " + task.fileName(split), e);
            }
        }
        return new GlueTaskData(task, dir.toString(), out);
    }

    /**
     * {@code splits} of {@code task} from the hubs' parquet export under {@code dir} (a root of
     * task-config folders, or one config folder), read by {@link GlueParquetReader} on the driver.
     *
     * @throws FileNotFoundException naming the task, the split and what was looked for
     */
    public static GlueTaskData loadParquet(SparkSession spark, GlueTask task, Path dir, List<GlueSplit> splits,
                                           boolean strict) throws IOException {
        Map<GlueSplit, GlueData> out = new EnumMap<>(GlueSplit.class);
        for (GlueSplit split : checked(task, splits)) {
            try {
                out.put(split, GlueParquetReader.read(spark, dir, task, split, strict));
            } catch (FileNotFoundException e) {
                throw missing(task, split, dir, "parquet files " + split.hubName() + "-*.parquet", e);
            }
        }
        return new GlueTaskData(task, dir.toString(), out);
    }

    /**
     * The embedded CoLA-format task ({@link EmbeddedGlue}): train, dev, and the test split
     * <em>with</em> its labels ({@code test_labelled.tsv}: the same rows and indices as
     * {@code test.tsv}), so an evaluation job can score test as well as write its submission.
     *
     * @throws IllegalArgumentException if {@code task} is not the embedded task, naming both
     */
    public static GlueTaskData embedded(GlueTask task, Configuration conf) throws IOException {
        if (task != EmbeddedGlue.TASK) {
            throw new IllegalArgumentException("GLUE " + task + " needs a data directory; only "
                    + EmbeddedGlue.TASK + " is embedded (expected a GLUE directory for " + task + ")");
        }
        Map<GlueSplit, GlueData> out = new EnumMap<>(GlueSplit.class);
        out.put(GlueSplit.TRAIN, EmbeddedGlue.read(GlueSplit.TRAIN, conf));
        out.put(GlueSplit.DEV, EmbeddedGlue.read(GlueSplit.DEV, conf));
        out.put(GlueSplit.TEST, EmbeddedGlue.readLabelledTest(conf));
        return new GlueTaskData(task, "embedded " + EmbeddedGlue.localPath(), out);
    }

    private static List<GlueSplit> checked(GlueTask task, List<GlueSplit> splits) {
        if (splits.isEmpty()) {
            throw new IllegalArgumentException("no splits asked of GLUE " + task + "; expected some of " + task.splits());
        }
        splits.forEach(task::checkSplit);
        return splits;
    }

    private static FileNotFoundException missing(GlueTask task, GlueSplit split, Path dir, String what,
                                                 FileNotFoundException cause) {
        FileNotFoundException e = new FileNotFoundException("GLUE " + task + " " + split + ": expected " + what
                + " under " + dir + ": " + cause.getMessage());
        e.initCause(cause);
        return e;
    }

    /** The task. */
    public GlueTask task() {
        return task;
    }

    /** Where the splits came from (the directory, or {@code embedded ...}). */
    public String source() {
        return source;
    }

    /** The splits loaded, in GLUE's order. */
    public List<GlueSplit> splits() {
        return new ArrayList<>(splits.keySet());
    }

    /** Whether {@code split} was loaded. */
    public boolean has(GlueSplit split) {
        return splits.containsKey(split);
    }

    /**
     * The data of {@code split}.
     *
     * @throws IllegalArgumentException if it was not loaded, listing those that were
     */
    public GlueData split(GlueSplit split) {
        GlueData d = splits.get(split);
        if (d == null) {
            throw new IllegalArgumentException("GLUE " + task + " split " + split + " was not loaded; loaded: "
                    + splits.keySet());
        }
        return d;
    }

    /** The loaded splits that are for evaluation (dev, and test when its labels are known). */
    public List<GlueSplit> labelledEvaluationSplits() {
        List<GlueSplit> out = new ArrayList<>();
        for (Map.Entry<GlueSplit, GlueData> e : splits.entrySet()) {
            if (e.getKey() != GlueSplit.TRAIN && !e.getValue().examples().isEmpty()
                    && e.getValue().examples().get(0).hasLabel()) {
                out.add(e.getKey());
            }
        }
        return out;
    }

    /** One line per split: its size, source and what was skipped (for the job's log and record). */
    public String summary() {
        StringBuilder sb = new StringBuilder("GLUE " + task + " from " + source);
        for (GlueData d : splits.values()) {
            sb.append('\n').append("  ").append(d.split()).append(": ").append(d.size()).append(" examples from ")
                    .append(d.source()).append("; skipped ").append(d.skips());
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return "GlueTaskData(" + task + ", " + splits.keySet() + " from " + source + ")";
    }
}
