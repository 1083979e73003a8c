package dev.sparkmoe.driver.run;

import dev.sparkmoe.driver.config.JobConfig;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * The resolved configuration a run saved ({@code config.conf}), read back through Hadoop's
 * FileSystem (so from HDFS or S3 too) for jobs that continue from a run: fine-tuning from a
 * pretraining run, evaluating a finished run.
 */
public final class RunConfigs {
    private RunConfigs() {}

    /**
     * @param file      the saved {@code config.conf} (any Hadoop path)
     * @param overrides {@code key=value} overrides on top
     * @throws IllegalArgumentException naming the file when it is missing or does not validate
     */
    public static JobConfig load(String file, List<String> overrides, Configuration hadoop) {
        Path p = new Path(file);
        try {
            FileSystem fs = p.getFileSystem(hadoop);
            if (!fs.exists(p)) throw new IllegalArgumentException(p + " does not exist");
            return load(fs, p, overrides);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + p + ": " + e.getMessage(), e);
        }
    }

    /** {@link #load(String, List, Configuration)} on an open file system. */
    public static JobConfig load(FileSystem fs, Path config, List<String> overrides) throws IOException {
        // Typesafe Config reads local files; a copy makes any Hadoop path readable.
        File local = File.createTempFile("spark-moe-config", ".conf");
        try (InputStream in = fs.open(config)) {
            Files.copy(in, local.toPath(), StandardCopyOption.REPLACE_EXISTING);
            return JobConfig.load(local, overrides);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(config + ": " + e.getMessage(), e);
        } finally {
            if (!local.delete()) local.deleteOnExit();
        }
    }
}
