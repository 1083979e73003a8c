package dev.sparkmoe.data.glue;

import dev.sparkmoe.data.SkipCounter;
import dev.sparkmoe.data.SkipReport;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the parquet export of GLUE that dataset hubs serve: one folder per task config
 * ({@code cola}, {@code sst2}, {@code mrpc}, {@code qqp}, {@code stsb}, {@code mnli},
 * {@code qnli}, {@code rte}, {@code wnli}, {@code ax}) holding
 * {@code <split>-NNNNN-of-NNNNN.parquet} files ({@code train}, {@code validation},
 * {@code test}, {@code validation_matched}, ...), columns: the task's text columns
 * ({@link GlueTask#parquetTextA()}, {@link GlueTask#parquetTextB()}), {@code label} (class id
 * in the hubs' order, or the STS-B score; -1 on test) and {@code idx}.
 *
 * <p>Read with Spark SQL and collected to the driver (GLUE's largest split, MNLI train, is
 * 393K rows), sorted by {@code idx}. Skipped and counted (strict: fatal at the first, naming the
 * file(s) and the row): a null text ({@value GlueTsvReader#MALFORMED_ROW}), a label outside the
 * task's classes or an STS-B score outside [0, 5] on a labelled split
 * ({@value GlueTsvReader#UNPARSABLE_LABEL}). Always fatal: no file, a missing column.
 * Runs on the driver and blocks until the rows are collected.
 */
public final class GlueParquetReader {
    private static final Logger LOG = LoggerFactory.getLogger(GlueParquetReader.class);

    private GlueParquetReader() {}

    /** The hubs' config name of {@code task}: {@code sst2}, {@code stsb}, {@code ax}, ... */
    public static String configName(GlueTask task) {
        return task.displayName().toLowerCase(Locale.ROOT).replace("-", "");
    }

    /**
     * Reads {@code split} of {@code task} from {@code path}: a parquet file, a folder of part
     * files, or a hub export root / task-config folder in which the split's
     * {@code <split>-*.parquet} files are looked up.
     *
     * @throws FileNotFoundException naming what was tried
     * @throws IOException naming the files and the schema if a needed column is missing; in strict
     *         mode a {@link dev.sparkmoe.data.BadRecordException} at the first bad row
     */
    public static GlueData read(SparkSession spark, Path path, GlueTask task, GlueSplit split, boolean strict)
            throws IOException {
        task.checkSplit(split);
        List<String> files = locate(spark, path, task, split);
        String source = files.size() == 1 ? files.get(0) : path + " (" + files.size() + " files)";
        Dataset<Row> df = spark.read().parquet(files.toArray(new String[0]));
        List<String> columns = Arrays.asList(df.columns());
        List<String> want = new ArrayList<>(List.of(task.parquetTextA()));
        if (task.isPair()) {
            want.add(task.parquetTextB());
        }
        want.add("idx");
        if (split.labelled()) {
            want.add("label");
        }
        for (String c : want) {
            if (!columns.contains(c)) {
                throw new IOException(source + ": no column '" + c + "' in " + columns + "; expected the " + task
                        + " parquet columns " + want);
            }
        }
        List<Row> rows = df.select(want.get(0), want.subList(1, want.size()).toArray(new String[0])).collectAsList();
        return convert(rows, task, split, source, strict);
    }

    private static GlueData convert(List<Row> rows, GlueTask task, GlueSplit split, String source, boolean strict)
            throws IOException {
        SkipCounter skips = new SkipCounter(strict);
        List<GlueExample> out = new ArrayList<>(rows.size());
        int p = task.isPair() ? 1 : 0;
        long rowNo = 0;
        for (Row r : rows) {
            rowNo++;
            String a = r.isNullAt(0) ? null : r.getString(0);
            String b = task.isPair() && !r.isNullAt(1) ? r.getString(1) : null;
            if (a == null || task.isPair() && b == null || r.isNullAt(p + 1)) {
                skips.skip(GlueTsvReader.MALFORMED_ROW, source, rowNo, "null in " + Arrays.toString(
                        r.schema().fieldNames()) + " = " + r + "; expected text and idx");
                continue;
            }
            int idx = ((Number) r.get(p + 1)).intValue();
            if (!split.labelled()) {
                out.add(GlueExample.unlabelled(idx, a, b));
                continue;
            }
            Object l = r.get(p + 2);
            double v = l instanceof Number n ? n.doubleValue() : Double.NaN;
            if (task.isRegression() ? !(v >= 0 && v <= 5) : !(v >= 0 && v < task.numClasses() && v == Math.rint(v))) {
                skips.skip(GlueTsvReader.UNPARSABLE_LABEL, source, rowNo, "label " + l + " (idx " + idx + "); expected "
                        + (task.isRegression() ? "a score in [0, 5]" : "a class id in [0, " + task.numClasses() + ")"));
                continue;
            }
            out.add(task.isRegression() ? GlueExample.scored(idx, a, b, (float) v)
                    : GlueExample.classified(idx, a, b, (int) v));
        }
        out.sort(Comparator.comparingInt(GlueExample::index));
        SkipReport report = skips.report();
        if (report.total() > 0) {
            LOG.warn("{}: {}", source, report);
        }
        return new GlueData(task, split, source, out, report);
    }

    private static List<String> locate(SparkSession spark, Path path, GlueTask task, GlueSplit split)
            throws IOException {
        FileSystem fs = path.getFileSystem(spark.sparkContext().hadoopConfiguration());
        if (fs.isFile(path)) {
            return List.of(path.toString());
        }
        if (!fs.exists(path)) {
            throw new FileNotFoundException("GLUE parquet path not found: " + path);
        }
        List<Path> tried = List.of(new Path(path, split.hubName() + "-*.parquet"),
                new Path(new Path(path, configName(task)), split.hubName() + "-*.parquet"));
        for (Path glob : tried) {
            FileStatus[] hits = fs.globStatus(glob);
            if (hits != null && hits.length > 0) {
                return Arrays.stream(hits).map(s -> s.getPath().toString()).sorted().toList();
            }
        }
        FileStatus[] parts = fs.globStatus(new Path(path, "part-*.parquet"));
        if (parts != null && parts.length > 0) {
            return List.of(path.toString());
        }
        throw new FileNotFoundException("no GLUE " + task + " " + split + " parquet files under " + path + "; tried "
                + tried + " and " + new Path(path, "part-*.parquet"));
    }
}
