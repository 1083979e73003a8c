package dev.sparkmoe.driver.run.domainbed;

import dev.sparkmoe.driver.config.JobConfig;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every shipped DomainBed job file loads and validates as a bidirectional vision job. */
class DomainBedConfFilesTest {
    @Test
    void everyDomainBedJobFileIsValid() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(Path.of("../conf/domainbed"))) {
            files = s.filter(p -> p.toString().endsWith(".conf")).sorted().toList();
        }
        assertEquals(4, files.size(), files.toString());
        for (Path f : files) {
            JobConfig c = JobConfig.load(new File(f.toString()), List.of());
            assertEquals("domainbed", c.task(), f.toString());
            assertFalse(c.model().causal(), f + ": a vision transformer attends both ways");
            assertTrue(c.engine().spark() && c.trainer().steps() > 0 && c.trainer().evalEvery() > 0, f.toString());
            int size = c.domainbed().imageSize();
            assertTrue(size == 0 || size % c.domainbed().patch() == 0, f + ": patch divides the image size");
        }
    }
}
