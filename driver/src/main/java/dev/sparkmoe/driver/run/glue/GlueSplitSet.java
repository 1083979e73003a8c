package dev.sparkmoe.driver.run.glue;

import dev.sparkmoe.data.glue.GlueBatch;
import dev.sparkmoe.data.glue.GlueData;
import dev.sparkmoe.data.glue.GlueEncodingCounts;
import dev.sparkmoe.data.glue.GlueExample;
import dev.sparkmoe.data.glue.GlueSplit;
import dev.sparkmoe.data.glue.GlueTask;
import dev.sparkmoe.data.glue.GlueTokenization;
import dev.sparkmoe.worker.train.ExampleSet;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One GLUE split encoded with the pretrained vocabulary: its examples (for metrics and the
 * submission's indices), the {@link ExampleSet} the model trains or is evaluated on, and what
 * encoding and reading lost (truncated examples, unknown tokens, skipped rows) so nothing is
 * lost silently. Built on the driver.
 *
 * @param split    the split
 * @param examples the examples in file order (the set's order)
 * @param set      {@code [N·S]} ids, padding, class ids (or STS-B scores)
 * @param counts   what the encoding truncated and mapped to {@code <unk>}
 * @param skips    the reader's skip report, as text
 */
public record GlueSplitSet(GlueSplit split, List<GlueExample> examples, ExampleSet set, GlueEncodingCounts counts,
                           String skips) {

    /** Encodes {@code data} with a fresh copy of {@code tokenization} (so counts are this split's). */
    public static GlueSplitSet encode(GlueTask task, GlueData data, GlueTokenization tokenization) {
        GlueTokenization own = new GlueTokenization(tokenization.vocabulary(), tokenization.maxLength());
        List<GlueExample> examples = data.examples();
        if (examples.isEmpty()) {
            throw new IllegalArgumentException("GLUE " + task + " " + data.split() + " from " + data.source()
                    + " has no examples (skipped: " + data.skips() + ")");
        }
        GlueBatch b = own.encode(examples);
        boolean[] pad = new boolean[b.mask().length];
        for (int i = 0; i < pad.length; i++) pad[i] = b.mask()[i] == 0;
        // A regression head trains on scores, a classification head on class ids: the set holds exactly one.
        ExampleSet set = task.isRegression()
                ? ExampleSet.sentences(b.seqLength(), b.tokenIds(), pad, null, b.scores())
                : ExampleSet.sentences(b.seqLength(), b.tokenIds(), pad, b.labels(), null);
        return new GlueSplitSet(data.split(), examples, set, own.counts(), String.valueOf(data.skips()));
    }

    /** Examples in the split. */
    public int size() { return examples.size(); }

    /** One log line: size, truncation, unknown tokens and skipped rows. */
    public String describe() {
        return split + ": " + size() + " examples; encoding " + counts + "; skipped " + skips;
    }

    /** The split's losses as a {@code metrics.jsonl}-style record. */
    public Map<String, Object> record() {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("split", split.name().toLowerCase(java.util.Locale.ROOT));
        r.put("examples", size());
        r.put("truncated_examples", counts.truncatedExamples());
        r.put("dropped_tokens", counts.droppedTokens());
        r.put("unknown_tokens", counts.unknownTokens());
        r.put("tokens", counts.tokens());
        r.put("skipped", skips);
        return r;
    }
}
