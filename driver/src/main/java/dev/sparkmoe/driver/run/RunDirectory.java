package dev.sparkmoe.driver.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
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
        this(dir, hadoop, -1);
    }

    /**
     * Creates (or reuses) {@code dir}. With {@code resumeAt >= 0} (a run resumed from the
     * checkpoint after {@code resumeAt} steps) the metric and event files keep their records of
     * steps before {@code resumeAt} and drop the later ones, which the resumed run writes again
     * (and a last line a crash cut short);
     * otherwise they start fresh. Files are rewritten rather than appended to, as not every
     * Hadoop file system supports appends.
     */
    public RunDirectory(String dir, Configuration hadoop, long resumeAt) {
        try {
            this.dir = new Path(dir);
            this.fs = this.dir.getFileSystem(hadoop);
            fs.mkdirs(this.dir);
            this.metrics = restart(new Path(this.dir, "metrics.jsonl"), resumeAt);
            this.events = restart(new Path(this.dir, "events.jsonl"), resumeAt);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create run directory " + dir + ": " + e.getMessage(), e);
        }
    }

    private FSDataOutputStream restart(Path file, long resumeAt) throws IOException {
        List<JsonNode> kept = resumeAt >= 0 && fs.exists(file)
                ? JsonLines.read(fs, file, line -> JsonLines.whole(line, "step") < resumeAt ? line : null).values()
                : List.of();
        FSDataOutputStream out = fs.create(file, true);
        for (JsonNode line : kept) {
            out.write(JSON.writeValueAsBytes(line));
            out.write('\n');
        }
        out.hflush();
        return out;
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
