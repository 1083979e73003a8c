package dev.sparkmoe.worker.spark;

import dev.sparkmoe.routing.ExpertPlacement;
import dev.sparkmoe.routing.ExpertSet;
import dev.sparkmoe.worker.engine.DispatchBlocks;
import dev.sparkmoe.worker.engine.ExpertOutputBlock;
import dev.sparkmoe.worker.engine.ExpertState;
import dev.sparkmoe.worker.engine.TokenBlock;
import dev.sparkmoe.worker.moe.Expert;
import dev.sparkmoe.worker.moe.ExpertBlocks;
import org.apache.spark.Dependency;
import org.apache.spark.OneToOneDependency;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import scala.Tuple2;
import scala.collection.JavaConverters;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One dispatch → expert → combine round of one MoE layer on a real local[2] Spark with Kryo
 * registration required: experts RDD partitioned by placement, replicated and locally
 * checkpointed; token blocks shuffled to it and zipped without another shuffle; outputs
 * shuffled back to their data partitions.
 */
class EngineSparkTest {
    private static final int D = 4;
    private static final int F = 6;
    private static final long SEED = 17;
    private static final int P_DATA = 3;
    private static final int P_EXPERT = 2;
    private static final int LAYER = 1;
    private static final ExpertSet[] LIVE = {ExpertSet.initial(3), new ExpertSet(new int[]{0, 2, 3, 5}, 6)};
    private static final int TOKENS = 6;

    private static JavaSparkContext jsc;

