package dev.sparkmoe.data.glue;

import dev.sparkmoe.data.text.TokenSink;
import dev.sparkmoe.data.text.Tokenizer;
import dev.sparkmoe.data.text.Whitespace;
import dev.sparkmoe.data.text.WikiTextTokenizer;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * The tokenizer for GLUE text under a vocabulary pretrained on WikiText: {@link WikiTextTokenizer}
 * (which produced the tokens of every pretraining corpus: WikiText's {@code .raw} variant is read
 * with it, its {@code .tokens} variant follows the same Moses conventions, and the embedded State
 * of the Union corpus was converted with it), after two normalisations that make GLUE's raw text
 * look like the text those tokens came from:
 * <ul>
 *   <li>runs of Unicode whitespace and no-break spaces become one space, as the converters do
 *       ({@link Whitespace#collapse}) before tokenizing; WikiTextTokenizer splits on ASCII
 *       whitespace only and would glue a no-break space into a word;</li>
 *   <li>clitics that GLUE's pre-tokenized files (SST-2, parts of STS-B) already split off in the
 *       Penn Treebank style are joined back ({@code it 's → it's}, {@code does n't → doesn't}),
 *       so they tokenize as WikiText does ({@code it 's}, {@code doesn 't}) instead of as
 *       {@code ' s} and {@code n 't}.</li>
 * </ul>
 * Case is kept (WikiText is cased; SST-2's lower-case text will meet more {@code <unk>}, which
 * {@link GlueEncodingCounts} reports). Stateless and serialisable; pure-ASCII text without a
 * space before an apostrophe goes straight to WikiTextTokenizer without allocating.
 */
public final class GlueTextTokenizer implements Tokenizer {
    private static final long serialVersionUID = 1L;

    /** The shared instance (the tokenizer has no state). */
    public static final GlueTextTokenizer INSTANCE = new GlueTextTokenizer();

    private static final Pattern SPLIT_CLITIC = Pattern.compile(
            "(?<=\\p{L}) (n't|'(?:s|re|ve|ll|d|m))(?![\\p{L}\\p{N}])", Pattern.CASE_INSENSITIVE);

    private GlueTextTokenizer() {}

    @Override
    public void tokenize(byte[] utf8, int off, int len, TokenSink sink) {
        if (!needsNormalizing(utf8, off, len)) {
            WikiTextTokenizer.INSTANCE.tokenize(utf8, off, len, sink);
            return;
        }
        byte[] t = normalize(new String(utf8, off, len, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
        WikiTextTokenizer.INSTANCE.tokenize(t, 0, t.length, sink);
    }

    /** {@code text} with whitespace collapsed and Penn-Treebank-split clitics joined back. */
    public static String normalize(String text) {
        return SPLIT_CLITIC.matcher(Whitespace.collapse(text)).replaceAll("$1");
    }

    /** Whether {@code normalize} could change the bytes: non-ASCII, or {@code  '} / {@code  n'}. */
    private static boolean needsNormalizing(byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) {
            if (b[i] < 0) {
                return true;
            }
            if (b[i] == '\'' && i > off && (b[i - 1] == ' '
                    || (b[i - 1] == 'n' || b[i - 1] == 'N') && i - 1 > off && b[i - 2] == ' ')) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "GlueTextTokenizer(WikiTextTokenizer)";
    }
}
