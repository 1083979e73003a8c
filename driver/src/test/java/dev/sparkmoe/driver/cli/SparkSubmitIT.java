package dev.sparkmoe.driver.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@code spark-submit} of the application jar on a real standalone cluster: {@code scripts/local-cluster}
 * starts a Master and two Worker JVMs on 127.0.0.1 from the Maven repository's Spark jars, submits
 * {@code train} in client mode and stops the cluster. An integration test (maven-failsafe, after
 * {@code package}), because it needs the jar that {@code package} builds and the Spark class path
 * files it writes; failsafe passes their paths as {@code sparkmoe.*} system properties.
 *
 * <p>What it proves: the jar starts under SparkSubmit with nothing but Spark on the class path
 * (ND4J's native backend loads from inside it, the merged {@code reference.conf} parses), the
 * job writes one metrics line per step, and the script leaves no daemon behind; and the event
 * log shows that every task of the Spark engine ran on an executor the cluster launched, on
 * 127.0.0.1, never in the driver: a job that fell back to {@code local[*]} has no such executors.
 */
class SparkSubmitIT {
    private static final int STEPS = 6;
    private static final int WORKERS = 2;
    private static final long TIMEOUT_MINUTES = 8;

    @TempDir Path tmp;

    @Test
    void trainFromTheApplicationJarRunsOnAStandaloneCluster() throws Exception {
        Path root = Path.of(required("sparkmoe.root")).toRealPath();
        Path appJar = Path.of(required("sparkmoe.appJar"));
        assertTrue(Files.isRegularFile(appJar), "no application jar at " + appJar + " (built by mvn package)");
        requireSparkMoeKeys(appJar);
        Path cluster = tmp.resolve("cluster");
        Path events = Files.createDirectories(tmp.resolve("events"));
        Path run = tmp.resolve("run");

        List<String> command = new ArrayList<>(List.of(root.resolve("scripts/local-cluster").toString(),
                Integer.toString(WORKERS),
                "--conf", "spark.eventLog.enabled=true", "--conf", "spark.eventLog.dir=" + events.toUri(),
                "--", "train", "-c", root.resolve("conf/tiny.conf").toString(),
                "train.steps=" + STEPS, "train.evalEvery=0", "train.evalBatches=1", "train.logEvery=1",
                "optim.warmupSteps=2", "run.dir=\"" + run.toUri() + "\""));
        command.add("engine.kind=spark");
        String output = runScript(command, root, cluster, appJar);

        assertTrue(output.contains("local-cluster: " + WORKERS + " worker(s) registered"), output);
        assertEquals(STEPS, trainingSteps(run.resolve("metrics.jsonl")), "training lines in metrics.jsonl\n" + output);
        assertNoDaemonLeft(cluster);

        assertTasksRanOnClusterExecutors(events, output);
    }

    /** Runs the script to completion; fails with its output (and where the logs are) unless it exits 0. */
    private String runScript(List<String> command, Path root, Path cluster, Path appJar) throws Exception {
        Path log = tmp.resolve("local-cluster.out");
        ProcessBuilder pb = new ProcessBuilder(command).directory(root.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("SPARK_MOE_APP_JAR", appJar.toString());
        pb.environment().put("SPARK_MOE_SPARK_CLASSPATH", sparkClassPath());
        pb.environment().put("SPARK_MOE_CLUSTER_DIR", cluster.toString());
        Process process = pb.start();
        if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
            process.waitFor(30, TimeUnit.SECONDS);
            fail("scripts/local-cluster ran past " + TIMEOUT_MINUTES + " minutes; logs in " + cluster + "\n" + read(log));
        }
        String output = read(log);
        assertEquals(0, process.exitValue(), "scripts/local-cluster failed; logs in " + cluster + "\n" + output);
        return output;
    }

    /** Steps 0..n-1, each once, among the lines with a training loss (validation lines have none). */
    private static int trainingSteps(Path metrics) throws IOException {
        assertTrue(Files.isRegularFile(metrics), "no " + metrics);
        ObjectMapper json = new ObjectMapper();
        List<Long> steps = new ArrayList<>();
        for (String line : Files.readAllLines(metrics)) {
            JsonNode record = json.readTree(line);
            if (record.has("loss")) steps.add(record.get("step").asLong());
        }
        for (int i = 0; i < steps.size(); i++) assertEquals(i, steps.get(i), "steps in " + metrics + ": " + steps);
        return steps.size();
    }

    /** The trap must have stopped the Master and Workers (their command lines name the cluster folder). */
    private static void assertNoDaemonLeft(Path cluster) {
        String marker = cluster.toString();
        List<Long> left = ProcessHandle.allProcesses().filter(ProcessHandle::isAlive)
                .filter(p -> commandLine(p).contains(marker)).map(ProcessHandle::pid).toList();
        assertTrue(left.isEmpty(), "processes of the cluster still running after the script exited: " + left);
    }

    /**
     * From the event log of the one application: the master was the script's standalone Master,
     * executors registered from 127.0.0.1, and tasks ran, every one of them on such an executor.
     */
    private static void assertTasksRanOnClusterExecutors(Path events, String output) throws IOException {
        List<Path> logs;
        try (Stream<Path> files = Files.list(events)) {
            logs = files.toList();
        }
        assertEquals(1, logs.size(), "event logs " + logs + "\n" + output);
        ObjectMapper json = new ObjectMapper();
        String master = null;
        Map<String, String> executorHosts = new TreeMap<>();
        Set<String> taskExecutors = new TreeSet<>();
        for (String line : Files.readAllLines(logs.get(0))) {
            JsonNode event = json.readTree(line);
            switch (event.path("Event").asText()) {
                case "SparkListenerEnvironmentUpdate" -> master = event.path("Spark Properties").path("spark.master").asText();
                case "SparkListenerExecutorAdded" -> executorHosts.put(event.path("Executor ID").asText(),
                        event.path("Executor Info").path("Host").asText());
                case "SparkListenerTaskEnd" -> taskExecutors.add(event.path("Task Info").path("Executor ID").asText());
                default -> { }
            }
        }
        assertTrue(master != null && master.startsWith("spark://127.0.0.1:"),
                "the application's master was " + master + ", not the script's standalone Master\n" + output);
        assertFalse(taskExecutors.isEmpty(), "no task ran\n" + output);
        for (String id : taskExecutors) {
            // "driver" is the in-process executor of a local master.
            assertTrue(!id.equals("driver") && "127.0.0.1".equals(executorHosts.get(id)),
                    "a task ran on executor " + id + "; the executors registered were " + executorHosts);
        }
    }

    /** The jar's merged reference.conf holds spark-moe's keys, the engine's included. */
    private static void requireSparkMoeKeys(Path appJar) throws IOException {
        try (JarFile jar = new JarFile(appJar.toFile());
             Reader in = new InputStreamReader(jar.getInputStream(jar.getEntry("reference.conf")), StandardCharsets.UTF_8)) {
            Config reference = ConfigFactory.parseReader(in);
            assertTrue(reference.hasPath("spark-moe.train.steps"), "the jar's reference.conf lacks spark-moe's keys");
            assertTrue(reference.hasPath("spark-moe.engine.kind"), "the jar's reference.conf lacks the engine's keys");
        }
    }

    /** The Spark class path `package` wrote (Spark's provided dependencies, then the logging Spark ships). */
    private static String sparkClassPath() throws IOException {
        return Files.readString(Path.of(required("sparkmoe.sparkClasspath"))).trim() + ":"
                + Files.readString(Path.of(required("sparkmoe.sparkLoggingClasspath"))).trim();
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("system property " + property + " is not set: run this test with"
                    + " maven-failsafe (mvn verify), whose configuration in driver/pom.xml sets it");
        }
        return value;
    }

    private static String commandLine(ProcessHandle p) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(p.pid()), "cmdline")), StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return p.info().commandLine().orElse("");
        }
    }

    private static String read(Path log) throws IOException {
        return Files.isRegularFile(log) ? Files.readString(log) : "(no output)";
    }
}
