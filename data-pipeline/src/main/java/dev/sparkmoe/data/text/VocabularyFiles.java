package dev.sparkmoe.data.text;

import java.io.BufferedWriter;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The vocabulary file format through Hadoop's FileSystem (package-private). Kept apart from
 * {@link Vocabulary} so that a process without Hadoop on its classpath can still use a
 * vocabulary in memory.
 */
final class VocabularyFiles {
    private static final String HEADER_PREFIX = "#spark-moe vocabulary ";
    private static final Pattern HEADER = Pattern.compile("#spark-moe vocabulary format=(\\d+) size=(\\d+)");

    private VocabularyFiles() {}

    static void save(String[] tokens, Path file, Configuration conf) throws IOException {
        FileSystem fs = file.getFileSystem(conf);
        try (Writer w = new BufferedWriter(new OutputStreamWriter(fs.create(file, true), StandardCharsets.UTF_8))) {
            w.write(HEADER_PREFIX + "format=" + Vocabulary.FORMAT_VERSION + " size=" + tokens.length + "\n");
            for (String t : tokens) {
                w.write(t);
                w.write('\n');
            }
        }
    }

    /** The tokens of {@code file}, index = id; the header and the count are checked here, the tokens by Vocabulary. */
    static List<String> load(Path file, Configuration conf) throws IOException {
        FileSystem fs = file.getFileSystem(conf);
        if (!fs.exists(file)) {
            throw new FileNotFoundException("vocabulary file not found: " + file);
        }
        byte[] bytes;
        try (var in = fs.open(file)) {
            bytes = in.readAllBytes();
        }
        List<String> lines = utf8Lines(bytes, file);
        int declared = parseHeader(lines.isEmpty() ? null : lines.get(0), file);
        List<String> tokens = lines.subList(Math.min(1, lines.size()), lines.size());
        if (tokens.size() != declared) {
            throw new IOException(file + ": header declares size=" + declared + " but the file holds "
                    + tokens.size() + " tokens");
        }
        return tokens;
    }

    /** The '\n'-separated lines (a final '\n' ends the last line), each decoded strictly. */
    private static List<String> utf8Lines(byte[] bytes, Path file) throws IOException {
        var decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        List<String> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= bytes.length; i++) {
            if (i == bytes.length ? i > start : bytes[i] == '\n') {
                try {
                    lines.add(decoder.decode(ByteBuffer.wrap(bytes, start, i - start)).toString());
                } catch (CharacterCodingException e) {
                    throw new IOException(file + ":" + (lines.size() + 1)
                            + ": bytes that are not UTF-8; expected a UTF-8 vocabulary file", e);
                }
                start = i + 1;
            }
        }
        return lines;
    }

    private static int parseHeader(String header, Path file) throws IOException {
        String expected = "'" + HEADER_PREFIX + "format=" + Vocabulary.FORMAT_VERSION + " size=N'";
        if (header == null) {
            throw new IOException(file + ":1: empty file; expected the header " + expected);
        }
        Matcher m = HEADER.matcher(header);
        if (!m.matches()) {
            String shown = header.length() <= 60 ? header : header.substring(0, 57) + "...";
            throw new IOException(file + ":1: bad header '" + shown + "'; expected " + expected);
        }
        int version = Integer.parseInt(m.group(1));
        if (version != Vocabulary.FORMAT_VERSION) {
            throw new IOException(file + ":1: unsupported vocabulary format=" + version
                    + "; expected format=" + Vocabulary.FORMAT_VERSION);
        }
        try {
            return Integer.parseInt(m.group(2));
        } catch (NumberFormatException e) {
            throw new IOException(file + ":1: size=" + m.group(2) + " is not an int", e);
        }
    }
}
