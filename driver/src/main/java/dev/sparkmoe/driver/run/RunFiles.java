package dev.sparkmoe.driver.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Whole files a job writes into its run directory through Hadoop's FileSystem (results,
 * selections, tables, charts), replacing what was there, and the indented JSON they hold.
 */
public final class RunFiles {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private RunFiles() {}

    /** Writes {@code bytes} to {@code file} (any Hadoop path); an I/O error names the file. */
    public static void write(Path file, byte[] bytes, Configuration hadoop) {
        try (FSDataOutputStream o = file.getFileSystem(hadoop).create(file, true)) {
            o.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** Writes {@code text} as UTF-8 to {@code file}. */
    public static void writeText(Path file, String text, Configuration hadoop) {
        write(file, text.getBytes(StandardCharsets.UTF_8), hadoop);
    }

    /** {@code value} (maps, lists, numbers, strings) as indented JSON. */
    public static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render as JSON: " + e.getMessage(), e);
        }
    }
}
