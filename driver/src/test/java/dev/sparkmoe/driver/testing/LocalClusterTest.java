package dev.sparkmoe.driver.testing;

import org.apache.spark.SparkStageInfo;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.JavaSparkStatusTracker;
import org.apache.spark.storage.StorageLevel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Smoke test of {@link LocalCluster}: two executor JVMs, SIGKILL of one (between jobs and during
 * a job) and recovery, ND4J on executors.
 */
class LocalClusterTest {
    private static final Duration STARTUP = Duration.ofSeconds(30);
    private static JavaSparkContext sc;

    @BeforeAll
    static void start() {
        long t0 = System.nanoTime();
        sc = new JavaSparkContext(LocalCluster.conf("LocalClusterTest"));
        LocalCluster.awaitExecutors(sc, 2, STARTUP);
        System.out.printf("local-cluster: 2 executors registered %d ms after creating the context%n",
                (System.nanoTime() - t0) / 1_000_000);
    }

    @AfterAll
    static void stop() {
        if (sc != null) {
            sc.stop();
        }
    }

    /** Every test starts with two executors, whatever an earlier test killed. */
    @BeforeEach
    void twoExecutors() {
        LocalCluster.awaitExecutors(sc, 2, STARTUP);
    }

    @Test
    void tasksRunInTwoExecutorJvmsOtherThanTheTestJvm() {
        // Each task sleeps so that one executor cannot take all four before the other gets one.
        List<Long> pids = sc.parallelize(List.of(1, 2, 3, 4), 4).map(x -> {
            Thread.sleep(300);
            return ProcessHandle.current().pid();
        }).collect();
        Set<Long> distinct = new HashSet<>(pids);
        assertEquals(2, distinct.size(), "task pids " + pids);
        assertFalse(distinct.contains(ProcessHandle.current().pid()), "a task ran in the test JVM");
        Set<Long> executorPids = LocalCluster.executors().stream()
                .map(LocalCluster.ExecutorProcess::pid).collect(Collectors.toSet());
        assertEquals(executorPids, distinct, "tasks ran in the executor JVMs executors() lists");
    }

    @Test
    void aReplicatedCachedRddSurvivesTheSigkillOfAnExecutorHoldingIt() {
        JavaRDD<Integer> rdd = sc.parallelize(IntStream.range(0, 1000).boxed().toList(), 4)
                .map(x -> x * 3)
                .persist(StorageLevel.MEMORY_ONLY_2());
        int sum = rdd.reduce(Integer::sum);
        List<String> holders = LocalCluster.executorsWithCachedPartition(rdd, 0);
        assertEquals(2, holders.size(), "MEMORY_ONLY_2 keeps partition 0 on both executors: " + holders);

        String victim = holders.get(0);
        Set<String> before = new HashSet<>(LocalCluster.executorIds(sc));
        LocalCluster.kill(victim);
        assertTrue(LocalCluster.executors().stream().noneMatch(e -> e.executorId().equals(victim)),
                "executor " + victim + " still alive: " + LocalCluster.executors());

        assertEquals(sum, rdd.reduce(Integer::sum), "the job after the kill");
        // The Master launches a replacement with a fresh id; the driver registers it.
        LocalCluster.await(() -> {
            Set<String> now = new HashSet<>(LocalCluster.executorIds(sc));
            return now.size() == 2 && !now.contains(victim) && !before.containsAll(now);
        }, STARTUP, () -> "no replacement for executor " + victim + "; registered " + LocalCluster.executorIds(sc));
        assertEquals(2, LocalCluster.executors().size(), "live executor JVMs " + LocalCluster.executors());
        assertFalse(LocalCluster.executorsWithCachedPartition(rdd, 0).contains(victim),
                "the dead executor's blocks are forgotten");
        assertEquals(sum, rdd.reduce(Integer::sum), "the job on the replacement executors");
        rdd.unpersist(true);
    }

    @Test
    void aJobSurvivesTheSigkillOfAnExecutorRunningOneOfItsTasks() throws Exception {
        JavaFutureAction<List<Integer>> job = sc.parallelize(List.of(1, 2, 3, 4), 4).map(x -> {
            Thread.sleep(2000);
            return x * x;
        }).collectAsync();
        // Kill only once both executors run a task, so one task surely dies with its JVM.
        LocalCluster.await(() -> runningTasks(job) >= 2, STARTUP, () -> "tasks never started");
        LocalCluster.kill(LocalCluster.executors().get(0).executorId());
        assertEquals(List.of(1, 4, 9, 16), job.get(60, TimeUnit.SECONDS));
    }

    private static int runningTasks(JavaFutureAction<?> job) {
        JavaSparkStatusTracker tracker = sc.statusTracker();
        return job.jobIds().stream().map(tracker::getJobInfo).filter(Objects::nonNull)
                .flatMapToInt(j -> Arrays.stream(j.stageIds())).mapToObj(tracker::getStageInfo)
                .filter(Objects::nonNull).mapToInt(SparkStageInfo::numActiveTasks).sum();
    }

    @Test
    void executorsCanUseNd4j() {
        List<Double> sums = sc.parallelize(List.of(1, 2), 2)
                .map(x -> Nd4j.create(new float[]{1, 2, 3}).sumNumber().doubleValue() * x)
                .collect();
        assertEquals(List.of(6.0, 12.0), sums);
    }
}
