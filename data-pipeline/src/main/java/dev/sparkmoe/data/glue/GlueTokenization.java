package dev.sparkmoe.data.glue;

import dev.sparkmoe.data.text.Tokenizer;
import dev.sparkmoe.data.text.Vocabulary;
import java.io.IOException;
import java.io.Serializable;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * The one way a fine-tune or evaluation job turns GLUE examples into model input under a
 * pretrained vocabulary: {@link GlueTextTokenizer} (the pretraining corpus's tokenizer, with the
 * normalisation GLUE's text needs), the pretraining run's {@link Vocabulary} (saved by the LM job
 * as {@code vocab.txt} in its run directory, {@link #VOCABULARY_FILE}) and a maximum length S,
 * encoded by a {@link GlueEncoder} into {@link GlueBatch}es.
 *
 * <p>Every {@link #encode} adds to {@link #counts()} how many examples were truncated and how many
 * tokens became {@code <unk>}, so a job can print and record them. Serialisable (ship it to
 * executors, each task gets its own copy and counts); {@link #encode} is for one thread at a time.
 */
public final class GlueTokenization implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The file name of the vocabulary in a language-model run directory. */
    public static final String VOCABULARY_FILE = "vocab.txt";

    private final GlueEncoder encoder;
    private final GlueEncodingCounts counts = new GlueEncodingCounts();

    /**
     * @param vocab     the pretrained vocabulary (ids must match the pretrained embeddings)
     * @param maxLength S, at least 3
     */
    public GlueTokenization(Vocabulary vocab, int maxLength) {
        this.encoder = new GlueEncoder(vocab, tokenizer(), maxLength);
    }

    /**
     * Loads the vocabulary of the pretraining run in {@code runDir} ({@code runDir/vocab.txt}).
     * Runs on the driver and blocks while reading.
     *
     * @throws java.io.FileNotFoundException naming the path looked for
     */
    public static GlueTokenization fromRunDirectory(Path runDir, int maxLength, Configuration conf)
            throws IOException {
        Path file = new Path(runDir, VOCABULARY_FILE);
        if (!file.getFileSystem(conf).exists(file)) {
            throw new java.io.FileNotFoundException("pretrained vocabulary not found: " + file
                    + "; expected the " + VOCABULARY_FILE + " a language-model run writes into its run directory");
        }
        return new GlueTokenization(Vocabulary.load(file, conf), maxLength);
    }

    /** The tokenizer GLUE text goes through: the pretraining tokenizer after GLUE's normalisation. */
    public static Tokenizer tokenizer() {
        return GlueTextTokenizer.INSTANCE;
    }

    /** The tokens of {@code text}, as the model sees them before the vocabulary look-up. */
    public List<String> tokens(String text) {
        return tokenizer().tokens(text);
    }

    /** The vocabulary. */
    public Vocabulary vocabulary() {
        return encoder.vocabulary();
    }

    /** S. */
    public int maxLength() {
        return encoder.maxLength();
    }

    /** The underlying encoder (no counting). */
    public GlueEncoder encoder() {
        return encoder;
    }

    /** Encodes {@code examples[from, to)} as one batch (B = to − from, S = {@link #maxLength()}), counting losses. */
    public GlueBatch encode(List<GlueExample> examples, int from, int to) {
        return encoder.encode(examples, from, to, counts);
    }

    /** Encodes all of {@code examples} as one batch, counting losses. */
    public GlueBatch encode(List<GlueExample> examples) {
        return encode(examples, 0, examples.size());
    }

    /** What the encodes so far lost (live; merge copies from executors into one of the driver's). */
    public GlueEncodingCounts counts() {
        return counts;
    }

    @Override
    public String toString() {
        return "GlueTokenization(S=" + maxLength() + ", " + vocabulary() + ", " + tokenizer() + ", " + counts + ")";
    }
}
