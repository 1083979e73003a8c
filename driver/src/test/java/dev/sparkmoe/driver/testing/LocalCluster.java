package dev.sparkmoe.driver.testing;

import org.apache.spark.SparkConf;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.BlockManagerId;
import org.apache.spark.storage.RDDBlockId;
import scala.collection.JavaConverters;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Runs Spark tests on a real multi-JVM cluster, {@code local-cluster[N,1,1024]}, from the Maven
 * test class path, and lets a test SIGKILL one executor JVM.
 *
 * <p>How it works: with a {@code local-cluster} master the driver starts a standalone Master and
 * N Workers inside the test JVM; each Worker launches its executor as a separate
 * {@code java ... CoarseGrainedExecutorBackend} child process, built by Spark's launcher
 * from {@code $SPARK_HOME/jars/*} plus {@code spark.executor.extraClassPath}. There is no Spark
 * distribution here, so {@link #conf} points the executors at the test JVM's own class path
 * (every module's {@code target/classes}, {@code target/test-classes} and dependency jar) and
 * the launcher at an empty fake Spark home. The Worker reads its Spark home only from the
 * {@code SPARK_HOME} environment variable (not {@code spark.home}), so the driver module's
 * surefire configuration sets {@code SPARK_HOME=target/spark-home}; executors write their logs
 * to {@code target/spark-home/work/<app>/<executor>/stderr}.
 *
 * <p>Executors are children of the test JVM, so {@link #executors()} finds them among
 * {@link ProcessHandle#descendants()}. After {@link #kill} the Worker reports the exit (code 137)
 * and the Master launches a replacement executor with the next id, by default up to
 * {@code spark.deploy.maxExecutorRetries} (10) abnormal exits per application.
 */
public final class LocalCluster {
    /** Worker memory of the {@code local-cluster} master; executors must fit in it. */
    private static final int WORKER_MB = 1024;
    private static final String EXECUTOR_MAIN = "org.apache.spark.executor.CoarseGrainedExecutorBackend";

    private LocalCluster() {}

    /** One live executor JVM: its process id, Spark executor id and application id. */
    public record ExecutorProcess(long pid, String executorId, String appId) {}

    /** {@link #conf(String, int)} with two executors. */
    public static SparkConf conf(String appName) {
        return conf(appName, 2);
    }

    /**
     * A SparkConf for {@code local-cluster[executors,1,1024]}: one single-core Worker (hence one
     * executor JVM) per executor. Callers add their own settings (serializer, parallelism...).
     */
    public static SparkConf conf(String appName, int executors) {
        prepareSparkHome();
        return new SparkConf()
                .setMaster("local-cluster[" + executors + ",1," + WORKER_MB + "]")
                .setAppName(appName)
                // The executors' only other class path entry is the empty $SPARK_HOME/jars/*.
                .set("spark.executor.extraClassPath", testClassPath())
                // Spark's launcher needs a Scala version to look for jars: without it (and
                // without a Spark build tree) it fails "Cannot find any build directories".
                // It reads executor environment variables, so this one is enough.
                .set("spark.executorEnv.SPARK_SCALA_VERSION", "2.12")
                // Not needed (the default 1g just fits a 1024 MB Worker); half keeps two JVMs light.
                .set("spark.executor.memory", "512m")
                // ND4J's OpenMP threads would fight Spark's task thread (DESIGN.md); the Worker
                // passes the test JVM's environment on, but IDE runs may lack it.
                .set("spark.executorEnv.OMP_NUM_THREADS", "1")
                // Not needed to run; saves a Jetty server and a port per test context.
                .set("spark.ui.enabled", "false");
        // Not needed: --add-opens for executors. Spark 3.5 adds its Java 17 list (the same
        // as the parent pom's java17.opens) to every executor command line itself.
    }

    /** Waits until {@code count} executors have registered with the driver. */
    public static void awaitExecutors(JavaSparkContext sc, int count, Duration timeout) {
        await(() -> executorIds(sc).size() >= count, timeout,
                () -> "expected " + count + " registered executors, have " + executorIds(sc)
                        + "; executor logs under " + sparkHome().resolve("work"));
    }

    /** The executors registered with the driver now (excludes the driver). */
    public static List<String> executorIds(JavaSparkContext sc) {
        return new ArrayList<>(JavaConverters.seqAsJavaList(sc.sc().getExecutorIds()));
    }

    /** The live executor JVMs launched (through the in-process Workers) by this JVM. */
    public static List<ExecutorProcess> executors() {
        List<ExecutorProcess> out = new ArrayList<>();
        ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).forEach(p -> {
            List<String> args = arguments(p);
            if (args.contains(EXECUTOR_MAIN)) {
                out.add(new ExecutorProcess(p.pid(), option(args, "--executor-id"), option(args, "--app-id")));
            }
        });
        return out;
    }

    /**
     * Sends SIGKILL to the JVM of executor {@code executorId} ({@code destroyForcibly} is
     * {@code kill(pid, SIGKILL)} on Linux; the Worker logs exit code 137) and waits until it is gone.
     */
    public static void kill(String executorId) {
        List<ExecutorProcess> live = executors();
        List<ExecutorProcess> match = live.stream().filter(e -> e.executorId().equals(executorId)).toList();
        if (match.size() != 1) {
            throw new IllegalArgumentException((match.isEmpty() ? "no live executor JVM with id " : "several executor JVMs with id ")
                    + executorId + "; live executors: " + live);
        }
        ProcessHandle handle = ProcessHandle.of(match.get(0).pid()).orElse(null);
        if (handle == null) {
            return; // exited between listing and lookup: already gone
        }
        handle.destroyForcibly();
        try {
            handle.onExit().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("executor " + executorId + " (pid " + handle.pid() + ") survived SIGKILL", e);
        }
    }

    /**
     * The executors whose block managers hold partition {@code partition} of the cached
     * {@code rdd} now (two for a {@code *_2} storage level), asked synchronously of the driver's
     * BlockManagerMaster. (Scala-private API, callable from Java; the public storage status
     * ({@code getRDDStorageInfo}) has no per-partition locations and the status store lags.)
     */
    public static List<String> executorsWithCachedPartition(JavaRDD<?> rdd, int partition) {
        List<BlockManagerId> ids = JavaConverters.seqAsJavaList(
                SparkEnv.get().blockManager().master().getLocations(new RDDBlockId(rdd.id(), partition)));
        return ids.stream().map(BlockManagerId::executorId).sorted().collect(Collectors.toList());
    }

    /** Polls {@code condition} every 100 ms until it holds, or fails with {@code message}. */
    public static void await(BooleanSupplier condition, Duration timeout, Supplier<String> message) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out after " + timeout + ": " + message.get(),
                        new TimeoutException());
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting: " + message.get(), e);
            }
        }
    }

    /** The fake Spark home; the Worker takes it from {@code SPARK_HOME}, so that must be set. */
    static Path sparkHome() {
        String home = System.getenv("SPARK_HOME");
        if (home == null || home.isBlank()) {
            throw new IllegalStateException("local-cluster tests need the environment variable SPARK_HOME"
                    + " (any writable directory, e.g. target/spark-home; driver/pom.xml sets it for surefire):"
                    + " the in-process Worker launches executors from SPARK_HOME/jars and ignores spark.home");
        }
        return Path.of(home).toAbsolutePath();
    }

    /** Creates {@code $SPARK_HOME/jars}: the launcher requires the directory; it may stay empty. */
    private static void prepareSparkHome() {
        try {
            Files.createDirectories(sparkHome().resolve("jars"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Surefire runs tests from a manifest-only jar; the real class path is in this property. */
    private static String testClassPath() {
        return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    }

    /**
     * A process's arguments from /proc/PID/cmdline. Not ProcessHandle.Info first: JDK 17 reads
     * only the first 4096 bytes of that file, so for an executor (its class path alone is
     * ~20 KB) {@code arguments()} is empty and {@code commandLine()} cut off before the main class.
     */
    private static List<String> arguments(ProcessHandle p) {
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(p.pid()), "cmdline"));
            return Arrays.asList(new String(raw, StandardCharsets.UTF_8).split("\0"));
        } catch (IOException | RuntimeException e) {
            // Gone, or no /proc (not Linux): whatever the JDK can tell.
            return p.info().arguments().map(Arrays::asList).orElse(List.of());
        }
    }

    private static String option(List<String> args, String name) {
        int i = args.indexOf(name);
        return i >= 0 && i + 1 < args.size() ? args.get(i + 1) : "?";
    }
}
