package dev.sparkmoe.data.glue;

/**
 * A split of a GLUE task: its file name in the original TSV layout, its split name in the
 * parquet export of dataset hubs, and whether its rows carry labels. MNLI has no plain
 * {@link #DEV}/{@link #TEST}: it has matched and mismatched ones instead
 * ({@link GlueTask#splits()} lists what each task has).
 */
public enum GlueSplit {
    /** Training data, labelled. */
    TRAIN("train.tsv", "train", true),
    /** Development data, labelled (GLUE's "dev", the hubs' "validation"). */
    DEV("dev.tsv", "validation", true),
    /** Test data, unlabelled ({@code index} + text columns). */
    TEST("test.tsv", "test", false),
    /** MNLI development data, matched genres. */
    DEV_MATCHED("dev_matched.tsv", "validation_matched", true),
    /** MNLI development data, mismatched genres. */
    DEV_MISMATCHED("dev_mismatched.tsv", "validation_mismatched", true),
    /** MNLI test data, matched genres, unlabelled. */
    TEST_MATCHED("test_matched.tsv", "test_matched", false),
    /** MNLI test data, mismatched genres, unlabelled. */
    TEST_MISMATCHED("test_mismatched.tsv", "test_mismatched", false);

    private final String fileName;
    private final String hubName;
    private final boolean labelled;

    GlueSplit(String fileName, String hubName, boolean labelled) {
        this.fileName = fileName;
        this.hubName = hubName;
        this.labelled = labelled;
    }

    /** The file name in a GLUE task folder, e.g. {@code dev_matched.tsv}. */
    public String fileName() {
        return fileName;
    }

    /** The split name in the parquet export of dataset hubs, e.g. {@code validation_matched}. */
    public String hubName() {
        return hubName;
    }

    /** Whether rows of this split carry a label (train and dev do, test does not). */
    public boolean labelled() {
        return labelled;
    }
}
