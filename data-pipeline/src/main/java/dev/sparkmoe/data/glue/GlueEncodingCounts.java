package dev.sparkmoe.data.glue;

import java.io.Serializable;
import java.util.Locale;

/**
 * What encoding GLUE text lost, so that nothing is lost silently: examples cut to the maximum
 * length (and the tokens cut), and text tokens the vocabulary did not know ({@code <unk>}).
 * Filled by {@link GlueEncoder#encode(java.util.List, int, int, GlueEncodingCounts)}; mergeable
 * across threads and Spark partitions (serialisable; merge in any order). Mutable, one thread
 * at a time.
 */
public final class GlueEncodingCounts implements Serializable {
    private static final long serialVersionUID = 1L;

    private long examples;
    private long truncatedExamples;
    private long tokens;
    private long droppedTokens;
    private long unknownTokens;

    /** Counts one encoded example: its text tokens before truncation, those cut, those unknown. */
    void add(int textTokens, int dropped, int unknown) {
        examples++;
        tokens += textTokens;
        droppedTokens += dropped;
        unknownTokens += unknown;
        if (dropped > 0) {
            truncatedExamples++;
        }
    }

    /** Adds {@code other} into this; returns this. */
    public GlueEncodingCounts merge(GlueEncodingCounts other) {
        examples += other.examples;
        truncatedExamples += other.truncatedExamples;
        tokens += other.tokens;
        droppedTokens += other.droppedTokens;
        unknownTokens += other.unknownTokens;
        return this;
    }

    /** Examples encoded. */
    public long examples() {
        return examples;
    }

    /** Examples that held more text tokens than fit in the maximum length. */
    public long truncatedExamples() {
        return truncatedExamples;
    }

    /** Text tokens before truncation (specials not counted). */
    public long tokens() {
        return tokens;
    }

    /** Text tokens cut by truncation. */
    public long droppedTokens() {
        return droppedTokens;
    }

    /** Text tokens (before truncation) that the vocabulary mapped to {@code <unk>}. */
    public long unknownTokens() {
        return unknownTokens;
    }

    /** {@link #unknownTokens()} / {@link #tokens()}, 0 when nothing was counted. */
    public double unknownRate() {
        return tokens == 0 ? 0 : (double) unknownTokens / tokens;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%,d examples, %,d truncated (%,d tokens cut), %,d tokens, %,d <unk> (%.2f%%)",
                examples, truncatedExamples, droppedTokens, tokens, unknownTokens, 100 * unknownRate());
    }
}
