package dev.sparkmoe.driver.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a JSON-lines file of a run directory through Hadoop's FileSystem, one object per line,
 * and turns each into a value. A line that is not a JSON object, or that the converter rejects,
 * fails with the file and the 1-based line number. The exception: a last line without its
 * newline that does not parse is what a run killed mid-write leaves, so it is dropped and
 * reported through {@link Result#truncated()} instead.
 */
final class JsonLines {
    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonLines() {}

    /** Converts one parsed line; throws {@link IllegalArgumentException} with what is wrong. */
    interface Converter<T> {
        T convert(JsonNode line);
    }

    /**
     * @param values    one value per non-blank line that the converter accepted (it may return
     *                  null to skip a line)
     * @param truncated whether an unterminated, unparseable last line was dropped
     */
    record Result<T>(List<T> values, boolean truncated) {}

    /**
     * Reads {@code file}; blank lines are skipped.
     *
     * @throws IllegalArgumentException naming the file and line of the first corrupt line
     * @throws IOException              when the file cannot be read
     */
    static <T> Result<T> read(FileSystem fs, Path file, Converter<T> converter) throws IOException {
        String text;
        try (FSDataInputStream in = fs.open(file)) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String[] lines = text.split("\n", -1);
        List<T> values = new ArrayList<>();
        boolean truncated = false;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty()) continue;
            boolean unterminated = i == lines.length - 1;
            JsonNode node;
            try {
                node = JSON.readTree(line);
            } catch (JsonProcessingException e) {
                if (unterminated) {
                    truncated = true;
                    continue;
                }
                throw corrupt(file, i, "not JSON: " + e.getOriginalMessage());
            }
            if (node == null || !node.isObject()) throw corrupt(file, i, "not a JSON object");
            try {
                T value = converter.convert(node);
                if (value != null) values.add(value);
            } catch (IllegalArgumentException e) {
                throw corrupt(file, i, e.getMessage());
            }
        }
        return new Result<>(values, truncated);
    }

    private static IllegalArgumentException corrupt(Path file, int index, String what) {
        return new IllegalArgumentException(file + " line " + (index + 1) + ": " + what);
    }

    /** A required number. */
    static double number(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isNumber()) throw new IllegalArgumentException("\"" + field + "\" must be a number, got " + v);
        return v.asDouble();
    }

    /** An optional number; NaN when absent. */
    static double optionalNumber(JsonNode n, String field) {
        return n.hasNonNull(field) ? number(n, field) : Double.NaN;
    }

    /** A required whole number. */
    static long whole(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isIntegralNumber()) {
            throw new IllegalArgumentException("\"" + field + "\" must be a whole number, got " + v);
        }
        return v.asLong();
    }

    /** A required array of numbers; null when absent and {@code optional}. */
    static double[] numbers(JsonNode n, String field, boolean optional) {
        JsonNode v = array(n, field, optional);
        if (v == null) return null;
        double[] out = new double[v.size()];
        for (int i = 0; i < out.length; i++) {
            if (!v.get(i).isNumber()) throw new IllegalArgumentException("\"" + field + "\"[" + i + "] must be a number, got " + v.get(i));
            out[i] = v.get(i).asDouble();
        }
        return out;
    }

    /** A required array of whole numbers. */
    static long[] wholes(JsonNode n, String field) {
        JsonNode v = array(n, field, false);
        long[] out = new long[v.size()];
        for (int i = 0; i < out.length; i++) {
            if (!v.get(i).isIntegralNumber()) {
                throw new IllegalArgumentException("\"" + field + "\"[" + i + "] must be a whole number, got " + v.get(i));
            }
            out[i] = v.get(i).asLong();
        }
        return out;
    }

    /** An array of arrays of whole numbers (per layer, per slot); null when absent and {@code optional}. */
    static long[][] wholeMatrix(JsonNode n, String field, boolean optional) {
        JsonNode v = array(n, field, optional);
        if (v == null) return null;
        long[][] out = new long[v.size()][];
        for (int i = 0; i < out.length; i++) {
            JsonNode row = v.get(i);
            if (!row.isArray()) throw new IllegalArgumentException("\"" + field + "\"[" + i + "] must be an array, got " + row);
            out[i] = new long[row.size()];
            for (int j = 0; j < out[i].length; j++) {
                if (!row.get(j).isIntegralNumber()) {
                    throw new IllegalArgumentException("\"" + field + "\"[" + i + "][" + j + "] must be a whole number, got " + row.get(j));
                }
                out[i][j] = row.get(j).asLong();
            }
        }
        return out;
    }

    private static JsonNode array(JsonNode n, String field, boolean optional) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            if (optional) return null;
            throw new IllegalArgumentException("\"" + field + "\" is missing");
        }
        if (!v.isArray()) throw new IllegalArgumentException("\"" + field + "\" must be an array, got " + v);
        return v;
    }
}
