package dev.sparkmoe.data.glue;

import dev.sparkmoe.data.TempDirs;
import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * The default GLUE task, which needs no download: a CoLA-format acceptability task built at run
 * time from LanguageTool's grammar examples ({@link LanguageToolCola}, from the
 * {@code language-en} jar on the classpath; LGPL data, so it is generated, never shipped).
 *
 * <p>{@link #localPath()} converts once per JVM into a temporary local GLUE root holding
 * {@code CoLA/} (deleted when the JVM exits); {@link #materialize} converts into any Hadoop
 * folder (e.g. HDFS, for executors of a cluster). Read it like real GLUE data:
 * <pre>{@code
 * GlueData dev = GlueTsvReader.read(EmbeddedGlue.localPath(), GlueTask.COLA, GlueSplit.DEV, conf, true);
 * }</pre>
 * Both block while converting (about a second).
 */
public final class EmbeddedGlue {
    /** The task of the embedded data. */
    public static final GlueTask TASK = GlueTask.COLA;

    private static java.nio.file.Path localRoot;

    private EmbeddedGlue() {}

    /**
     * A {@code file:} GLUE root holding {@code CoLA/{train,dev,test,test_labelled}.tsv}, built
     * on the first call with {@link LanguageToolCola.Options#DEFAULT} (thread-safe; later calls
     * return the same folder).
     */
    public static synchronized Path localPath() throws IOException {
        if (localRoot == null) {
            java.nio.file.Path dir = TempDirs.deletedOnExit("spark-moe-embedded-glue-");
            LanguageToolCola.convert(new Path(dir.resolve(TASK.folder()).toUri()), new Configuration(),
                    LanguageToolCola.Options.DEFAULT);
            localRoot = dir;
        }
        return new Path(localRoot.toUri());
    }

    /** Converts into {@code root/CoLA/} on {@code root}'s file system and returns {@code root}. */
    public static Path materialize(Path root, Configuration conf) throws IOException {
        LanguageToolCola.convert(new Path(root, TASK.folder()), conf, LanguageToolCola.Options.DEFAULT);
        return root;
    }

    /** Reads {@code split} (TRAIN, DEV or TEST) of the embedded task from {@link #localPath()}, strictly. */
    public static GlueData read(GlueSplit split, Configuration conf) throws IOException {
        return GlueTsvReader.read(localPath(), TASK, split, conf, true);
    }

    /**
     * Reads the embedded task's test split with its labels ({@code CoLA/test_labelled.tsv}, the
     * same rows as {@code test.tsv} in the four-column layout), strictly; evaluate it with
     * {@code new GlueEvaluation(GlueTask.COLA, GlueSplit.TEST)}.
     */
    public static GlueData readLabelledTest(Configuration conf) throws IOException {
        Path file = new Path(new Path(localPath(), TASK.folder()), "test_labelled.tsv");
        return GlueTsvReader.readFile(file, TASK, GlueSplit.TEST, TASK.labelledLayout(), conf, true);
    }
}
