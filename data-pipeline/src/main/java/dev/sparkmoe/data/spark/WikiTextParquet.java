package dev.sparkmoe.data.spark;

import static org.apache.spark.sql.functions.col;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.storage.StorageLevel;

/**
 * A WikiText parquet export, as dataset hubs serve it: one string column (normally {@code text}),
 * one row per line of the original file, headings ({@code " = Title = "}) and empty strings
 * included, rows in file order; a split may be several files, ordered by path
 * ({@code train-00000-of-00002.parquet}, ...). Read with Spark SQL; the line order comes from the
 * hidden {@code _metadata.file_path} and {@code _metadata.row_index} columns (Spark 3.5), sorted
 * by a range shuffle into {@code P} ordered pieces, so the token stream equals that of the
 * equivalent {@code .tokens}/{@code .raw} text file. A null value is skipped and counted
 * ({@code null-text}).
 *
 * <p>{@link #open} runs on the driver, starts the sort job and persists the pieces
 * ({@code MEMORY_AND_DISK}, compact {@link LineChunk}s) until {@link #unpersist}.
 */
public final class WikiTextParquet extends WikiTextSource<LineChunk> {
    private static final long serialVersionUID = 1L;

    private final transient JavaRDD<LineChunk> chunks;
    private final String path;

    private WikiTextParquet(JavaRDD<LineChunk> chunks, String path) {
        this.chunks = chunks;
        this.path = path;
    }

    /**
     * Driver side: reads {@code path} (a parquet file or folder, any Hadoop file system) and
     * sorts its lines into {@code pieces} ordered pieces (a job; blocks).
     *
     * @param column the string column, normally {@code text}
     * @throws IllegalArgumentException naming path, column and the columns found if the column is
     *         missing or not a string
     */
    public static WikiTextParquet open(SparkSession spark, String path, String column, int pieces) {
        if (pieces < 1) {
            throw new IllegalArgumentException("pieces=" + pieces + " for " + path + "; expected >= 1");
        }
        Dataset<Row> df = spark.read().parquet(path);
        StructField field = Arrays.stream(df.schema().fields()).filter(f -> f.name().equals(column)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("parquet " + path + " has no column '" + column
                        + "'; found " + Arrays.toString(df.schema().fieldNames()) + "; expected a string column"));
        DataType type = field.dataType();
        if (!type.equals(DataTypes.StringType)) {
            throw new IllegalArgumentException("parquet " + path + " column '" + column + "' has type "
                    + type.simpleString() + "; expected string");
        }
        Dataset<Row> lines = df.select(col(column), col("_metadata.file_path").as("f"),
                        col("_metadata.row_index").as("r"))
                .repartitionByRange(pieces, col("f"), col("r"))
                .sortWithinPartitions(col("f"), col("r"));
        JavaRDD<LineChunk> chunks = lines.javaRDD().mapPartitions(it -> List.of(chunk(it)).iterator(), true)
                .persist(StorageLevel.MEMORY_AND_DISK());
        chunks.count();
        return new WikiTextParquet(chunks, path);
    }

    /** Executor side: packs one sorted partition of rows. */
    private static LineChunk chunk(Iterator<Row> it) {
        List<String> files = new ArrayList<>();
        int n = 0;
        int[] fileOf = new int[1024];
        long[] rows = new long[1024];
        int[] starts = new int[1024];
        int[] lengths = new int[1024];
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        while (it.hasNext()) {
            Row r = it.next();
            if (n == rows.length) {
                fileOf = Arrays.copyOf(fileOf, 2 * n);
                rows = Arrays.copyOf(rows, 2 * n);
                starts = Arrays.copyOf(starts, 2 * n);
                lengths = Arrays.copyOf(lengths, 2 * n);
            }
            String f = r.getString(1);
            if (files.isEmpty() || !files.get(files.size() - 1).equals(f)) {
                files.add(f);
            }
            fileOf[n] = files.size() - 1;
            rows[n] = r.getLong(2);
            starts[n] = data.size();
            if (r.isNullAt(0)) {
                lengths[n] = -1;
            } else {
                byte[] b = r.getString(0).getBytes(StandardCharsets.UTF_8);
                data.write(b, 0, b.length);
                lengths[n] = b.length;
            }
            n++;
        }
        return new LineChunk(files.toArray(new String[0]), Arrays.copyOf(fileOf, n), Arrays.copyOf(rows, n),
                Arrays.copyOf(starts, n), Arrays.copyOf(lengths, n), data.toByteArray());
    }

    @Override
    public JavaRDD<LineChunk> pieces() {
        return chunks;
    }

    @Override
    public String name() {
        return path;
    }

    @Override
    public void forEachLine(Iterator<LineChunk> records, LineHandler handler) throws IOException {
        while (records.hasNext()) {
            LineChunk c = records.next();
            for (int i = 0; i < c.size(); i++) {
                byte[] b = c.lengths()[i] < 0 ? null : c.data();
                if (!handler.line(b, c.starts()[i], Math.max(c.lengths()[i], 0), c.files()[c.fileOf()[i]],
                        c.rows()[i])) {
                    return;
                }
            }
        }
    }

    /** Releases the persisted pieces (driver side; non-blocking). */
    public void unpersist() {
        chunks.unpersist(false);
    }

    @Override
    public String toString() {
        return "WikiTextParquet(" + path + ", " + chunks.getNumPartitions() + " pieces)";
    }
}
