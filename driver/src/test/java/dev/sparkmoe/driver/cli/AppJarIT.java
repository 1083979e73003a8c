package dev.sparkmoe.driver.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The application jar's contents (docs/deployment.md): what the shading must keep, merge and
 * leave out. Read from the jar {@code package} built (failsafe passes its path); the originals
 * it was merged from are on this test's class path, which does not hold the application jar.
 */
class AppJarIT {
    private static final List<String> PROVIDED_PACKAGES = List.of("org/apache/spark/", "scala/", "org/apache/hadoop/",
            "com/fasterxml/jackson/", "org/slf4j/", "org/apache/logging/log4j/");

    private static List<String> entries;
    private static Path jar;

    @BeforeAll
    static void list() throws IOException {
        String path = System.getProperty("sparkmoe.appJar");
        assertTrue(path != null, "system property sparkmoe.appJar is not set: run with maven-failsafe (mvn verify)");
        jar = Path.of(path);
        try (JarFile j = new JarFile(jar.toFile())) {
            entries = j.stream().map(JarEntry::getName).toList();
        }
    }

    @Test
    void startsTheCommandLine() throws IOException {
        try (JarFile j = new JarFile(jar.toFile())) {
            assertEquals("dev.sparkmoe.driver.cli.Main", j.getManifest().getMainAttributes().getValue("Main-Class"));
        }
        assertTrue(entries.contains("dev/sparkmoe/driver/cli/Main.class"));
        assertTrue(entries.contains("dev/sparkmoe/worker/spark/EngineKryoRegistrator.class"));
        assertTrue(entries.contains("dev/sparkmoe/data/spark/DataKryoRegistrator.class"));
    }

    @Test
    void leavesOutWhatSparkProvides() {
        for (String p : PROVIDED_PACKAGES) {
            assertFalse(entries.stream().anyMatch(e -> e.startsWith(p)), "the jar holds classes under " + p);
        }
    }

    @Test
    void holdsTheCpuBackendForLinuxX8664Only() {
        assertTrue(entries.contains("org/nd4j/linalg/cpu/nativecpu/bindings/linux-x86_64/libnd4jcpu.so"));
        assertTrue(entries.contains("org/bytedeco/openblas/linux-x86_64/libopenblas.so.0"), "OpenBLAS for linux-x86_64");
        List<String> otherPlatforms = entries.stream()
                .filter(e -> e.matches(".*\\.(so(\\.[0-9]+)*|dll|dylib|jnilib|a)$"))
                .filter(e -> !e.contains("/linux-x86_64/") && !e.contains("/linux-x86-64/")).limit(5).toList();
        assertEquals(List.of(), otherPlatforms, "native libraries of other platforms");
    }

    @Test
    void stripsSignaturesAndModuleDescriptors() {
        List<String> bad = entries.stream().filter(e -> e.matches("META-INF/[^/]+\\.(SF|DSA|RSA|EC)")
                || e.endsWith("module-info.class")).toList();
        assertEquals(List.of(), bad);
    }

    /** Every service file is the union of the class path's copies: ND4J's backend and compressors are found through them. */
    @Test
    void mergesServiceFiles() throws IOException {
        List<String> services = entries.stream().filter(e -> e.startsWith("META-INF/services/") && !e.endsWith("/")).toList();
        assertTrue(services.contains("META-INF/services/org.nd4j.linalg.factory.Nd4jBackend"), services.toString());
        try (JarFile j = new JarFile(jar.toFile())) {
            for (String service : services) {
                Set<String> merged = providers(j.getInputStream(j.getEntry(service)));
                Set<String> originals = new TreeSet<>();
                List<URL> copies = Collections.list(ClassLoader.getSystemClassLoader().getResources(service));
                for (URL copy : copies) {
                    try (InputStream in = copy.openStream()) {
                        originals.addAll(providers(in));
                    }
                }
                assertTrue(merged.containsAll(originals), service + ": merged " + merged + ", originals " + originals);
            }
            assertTrue(providers(j.getInputStream(j.getEntry("META-INF/services/org.nd4j.linalg.factory.Nd4jBackend")))
                    .contains("org.nd4j.linalg.cpu.nativecpu.CpuBackend"));
        }
    }

    /** One reference.conf, valid HOCON, with spark-moe's defaults: JobConfig rejects keys not declared there. */
    @Test
    void keepsAValidReferenceConf() throws IOException {
        assertEquals(1, entries.stream().filter("reference.conf"::equals).count());
        try (JarFile j = new JarFile(jar.toFile());
             Reader in = new InputStreamReader(j.getInputStream(j.getEntry("reference.conf")), StandardCharsets.UTF_8)) {
            Config reference = ConfigFactory.parseReader(in).resolve();
            assertEquals(42, reference.getInt("spark-moe.seed"));
            assertTrue(reference.hasPath("spark-moe.run.dir"));
        }
    }

    private static Set<String> providers(InputStream in) throws IOException {
        Set<String> out = new TreeSet<>();
        for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
            String s = line.replaceAll("#.*", "").trim();
            if (!s.isEmpty()) out.add(s);
        }
        return out;
    }
}
