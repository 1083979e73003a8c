package dev.sparkmoe.data.glue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The nine GLUE tasks plus the diagnostic set AX, and the registry that finds them by name
 * ({@link #of}). Each task knows its folder, its splits, its TSV layouts (labelled and test),
 * its label vocabulary and the column names of the parquet export.
 *
 * <p>Label ids follow the dataset hubs' {@code ClassLabel} order (so parquet {@code label}
 * values are ids as they stand); {@link #labelTokens()} are the spellings in the TSV files and
 * in GLUE submission files ({@code 0}/{@code 1} for CoLA, SST-2, MRPC, QQP, WNLI;
 * {@code entailment}/... for MNLI, AX, QNLI, RTE). STS-B has no labels: a float score in [0, 5].
 *
 * <p>Original TSV layouts (first line; CoLA train/dev have none):
 * <pre>
 * CoLA   train/dev: source, label, original-label, sentence   test: index sentence
 * SST-2  sentence label                                        test: index sentence
 * MRPC   Quality #1 ID #2 ID #1 String #2 String               test: index #1 ID #2 ID #1 String #2 String
 * STS-B  index genre filename year old_index source1 source2 sentence1 sentence2 score   test: without score
 * QQP    id qid1 qid2 question1 question2 is_duplicate         test: id question1 question2
 * MNLI   index promptID pairID genre sentence1_binary_parse sentence2_binary_parse sentence1_parse
 *        sentence2_parse sentence1 sentence2 label1 [label2..label5] gold_label   test: up to sentence2
 * QNLI   index question sentence label                          test: index question sentence
 * RTE    index sentence1 sentence2 label                        test: index sentence1 sentence2
 * WNLI   index sentence1 sentence2 label                        test: index sentence1 sentence2
 * AX     index sentence1 sentence2 (test only: diagnostic/diagnostic.tsv)
 * </pre>
 */
public enum GlueTask {
    /** Corpus of Linguistic Acceptability; Matthews correlation. */
    COLA("CoLA", "CoLA", List.of("unacceptable", "acceptable"), List.of("0", "1"),
            TsvLayout.positional(4, 3, 1), TsvLayout.named("index\tsentence", "index", "sentence", null, null),
            "sentence", null),
    /** Stanford Sentiment Treebank, binary; accuracy. */
    SST2("SST-2", "SST-2", List.of("negative", "positive"), List.of("0", "1"),
            TsvLayout.named("sentence\tlabel", null, "sentence", null, "label"),
            TsvLayout.named("index\tsentence", "index", "sentence", null, null),
            "sentence", null),
    /** Microsoft Research Paraphrase Corpus; F1 of class 1 and accuracy. */
    MRPC("MRPC", "MRPC", List.of("not_equivalent", "equivalent"), List.of("0", "1"),
            TsvLayout.named("Quality\t#1 ID\t#2 ID\t#1 String\t#2 String", null, "#1 String", "#2 String", "Quality"),
            TsvLayout.named("index\t#1 ID\t#2 ID\t#1 String\t#2 String", "index", "#1 String", "#2 String", null),
            "sentence1", "sentence2"),
    /** Semantic Textual Similarity Benchmark, a score in [0, 5]; Pearson and Spearman correlation. */
    STSB("STS-B", "STS-B", List.of(), List.of(),
            TsvLayout.named("index\tgenre\tfilename\tyear\told_index\tsource1\tsource2\tsentence1\tsentence2\tscore",
                    "index", "sentence1", "sentence2", "score"),
            TsvLayout.named("index\tgenre\tfilename\tyear\told_index\tsource1\tsource2\tsentence1\tsentence2",
                    "index", "sentence1", "sentence2", null),
            "sentence1", "sentence2"),
    /** Quora Question Pairs; F1 of class 1 and accuracy. */
    QQP("QQP", "QQP", List.of("not_duplicate", "duplicate"), List.of("0", "1"),
            TsvLayout.named("id\tqid1\tqid2\tquestion1\tquestion2\tis_duplicate", "id", "question1", "question2",
                    "is_duplicate"),
            TsvLayout.named("id\tquestion1\tquestion2", "id", "question1", "question2", null),
            "question1", "question2"),
    /** Multi-Genre NLI; accuracy on the matched and on the mismatched dev/test sets. */
    MNLI("MNLI", "MNLI", List.of("entailment", "neutral", "contradiction"),
            List.of("entailment", "neutral", "contradiction"),
            TsvLayout.named("index\tpromptID\tpairID\tgenre\tsentence1_binary_parse\tsentence2_binary_parse"
                    + "\tsentence1_parse\tsentence2_parse\tsentence1\tsentence2\tlabel1\tgold_label",
                    "index", "sentence1", "sentence2", "gold_label"),
            TsvLayout.named("index\tpromptID\tpairID\tgenre\tsentence1_binary_parse\tsentence2_binary_parse"
                    + "\tsentence1_parse\tsentence2_parse\tsentence1\tsentence2",
                    "index", "sentence1", "sentence2", null),
            "premise", "hypothesis"),
    /** Question NLI (from SQuAD); accuracy. */
    QNLI("QNLI", "QNLI", List.of("entailment", "not_entailment"), List.of("entailment", "not_entailment"),
            TsvLayout.named("index\tquestion\tsentence\tlabel", "index", "question", "sentence", "label"),
            TsvLayout.named("index\tquestion\tsentence", "index", "question", "sentence", null),
            "question", "sentence"),
    /** Recognizing Textual Entailment; accuracy. */
    RTE("RTE", "RTE", List.of("entailment", "not_entailment"), List.of("entailment", "not_entailment"),
            TsvLayout.named("index\tsentence1\tsentence2\tlabel", "index", "sentence1", "sentence2", "label"),
            TsvLayout.named("index\tsentence1\tsentence2", "index", "sentence1", "sentence2", null),
            "sentence1", "sentence2"),
    /** Winograd NLI; accuracy. */
    WNLI("WNLI", "WNLI", List.of("not_entailment", "entailment"), List.of("0", "1"),
            TsvLayout.named("index\tsentence1\tsentence2\tlabel", "index", "sentence1", "sentence2", "label"),
            TsvLayout.named("index\tsentence1\tsentence2", "index", "sentence1", "sentence2", null),
            "sentence1", "sentence2"),
    /** The diagnostic set (test only, predicted with an MNLI model, MNLI's labels). */
    AX("AX", "diagnostic", List.of("entailment", "neutral", "contradiction"),
            List.of("entailment", "neutral", "contradiction"),
            null, TsvLayout.named("index\tsentence1\tsentence2", "index", "sentence1", "sentence2", null),
            "premise", "hypothesis");

    private final String displayName;
    private final String folder;
    private final List<String> labels;
    private final List<String> labelTokens;
    private final TsvLayout labelledLayout;
    private final TsvLayout testLayout;
    private final String parquetTextA;
    private final String parquetTextB;

    GlueTask(String displayName, String folder, List<String> labels, List<String> labelTokens,
             TsvLayout labelledLayout, TsvLayout testLayout, String parquetTextA, String parquetTextB) {
        this.displayName = displayName;
        this.folder = folder;
        this.labels = labels;
        this.labelTokens = labelTokens;
        this.labelledLayout = labelledLayout;
        this.testLayout = testLayout;
        this.parquetTextA = parquetTextA;
        this.parquetTextB = parquetTextB;
    }

    /**
     * The task called {@code name}, ignoring case, {@code -} and {@code _} ({@code "sst-2"},
     * {@code "SST2"}, {@code "sts_b"}, {@code "mnli"}, ...).
     *
     * @throws IllegalArgumentException naming {@code name} and listing the valid names
     */
    public static GlueTask of(String name) {
        String key = name == null ? "" : name.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
        for (GlueTask t : values()) {
            if (t.displayName.toLowerCase(Locale.ROOT).replace("-", "").equals(key)) {
                return t;
            }
        }
        if (key.equals("diagnostic")) {
            return AX;
        }
        throw new IllegalArgumentException("unknown GLUE task '" + name + "'; expected one of " + names());
    }

    /** The display names of all tasks, e.g. {@code [CoLA, SST-2, ...]}. */
    public static List<String> names() {
        List<String> out = new ArrayList<>();
        for (GlueTask t : values()) {
            out.add(t.displayName);
        }
        return out;
    }

    /** The GLUE spelling, e.g. {@code SST-2}. */
    public String displayName() {
        return displayName;
    }

    /** The task's folder in the GLUE data layout, e.g. {@code SST-2} ({@code diagnostic} for AX). */
    public String folder() {
        return folder;
    }

    /** The splits this task has, in GLUE's order. */
    public List<GlueSplit> splits() {
        return switch (this) {
            case MNLI -> List.of(GlueSplit.TRAIN, GlueSplit.DEV_MATCHED, GlueSplit.DEV_MISMATCHED,
                    GlueSplit.TEST_MATCHED, GlueSplit.TEST_MISMATCHED);
            case AX -> List.of(GlueSplit.TEST);
            default -> List.of(GlueSplit.TRAIN, GlueSplit.DEV, GlueSplit.TEST);
        };
    }

    /**
     * The file name of {@code split} in the task folder ({@code diagnostic.tsv} for AX).
     *
     * @throws IllegalArgumentException if the task has no such split, listing those it has
     */
    public String fileName(GlueSplit split) {
        checkSplit(split);
        return this == AX ? "diagnostic.tsv" : split.fileName();
    }

    /** Throws unless this task has {@code split}. */
    public void checkSplit(GlueSplit split) {
        if (!splits().contains(split)) {
            throw new IllegalArgumentException("GLUE task " + displayName + " has no split " + split
                    + "; expected one of " + splits());
        }
    }

    /** Whether examples are sentence pairs (text B present). */
    public boolean isPair() {
        return parquetTextB != null;
    }

    /** Whether the target is a float score (STS-B) rather than a class. */
    public boolean isRegression() {
        return this == STSB;
    }

    /** The class names, index = label id (the hubs' order); empty for STS-B. */
    public List<String> labels() {
        return labels;
    }

    /** The number of classes (1 for the regression task STS-B: one output). */
    public int numClasses() {
        return isRegression() ? 1 : labels.size();
    }

    /** The label spellings of the TSV files and submission files, index = label id; empty for STS-B. */
    public List<String> labelTokens() {
        return labelTokens;
    }

    /** The label id of the TSV spelling {@code token}, or -1. */
    public int labelId(String token) {
        return labelTokens.indexOf(token);
    }

    /** The parquet export's column of text A, e.g. {@code premise} for MNLI. */
    public String parquetTextA() {
        return parquetTextA;
    }

    /** The parquet export's column of text B, or null for single-sentence tasks. */
    public String parquetTextB() {
        return parquetTextB;
    }

    /** The layout of this task's labelled files (null for AX). */
    TsvLayout labelledLayout() {
        return labelledLayout;
    }

    /** The TSV layout of {@code split}'s file. */
    TsvLayout layout(GlueSplit split) {
        checkSplit(split);
        return split.labelled() ? labelledLayout : testLayout;
    }

    @Override
    public String toString() {
        return displayName;
    }
}
