package dev.sparkmoe.driver.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.hadoop.fs.ChecksumFileSystem;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a JSON-lines file of a run directory ({@code metrics.jsonl}, {@code events.jsonl})
 * through Hadoop's FileSystem, one object per line, and turns each into a value. On a checksummed
 * file system (the local one) it reads the raw file: a run killed mid-write leaves a {@code .crc}
 * that no longer matches, and every line is checked by parsing anyway. A line that is not a JSON object, or that the converter rejects,
 * fails with the file and the 1-based line number. The exception: a last line without its
 * newline that does not parse is what a run killed mid-write leaves, so it is dropped and
 * reported through {@link Result#truncated()} instead.
 */
public final class JsonLines {
    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonLines() {}

    /** Converts one parsed line; throws {@link IllegalArgumentException} with what is wrong. */
    public interface Converter<T> {
        T convert(JsonNode line);
    }

    /**
     * @param values    one value per non-blank line that the converter accepted (it may return
     *                  null to skip a line)
     * @param truncated whether an unterminated, unparseable last line was dropped
     */
    public record Result<T>(List<T> values, boolean truncated) {}

    /**
     * Reads {@code file}; blank lines are skipped.
     *
     * @throws IllegalArgumentException naming the file and line of the first corrupt line
     * @throws IOException              when the file cannot be read
     */
    public static <T> Result<T> read(FileSystem fs, Path file, Converter<T> converter) throws IOException {
        if (fs instanceof ChecksumFileSystem checked) fs = checked.getRawFileSystem();
        List<T> values = new ArrayList<>();
        boolean truncated = false;
        // Character by character rather than readLine(), which cannot tell whether the last line
        // had its newline; and the file may grow while it is read (a running job).
        try (Reader in = new BufferedReader(new InputStreamReader(fs.open(file), StandardCharsets.UTF_8), 1 << 16)) {
            StringBuilder line = new StringBuilder();
            int index = 0;
            for (int c = in.read(); ; c = in.read()) {
                if (c != '\n' && c >= 0) {
                    line.append((char) c);
                    continue;
                }
                String text = line.toString().strip();
                if (!text.isEmpty() && parse(file, index, text, converter, values, c < 0)) truncated = true;
                if (c < 0) break;
                line.setLength(0);
                index++;
            }
        }
        return new Result<>(values, truncated);
    }

    /** Parses one line into {@code values}; true when it was an unterminated last line that did not parse. */
    private static <T> boolean parse(Path file, int index, String line, Converter<T> converter, List<T> values,
                                     boolean unterminated) {
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            if (unterminated) return true;
            throw corrupt(file, index, "not JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) throw corrupt(file, index, "not a JSON object");
        try {
            T value = converter.convert(node);
            if (value != null) values.add(value);
        } catch (IllegalArgumentException e) {
            throw corrupt(file, index, e.getMessage());
        }
        return false;
    }

    private static IllegalArgumentException corrupt(Path file, int index, String what) {
        return new IllegalArgumentException(file + " line " + (index + 1) + ": " + what);
    }

    /** A required number. */
    public static double number(JsonNode n, String field) {
        return asNumber(n.get(field), "\"" + field + "\"");
    }

    /** A number; Jackson writes non-finite doubles as the strings "NaN", "Infinity" and "-Infinity". */
    private static double asNumber(JsonNode v, String where) {
        if (v != null && v.isNumber()) return v.asDouble();
        if (v != null && v.isTextual()) {
            switch (v.asText()) {
                case "NaN": return Double.NaN;
                case "Infinity": return Double.POSITIVE_INFINITY;
                case "-Infinity": return Double.NEGATIVE_INFINITY;
                default: break;
            }
        }
        throw new IllegalArgumentException(where + " must be a number, got " + v);
    }

    /** An optional number; NaN when absent. */
    public static double optionalNumber(JsonNode n, String field) {
        return n.hasNonNull(field) ? number(n, field) : Double.NaN;
    }

    /** A required whole number. */
    public static long whole(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isIntegralNumber()) {
            throw new IllegalArgumentException("\"" + field + "\" must be a whole number, got " + v);
        }
        return v.asLong();
    }

    /** A required array of numbers; null when absent and {@code optional}. */
    public static double[] numbers(JsonNode n, String field, boolean optional) {
        JsonNode v = array(n, field, optional);
        if (v == null) return null;
        double[] out = new double[v.size()];
        for (int i = 0; i < out.length; i++) out[i] = asNumber(v.get(i), "\"" + field + "\"[" + i + "]");
        return out;
    }

    /** A required array of whole numbers. */
    public static long[] wholes(JsonNode n, String field) {
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
    public static long[][] wholeMatrix(JsonNode n, String field, boolean optional) {
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