    static SparkConf conf(String app) {
        return new SparkConf()
                .setMaster("local[2]")
                .setAppName(app)
                .set("spark.ui.enabled", "false")
                .set("spark.default.parallelism", "2")
                .set("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
                .set("spark.kryo.registrationRequired", "true")
                .set("spark.kryo.registrator", EngineKryoRegistrator.class.getName())
                .set("spark.driver.host", "127.0.0.1");
    }

    @BeforeAll
    static void start() {
        jsc = new JavaSparkContext(conf("engine-spark-test"));
    }

    @AfterAll
    static void stop() {
        if (jsc != null) jsc.stop();
    }

    private static ExpertPartitioner partitioner() {
        return new ExpertPartitioner(P_EXPERT, List.of(ExpertPlacement.initial(LIVE[0].ids(), P_EXPERT),
                ExpertPlacement.initial(LIVE[1].ids(), P_EXPERT)));
    }

    /** Data partition {@code p}'s dispatch of layer 1: slot {@code s} gets {@code (p + s) % 3} tokens. */
    private static ExpertBlocks dispatchOf(int p, int[] tokenIndexOut) {
        ExpertSet live = LIVE[LAYER];
        int[] off = new int[live.size() + 1];
        int k = 0;
        for (int s = 0; s < live.size(); s++) {
            int n = (p + s) % 3;
            for (int i = 0; i < n; i++) tokenIndexOut[k++] = (s + 2 * i) % TOKENS;
            java.util.Arrays.sort(tokenIndexOut, off[s], k);
            off[s + 1] = k;
        }
        float[] v = new float[k * D];
        for (int i = 0; i < v.length; i++) v[i] = (float) Math.sin(1000 * p + i);
        return new ExpertBlocks(k == 0 ? null : Nd4j.create(v, new long[]{k, D}, 'c'), off);
    }

    private static List<TokenBlock> blocksOf(int p) {
        int[] tokens = new int[3 * LIVE[LAYER].size()];
        ExpertBlocks b = dispatchOf(p, tokens);
        return DispatchBlocks.toTokenBlocks(p, LAYER, LIVE[LAYER], b,
                java.util.Arrays.copyOf(tokens, b.offsets()[LIVE[LAYER].size()]));
    }

    @Test
    void dispatchExpertAndCombineRoundTrip() {
        ExpertPartitioner part = partitioner();
        List<ExpertKey> keys = new ArrayList<>();
        for (int layer = 0; layer < LIVE.length; layer++) for (int id : LIVE[layer].ids()) keys.add(new ExpertKey(layer, id));

        JavaPairRDD<ExpertKey, ExpertState> experts = jsc.parallelize(keys, 2)
                .mapToPair(k -> new Tuple2<>(k, ExpertState.of(Expert.create(k.layer(), k.id(), D, F, SEED, DataType.FLOAT))))
                .partitionBy(part)
                .persist(StorageLevel.MEMORY_ONLY_2());
        experts.rdd().localCheckpoint();
        List<String> hosted = experts.mapPartitionsWithIndex((idx, it) -> {
            List<String> out = new ArrayList<>();
            while (it.hasNext()) {
                ExpertKey k = it.next()._1();
                if (part.getPartition(k) != idx) throw new IllegalStateException(k + " hosted on " + idx);
                out.add(k.toString());
            }
            return out.iterator();
        }, true).collect();
        assertEquals(keys.size(), hosted.size());
        assertTrue(experts.rdd().isCheckpointed(), "locally checkpointed once materialised");
        assertEquals(2, experts.getStorageLevel().replication());
        assertSame(experts.rdd(), experts.partitionBy(partitioner()).rdd(), "an equal partitioner means no shuffle");
        Map<ExpertKey, ExpertState> states = experts.collectAsMap();
        for (ExpertKey k : keys) {
            assertEquals(ExpertState.of(Expert.create(k.layer(), k.id(), D, F, SEED, DataType.FLOAT)), states.get(k),
                    k + " survived the shuffle bit-exactly");
        }

        JavaPairRDD<ExpertKey, TokenBlock> tokens = jsc.parallelize(List.of(0, 1, 2), P_DATA)
                .flatMapToPair(p -> blocksOf(p).stream().map(b -> new Tuple2<>(new ExpertKey(b.layer(), b.expertId()), b))
                        .iterator())
                .partitionBy(part);
        JavaPairRDD<ExpertKey, ExpertState> layerExperts = experts.filter(t -> t._1().layer() == LAYER);
        assertEquals(layerExperts.partitioner(), tokens.partitioner(), "co-partitioned");

        JavaRDD<TokenBlock> received = layerExperts.zipPartitions(tokens, EngineSparkTest::receivedInOrder);
        assertNarrow(received);
        assertEquals(expectedArrivals(part), received.collect());

        JavaRDD<ExpertOutputBlock> outputs = layerExperts.zipPartitions(tokens, EngineSparkTest::expertForward);
        assertNarrow(outputs);
        List<float[]> combined = outputs.mapToPair(o -> new Tuple2<>(o.sourcePartition(), o))
                .partitionBy(new DataPartitioner(P_DATA))
                .mapPartitionsWithIndex((p, it) -> {
                    int[] tokenIndex = new int[3 * LIVE[LAYER].size()];
                    int[] off = dispatchOf(p, tokenIndex).offsets();
                    Iterator<ExpertOutputBlock> blocks = JavaConverters.asJavaIterator(
                            JavaConverters.asScalaIterator(it).map(t -> t._2()));
                    INDArray out = DispatchBlocks.gatherOutputs(p, LAYER, LIVE[LAYER], off, D, blocks, DataType.FLOAT);
                    return List.of(out == null ? new float[0] : out.reshape(out.length()).toFloatVector()).iterator();
                }, true).collect();
        for (int p = 0; p < P_DATA; p++) {
            assertArrayEquals(localForward(p), combined.get(p), 1e-6f, "partition " + p + " got its expert outputs back");
        }
    }

    /** Expert side: checks every block is hosted here and returns them in the order an expert stage uses. */
    private static Iterator<TokenBlock> receivedInOrder(Iterator<Tuple2<ExpertKey, ExpertState>> hosted,
                                                        Iterator<Tuple2<ExpertKey, TokenBlock>> blocks) {
        SortedMap<Integer, ExpertState> byId = hostedStates(hosted);
        SortedMap<Integer, List<TokenBlock>> in = DispatchBlocks.byExpert(values(blocks));
        List<TokenBlock> out = new ArrayList<>();
        for (Map.Entry<Integer, List<TokenBlock>> e : in.entrySet()) {
            if (!byId.containsKey(e.getKey())) throw new IllegalStateException("expert " + e.getKey() + " not hosted here");
            out.addAll(e.getValue());
        }
        return out.iterator();
    }

    /** Expert side: one FFN forward per hosted expert on its concatenated rows. */
    private static Iterator<ExpertOutputBlock> expertForward(Iterator<Tuple2<ExpertKey, ExpertState>> hosted,
                                                             Iterator<Tuple2<ExpertKey, TokenBlock>> blocks) {
        SortedMap<Integer, ExpertState> byId = hostedStates(hosted);
        List<ExpertOutputBlock> out = new ArrayList<>();
        for (Map.Entry<Integer, List<TokenBlock>> e : DispatchBlocks.byExpert(values(blocks)).entrySet()) {
            Expert expert = byId.get(e.getKey()).toExpert(DataType.FLOAT);
            INDArray x = DispatchBlocks.concatRows(e.getValue(), D, DataType.FLOAT);
            out.addAll(DispatchBlocks.toOutputBlocks(e.getValue(), expert.ffn().forward(x)));
        }
        return out.iterator();
    }

    private static SortedMap<Integer, ExpertState> hostedStates(Iterator<Tuple2<ExpertKey, ExpertState>> hosted) {
        SortedMap<Integer, ExpertState> byId = new TreeMap<>();
        hosted.forEachRemaining(t -> byId.put(t._1().id(), t._2()));
        return byId;
    }

    private static <K, V> Iterator<V> values(Iterator<Tuple2<K, V>> it) {
        List<V> out = new ArrayList<>();
        it.forEachRemaining(t -> out.add(t._2()));
        return out.iterator();
    }

    /** Per expert partition, experts ascending, each expert's blocks in source-partition order. */
    private static List<TokenBlock> expectedArrivals(ExpertPartitioner part) {
        List<TokenBlock> all = new ArrayList<>();
        for (int p = 0; p < P_DATA; p++) all.addAll(blocksOf(p));
        List<TokenBlock> out = new ArrayList<>();
        for (int ep = 0; ep < P_EXPERT; ep++) {
            for (int id : LIVE[LAYER].ids()) {
                if (part.partitionOf(LAYER, id) != ep) continue;
                for (TokenBlock b : all) if (b.expertId() == id) out.add(b);
            }
        }
        return out;
    }

    /** The single-process result for partition {@code p}: each slot's rows through its expert. */
    private static float[] localForward(int p) {
        int[] tokenIndex = new int[3 * LIVE[LAYER].size()];
        ExpertBlocks b = dispatchOf(p, tokenIndex);
        if (b.rows() == null) return new float[0];
        INDArray out = b.rows().ulike();
        for (int s = 0; s < b.numExperts(); s++) {
            if (b.count(s) == 0) continue;
            Expert e = Expert.create(LAYER, LIVE[LAYER].id(s), D, F, SEED, DataType.FLOAT);
            out.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(b.offsets()[s], b.offsets()[s + 1]),
                    org.nd4j.linalg.indexing.NDArrayIndex.all()).assign(e.ffn().forward(b.block(s)));
        }
        return out.reshape(out.length()).toFloatVector();
    }

    private static void assertNarrow(JavaRDD<?> rdd) {
        List<Dependency<?>> deps = JavaConverters.seqAsJavaList(rdd.rdd().dependencies());
        assertEquals(2, deps.size());
        for (Dependency<?> d : deps) assertTrue(d instanceof OneToOneDependency, "zip adds no shuffle: " + d);
    }
}
