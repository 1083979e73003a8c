package dev.sparkmoe.data.spark;

import java.io.IOException;
import java.io.Serializable;
import java.util.Iterator;
import org.apache.spark.api.java.JavaRDD;

/**
 * A WikiText line stream cut into ordered <em>pieces</em>: partition {@code i} of
 * {@link #pieces()} yields the lines of piece {@code i}, and pieces in partition order are the
 * lines in corpus order. Implementations: {@link WikiTextTextSource} (byte ranges of a
 * {@code wiki.*.tokens}/{@code .raw} file, read with Hadoop's FileSystem inside tasks) and
 * {@link WikiTextParquet} (rows of a parquet export, read with Spark SQL).
 *
 * <p>{@link #pieces()} runs on the driver (builds the RDD lazily, starts no job unless the
 * implementation says so); {@link #forEachLine} runs in executor tasks. Serialisable: it is
 * captured by task closures.
 *
 * @param <T> the record type of the pieces RDD
 */
public abstract class WikiTextSource<T> implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Receives the lines of one piece, in order (executor side). */
    @FunctionalInterface
    public interface LineHandler {
        /**
         * One line {@code b[off, off+len)} (UTF-8 as stored, no line end), or {@code b == null} for
         * a record that holds no line (a null parquet value).
         *
         * @param source   file the line came from
         * @param position byte offset (text) or row index (parquet)
         * @return false to stop reading this piece
         */
        boolean line(byte[] b, int off, int len, String source, long position) throws IOException;
    }

    /** The pieces as an RDD, one piece per partition, in corpus order (driver side). */
    public abstract JavaRDD<T> pieces();

    /** A short name for messages, e.g. the path. */
    public abstract String name();

    /** Feeds the lines of one partition's records to {@code handler} (executor side; blocks). */
    public abstract void forEachLine(Iterator<T> records, LineHandler handler) throws IOException;
}
