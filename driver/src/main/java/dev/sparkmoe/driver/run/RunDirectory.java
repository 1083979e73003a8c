package dev.sparkmoe.driver.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A run's output folder on any Hadoop file system ({@code file://}, {@code hdfs://},
 * {@code s3a://}): the resolved config, {@code metrics.jsonl} (one JSON object per step) and
 * {@code events.jsonl} (controller events). Lines are flushed as they are written, so a
 * crashed run keeps everything up to its last step. Driver side only.
 */
public final class RunDirectory implements Closeable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final FileSystem fs;
    private final Path dir;
    private final FSDataOutputStream metrics;
    private final FSDataOutputStream events;

    /** Creates (or reuses) {@code dir} and starts fresh metric and event files in it. */
    public RunDirectory(String dir, Configuration hadoop) {
        try {
            this.dir = new Path(dir);
            this.fs = this.dir.getFileSystem(hadoop);
            fs.mkdirs(this.dir);
            this.metrics = fs.create(new Path(this.dir, "metrics.jsonl"), true);
            this.events = fs.create(new Path(this.dir, "events.jsonl"), true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create run directory " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Fully qualified location of the run directory. */
    public String location() { return fs.makeQualified(dir).toString(); }

    /** Writes {@code name} (e.g. the resolved config) into the run directory, replacing it. */
    public void writeText(String name, String text) {
        try (FSDataOutputStream out = fs.create(new Path(dir, name), true)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + new Path(dir, name) + ": " + e.getMessage(), e);
        }
    }

    /** Appends one JSON object as a line of {@code metrics.jsonl}. */
    public void metric(Map<String, Object> record) { appendLine(metrics, record); }

    /** Appends one JSON object as a line of {@code events.jsonl}. */
    public void event(Map<String, Object> record) { appendLine(events, record); }

    private void appendLine(FSDataOutputStream out, Map<String, Object> record) {
        try {
            out.write(JSON.writeValueAsBytes(record));
            out.write('\n');
            out.hflush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + dir + ": " + e.getMessage(), e);
        }
    }

    @Override public void close() {
        try {
            metrics.close();
            events.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close files in " + dir + ": " + e.getMessage(), e);
        }
    }
}
