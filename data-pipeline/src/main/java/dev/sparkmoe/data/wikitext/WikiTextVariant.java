package dev.sparkmoe.data.wikitext;

import dev.sparkmoe.data.text.Tokenizer;
import dev.sparkmoe.data.text.WhitespaceTokenizer;
import dev.sparkmoe.data.text.WikiTextTokenizer;

/**
 * The two published variants of WikiText-2/103: tokenized ({@code .tokens}, words separated by
 * spaces, {@code @-@ @,@ @.@} markers, rare words replaced by {@code <unk>}) and raw
 * ({@code .raw}, the original text). Each comes with the tokenizer that turns its lines into
 * tokens.
 */
public enum WikiTextVariant {
    /** {@code wiki.*.tokens}, split on whitespace. */
    TOKENS("tokens", WhitespaceTokenizer.INSTANCE),
    /** {@code wiki.*.raw}, split by {@link WikiTextTokenizer}. */
    RAW("raw", WikiTextTokenizer.INSTANCE);

    private final String extension;
    private final Tokenizer tokenizer;

    WikiTextVariant(String extension, Tokenizer tokenizer) {
        this.extension = extension;
        this.tokenizer = tokenizer;
    }

    /** {@code tokens} or {@code raw}. */
    public String extension() {
        return extension;
    }

    /** The tokenizer for lines of this variant. */
    public Tokenizer tokenizer() {
        return tokenizer;
    }
}
