package dev.sparkmoe.data.wikitext;

import dev.sparkmoe.data.SkipReport;

/**
 * The token stream of one split: {@code ids} in file order, each non-blank line (heading,
 * when included, or paragraph) contributing its tokens followed by one
 * {@link dev.sparkmoe.data.text.Vocabulary#EOS}.
 *
 * @param ids     token ids, {@code [N]}
 * @param unknown how many ids are {@link dev.sparkmoe.data.text.Vocabulary#UNK} (out-of-vocabulary
 *                tokens plus literal {@code <unk>} tokens of the text)
 * @param lines   lines that contributed (the number of {@code <eos>} ids)
 * @param skips   what the scan skipped and why
 */
public record TokenIds(int[] ids, long unknown, long lines, SkipReport skips) {

    /** Number of ids, {@code N}. */
    public int length() {
        return ids.length;
    }

    /** Fraction of ids that are {@code <unk>}. */
    public double unknownRate() {
        return ids.length == 0 ? 0 : (double) unknown / ids.length;
    }

    @Override
    public String toString() {
        return "TokenIds(" + ids.length + " ids, " + unknown + " <unk>, " + lines + " lines, " + skips + ")";
    }
}
