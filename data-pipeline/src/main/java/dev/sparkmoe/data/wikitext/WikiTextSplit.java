package dev.sparkmoe.data.wikitext;

/** The three splits of a WikiText corpus; the file of a split is {@code wiki.<name>.<variant>}. */
public enum WikiTextSplit {
    /** {@code wiki.train.*}. */
    TRAIN("train"),
    /** {@code wiki.valid.*}. */
    VALID("valid"),
    /** {@code wiki.test.*}. */
    TEST("test");

    private final String fileTag;

    WikiTextSplit(String fileTag) {
        this.fileTag = fileTag;
    }

    /** {@code train}, {@code valid} or {@code test}. */
    public String fileTag() {
        return fileTag;
    }

    /** The file name of this split in {@code variant}, e.g. {@code wiki.train.tokens}. */
    public String fileName(WikiTextVariant variant) {
        return "wiki." + fileTag + "." + variant.extension();
    }
}
