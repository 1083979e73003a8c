package dev.sparkmoe.data.glue;

import dev.sparkmoe.data.text.Whitespace;
import dev.sparkmoe.data.DataSeeds;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.xml.XMLConstants;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Converts LanguageTool's English grammar-rule examples ({@value #RESOURCE} in
 * {@code org.languagetool:language-en}, LGPL-2.1+) into a CoLA-format acceptability task.
 *
 * <p>What is taken: every {@code <example>} inside a {@code <rule>} of a {@code <category>}
 * whose id is in {@link Options#categories()} (GRAMMAR by default, DATA.md). An example with a
 * {@code correction} attribute (or {@code type="incorrect"}) is an unacceptable sentence
 * (label 0); one without correction and without type (or {@code type="correct"}) is acceptable
 * (label 1); other types ({@code triggers_error}) are left out. {@code <marker>} tags are
 * dropped, their text kept; whitespace runs become one space. The source column is the rule id
 * (the enclosing {@code <rulegroup>}'s id when the rule has none).
 *
 * <p>Dedupe: a sentence is kept once, at its first occurrence (file order); a sentence that
 * occurs with both labels is dropped altogether. Split: by rule id, not by sentence, so the
 * near-identical example sentences of one rule never straddle train and dev/test: a rule goes
 * to test if {@code u < testFraction}, else to dev if {@code u < testFraction + devFraction},
 * else train, with {@code u} uniform in [0, 1) from {@code DataSeeds.derive(seed, ruleId.hashCode())}
 * ({@link String#hashCode} is specified, so the split is the same on every JVM). Split sizes
 * therefore follow the fractions only approximately.
 *
 * <p>Output, in CoLA's layouts: {@code train.tsv} and {@code dev.tsv} without header, four
 * columns {@code ruleId, label, original-label ('*' for unacceptable, CoLA's mark, else empty),
 * sentence}; {@code test.tsv} in GLUE's unlabelled test layout ({@code index\tsentence}) and
 * {@code test_labelled.tsv} with the same rows in the four-column layout, to score test
 * predictions locally; plus {@code NOTICE.txt}. Parsing streams (StAX, no DOM), the DTD's
 * internal entities are expanded, external entities are refused.
 */
public final class LanguageToolCola {
    /** The classpath resource of LanguageTool's English rules. */
    public static final String RESOURCE = "org/languagetool/rules/en/grammar.xml";
    /** The files a conversion writes. */
    public static final List<String> FILES =
            List.of("train.tsv", "dev.tsv", "test.tsv", "test_labelled.tsv", "NOTICE.txt");

    private LanguageToolCola() {}

    /**
     * @param categories    category ids to keep; empty keeps all
     * @param seed          the split seed
     * @param devFraction   share of rules in dev, in [0, 1)
     * @param testFraction  share of rules in test, in [0, 1), dev + test below 1
     */
    public record Options(Set<String> categories, long seed, double devFraction, double testFraction) {
        /** GRAMMAR only, seed 20240927, 10% of rules dev, 10% test. */
        public static final Options DEFAULT = new Options(Set.of("GRAMMAR"), 20240927L, 0.1, 0.1);

        /** Validates the fractions, naming the bad value. */
        public Options {
            if (!(devFraction >= 0 && testFraction >= 0 && devFraction + testFraction < 1)) {
                throw new IllegalArgumentException("devFraction " + devFraction + ", testFraction " + testFraction
                        + "; expected both >= 0 with a sum below 1");
            }
            categories = Set.copyOf(categories);
        }
    }

    /** One acceptability judgement: rule id, label (1 acceptable, 0 not), sentence. */
    public record Judgement(String ruleId, int label, String sentence) {}

    /**
     * The deduplicated judgements of a rule file, in file order.
     *
     * @param judgements the kept judgements
     * @param duplicates repeated sentences (same label) dropped
     * @param conflicts  sentences dropped because they occur with both labels
     * @param leftOut    examples of the kept categories left out: another {@code type}
     *                   ({@code triggers_error}) or no text
     */
    public record Parsed(List<Judgement> judgements, int duplicates, int conflicts, int leftOut) {}

    /**
     * What a conversion produced.
     *
     * @param acceptable   kept acceptable sentences
     * @param unacceptable kept unacceptable sentences
     * @param duplicates   repeated sentences dropped
     * @param conflicts    sentences dropped because they occur with both labels
     * @param leftOut      examples left out (another {@code type}, or no text)
     * @param train        rows in train.tsv
     * @param dev          rows in dev.tsv
     * @param test         rows in test.tsv
     */
    public record Summary(int acceptable, int unacceptable, int duplicates, int conflicts, int leftOut,
                          int train, int dev, int test) {}

    /** Opens {@value #RESOURCE} from the classpath. */
    public static InputStream openResource() throws IOException {
        InputStream in = LanguageToolCola.class.getClassLoader().getResourceAsStream(RESOURCE);
        if (in == null) {
            throw new FileNotFoundException("classpath resource not found: " + RESOURCE
                    + "; expected org.languagetool:language-en on the classpath");
        }
        return in;
    }

    /**
     * Parses the examples of {@code xml} (closed by the caller), deduplicated as the class
     * comment says, in file order.
     *
     * @param source a name for messages
     * @throws IOException naming {@code source}, line and column for malformed XML
     */
    public static Parsed parse(InputStream xml, String source, Set<String> categories) throws IOException {
        XMLInputFactory f = XMLInputFactory.newDefaultFactory(); // the JDK's, whatever StAX jars are on the classpath
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        f.setProperty(XMLInputFactory.SUPPORT_DTD, true);
        f.setProperty(XMLInputFactory.IS_COALESCING, true);
        f.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        Walker w = new Walker(categories);
        XMLStreamReader r = null;
        try {
            r = f.createXMLStreamReader(xml);
            while (r.hasNext()) {
                int event = r.next();
                if (event == XMLStreamConstants.START_ELEMENT) {
                    w.start(r);
                } else if (event == XMLStreamConstants.END_ELEMENT) {
                    w.end(r.getLocalName());
                }
            }
        } catch (XMLStreamException e) {
            String at = e.getLocation() == null ? "" : ":" + e.getLocation().getLineNumber() + ":"
                    + e.getLocation().getColumnNumber();
            throw new IOException(source + at + ": malformed LanguageTool rule XML: " + e.getMessage()
                    + "; expected a LanguageTool grammar.xml", e);
        } finally {
            if (r != null) {
                try {
                    r.close();
                } catch (XMLStreamException ignored) {
                    // the stream belongs to the caller
                }
            }
        }
        return w.kept.result();
    }

    /** Where the stream is (category, rule group, rule) and what it kept so far. */
    private static final class Walker {
        private final Set<String> categories;
        final Dedupe kept = new Dedupe();
        private String category;
        private String group;
        private String rule;

        Walker(Set<String> categories) {
            this.categories = categories;
        }

        void start(XMLStreamReader r) throws XMLStreamException {
            switch (r.getLocalName()) {
                case "category" -> category = r.getAttributeValue(null, "id");
                case "rulegroup" -> group = r.getAttributeValue(null, "id");
                case "rule" -> {
                    String id = r.getAttributeValue(null, "id");
                    rule = id != null ? id : group;
                }
                case "example" -> example(r);
                default -> { }
            }
        }

        void end(String element) {
            switch (element) {
                case "category" -> category = null;
                case "rulegroup" -> group = null;
                case "rule" -> rule = null;
                default -> { }
            }
        }

        private void example(XMLStreamReader r) throws XMLStreamException {
            if (rule == null || category == null || !categories.isEmpty() && !categories.contains(category)) {
                return;
            }
            int label = label(r.getAttributeValue(null, "correction"), r.getAttributeValue(null, "type"));
            String text = Whitespace.collapse(exampleText(r));
            if (label >= 0 && !text.isEmpty()) {
                kept.add(new Judgement(rule, label, text));
            } else {
                kept.leftOut++;
            }
        }
    }

    /** First occurrence wins; a sentence seen with both labels is dropped. */
    private static final class Dedupe {
        private final Map<String, Judgement> first = new LinkedHashMap<>();
        private final Set<String> conflicted = new HashSet<>();
        private int duplicates;
        int leftOut;

        void add(Judgement j) {
            Judgement f = first.putIfAbsent(j.sentence(), j);
            if (f != null) {
                if (f.label() != j.label()) {
                    conflicted.add(j.sentence());
                } else {
                    duplicates++;
                }
            }
        }

        Parsed result() {
            List<Judgement> out = new ArrayList<>(first.size());
            for (Judgement j : first.values()) {
                if (!conflicted.contains(j.sentence())) {
                    out.add(j);
                }
            }
            return new Parsed(out, duplicates, conflicted.size(), leftOut);
        }
    }

    /**
     * Converts the classpath resource {@value #RESOURCE} into {@code outDir} (created; files
     * overwritten). Blocks; about a second for the 8 MB file.
     */
    public static Summary convert(Path outDir, Configuration conf, Options options) throws IOException {
        try (InputStream in = openResource()) {
            return convert(in, RESOURCE, outDir, conf, options);
        }
    }

    /**
     * Converts the rule file {@code xml} (closed by the caller) into the CoLA-format files
     * {@link #FILES} in {@code outDir} on its Hadoop file system.
     */
    public static Summary convert(InputStream xml, String source, Path outDir, Configuration conf, Options options)
            throws IOException {
        Parsed parsed = parse(xml, source, options.categories());
        StringBuilder[] rows = {new StringBuilder(), new StringBuilder(), new StringBuilder()};
        StringBuilder test = new StringBuilder("index\tsentence\n");
        int[] sizes = new int[3];
        int acceptable = 0;
        for (Judgement j : parsed.judgements()) {
            int split = splitOf(j.ruleId(), options);
            rows[split].append(j.ruleId()).append('\t').append(j.label()).append('\t')
                    .append(j.label() == 0 ? "*" : "").append('\t').append(j.sentence()).append('\n');
            if (split == 2) {
                test.append(sizes[2]).append('\t').append(j.sentence()).append('\n');
            }
            sizes[split]++;
            acceptable += j.label();
        }
        FileSystem fs = outDir.getFileSystem(conf);
        fs.mkdirs(outDir);
        write(fs, new Path(outDir, "train.tsv"), rows[0]);
        write(fs, new Path(outDir, "dev.tsv"), rows[1]);
        write(fs, new Path(outDir, "test.tsv"), test);
        write(fs, new Path(outDir, "test_labelled.tsv"), rows[2]);
        write(fs, new Path(outDir, "NOTICE.txt"), "Generated by spark-moe from " + source + " (LanguageTool, "
                + "org.languagetool:language-en, LGPL-2.1-or-later): the <example> sentences of the categories "
                + (options.categories().isEmpty() ? "(all)" : options.categories()) + ". Not to be committed.\n");
        return new Summary(acceptable, parsed.judgements().size() - acceptable, parsed.duplicates(),
                parsed.conflicts(), parsed.leftOut(), sizes[0], sizes[1], sizes[2]);
    }

    /** The split of rule {@code ruleId}: 0 train, 1 dev, 2 test (see the class comment). */
    public static int splitOf(String ruleId, Options options) {
        long h = DataSeeds.derive(options.seed(), ruleId.hashCode());
        double u = (h >>> 11) * 0x1.0p-53;
        return u < options.testFraction() ? 2 : u < options.testFraction() + options.devFraction() ? 1 : 0;
    }

    private static void write(FileSystem fs, Path file, CharSequence text) throws IOException {
        try (OutputStream out = fs.create(file, true); Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8)) {
            w.append(text);
        }
    }

    /** 0 unacceptable, 1 acceptable, -1 left out. */
    private static int label(String correction, String type) {
        if (correction != null || "incorrect".equals(type)) {
            return 0;
        }
        return type == null || "correct".equals(type) ? 1 : -1;
    }

    /** The text of the current {@code <example>}, markers dropped; leaves the reader on its end tag. */
    private static String exampleText(XMLStreamReader r) throws XMLStreamException {
        StringBuilder sb = new StringBuilder();
        int depth = 1;
        while (depth > 0) {
            int e = r.next();
            if (e == XMLStreamConstants.START_ELEMENT) {
                depth++;
            } else if (e == XMLStreamConstants.END_ELEMENT) {
                depth--;
            } else if (e == XMLStreamConstants.CHARACTERS || e == XMLStreamConstants.CDATA
                    || e == XMLStreamConstants.SPACE || e == XMLStreamConstants.ENTITY_REFERENCE) {
                sb.append(r.getText());
            }
        }
        return sb.toString();
    }
}
