package dev.sparkmoe.data.domainbed;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * Reads scikit-learn's {@code digits.csv.gz} (the UCI optical digits: per row 64 pixel values
 * {@code 0..16} of an 8×8 image, row-major, then the label {@code 0..9}; gzip or plain text)
 * into {@link GrayImages}. Pixels are scaled to bytes as {@code round(v·255/16)} (halves up),
 * so 16 becomes 255 and the images enter the same pipeline as MNIST's. Every malformed row
 * is an error naming the file, the line, the value and what was expected (the file is small
 * and fixed: nothing is skipped). Blocks while reading.
 */
public final class DigitsCsv {
    /** Pixels per row. */
    public static final int PIXELS = 64;

    private DigitsCsv() {}

    /** Reads a digits CSV file through Hadoop's {@code FileSystem}. */
    public static GrayImages read(Path file, Configuration conf) throws IOException {
        try (InputStream in = file.getFileSystem(conf).open(file)) {
            return read(in, file.toString());
        }
    }

    /**
     * Reads a digits CSV stream (gzip detected from the content).
     *
     * @param name the file name used in error messages
     */
    public static GrayImages read(InputStream raw, String name) throws IOException {
        java.io.BufferedInputStream in = new java.io.BufferedInputStream(raw);
        in.mark(2);
        boolean gz = in.read() == 0x1f && in.read() == 0x8b;
        in.reset();
        BufferedReader r = new BufferedReader(new InputStreamReader(gz ? new GZIPInputStream(in) : in, StandardCharsets.US_ASCII));
        java.io.ByteArrayOutputStream pixels = new java.io.ByteArrayOutputStream();
        int[] labels = new int[2048];
        int count = 0;
        int lineNo = 0;
        for (String line; (line = r.readLine()) != null; ) {
            lineNo++;
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split(",", -1);
            if (f.length != PIXELS + 1) {
                throw new IOException(name + ":" + lineNo + ": " + f.length + " fields; expected " + (PIXELS + 1)
                        + " (64 pixels 0..16 and a label 0..9)");
            }
            for (int k = 0; k < PIXELS; k++) {
                int v = parse(name, lineNo, f[k], 16, "pixel " + k);
                pixels.write((v * 255 + 8) / 16);
            }
            if (count == labels.length) {
                labels = java.util.Arrays.copyOf(labels, count * 2);
            }
            labels[count++] = parse(name, lineNo, f[PIXELS], 9, "label");
        }
        return new GrayImages(count, 8, 8, pixels.toByteArray(), java.util.Arrays.copyOf(labels, count));
    }

    private static int parse(String name, int line, String s, int max, String what) throws IOException {
        String t = s.trim();
        int v;
        try {
            v = t.contains(".") ? (int) Math.round(Double.parseDouble(t)) : Integer.parseInt(t);
            if (t.contains(".") && Double.parseDouble(t) != v) {
                v = -1;
            }
        } catch (NumberFormatException e) {
            v = -1;
        }
        if (v < 0 || v > max) {
            throw new IOException(name + ":" + line + ": " + what + " '" + s + "'; expected an integer 0.." + max);
        }
        return v;
    }
}
