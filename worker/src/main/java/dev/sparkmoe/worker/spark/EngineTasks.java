package dev.sparkmoe.worker.spark;

import dev.sparkmoe.worker.engine.DataPartitionState;
import dev.sparkmoe.worker.engine.DenseSnapshot;
import dev.sparkmoe.worker.engine.EngineStages;
import dev.sparkmoe.worker.engine.ExpertOutputBlock;
import dev.sparkmoe.worker.engine.ExpertShard;
import dev.sparkmoe.worker.engine.ExpertState;
import dev.sparkmoe.worker.engine.PartitionBatch;
import dev.sparkmoe.worker.engine.PartitionResult;
import dev.sparkmoe.worker.engine.TokenBlock;
import dev.sparkmoe.worker.model.ModelConfig;
import dev.sparkmoe.worker.moe.Expert;
import org.nd4j.linalg.api.buffer.DataType;
import dev.sparkmoe.worker.optim.AdamW;
import dev.sparkmoe.worker.spark.FaultInjection.Kind;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.api.java.function.FlatMapFunction2;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.api.java.function.PairFlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import scala.Tuple2;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The functions the Spark engine's tasks run, one per kind of stage (docs/spark-engine.md). Each
 * is a static factory, so a closure captures only its arguments (never a driver object), and
 * each reads its shuffle input in full before it advances a partition's state, so a fetch
 * failure can only strike before the state changes. The math is in {@code worker.engine}; these
 * adapt it to RDD partitions.
 */
public final class EngineTasks {
    private EngineTasks() {}

    /**
     * Data stage 0: builds the partition's replica from the broadcast and runs to the first
     * dispatch (a training step, or an evaluation pass when {@code stages} is forward only).
     */
    public static FlatMapFunction<Iterator<PartitionBatch>, Resident<DataPartitionState>> startData(
            ModelConfig config, EngineStages stages, Broadcast<DenseSnapshot> dense, long step, FaultInjection faults) {
        return batches -> {
            PartitionBatch b = only(batches, "batch");
            DataPartitionState state = DataPartitionState.start(b.partition(), stages, config, dense.value(), b.batch(),
                    b.share());
            faults.strike(step, Kind.DATA, 0);
            return List.of(resident(state)).iterator();
        };
    }

    /** The token blocks data stage {@code stage} emitted, keyed by their expert (the dispatch shuffle's map side). */
    public static PairFlatMapFunction<Resident<DataPartitionState>, ExpertKey, TokenBlock> dispatch(int stage) {
        return state -> {
            List<Tuple2<ExpertKey, TokenBlock>> out = new ArrayList<>();
            for (TokenBlock b : state.get().emitted(stage)) out.add(new Tuple2<>(new ExpertKey(b.layer(), b.expertId()), b));
            return out.iterator();
        };
    }

    /** Data stage {@code stage} in {@code [1, 2M)}: hands in what came back and runs to the next MoE boundary. */
    public static FlatMapFunction2<Iterator<Resident<DataPartitionState>>, Iterator<ExpertOutputBlock>, Resident<DataPartitionState>>
            advanceData(int stage, long step, FaultInjection faults) {
        return (states, returned) -> {
            Resident<DataPartitionState> state = only(states, "data state");
            List<ExpertOutputBlock> in = drain(returned);
            state.get().advance(stage, in);
            faults.strike(step, Kind.DATA, stage);
            return List.of(state).iterator();
        };
    }

    /** The last data stage: finishes the backward pass; the partition's result for the driver. */
    public static FlatMapFunction2<Iterator<Resident<DataPartitionState>>, Iterator<ExpertOutputBlock>, Object>
            finishData(int stage, long step, FaultInjection faults) {
        return (states, returned) -> {
            Resident<DataPartitionState> state = only(states, "data state");
            List<ExpertOutputBlock> in = drain(returned);
            PartitionResult result = state.get().finish(in);
            faults.strike(step, Kind.DATA, stage);
            return List.<Object>of(result).iterator();
        };
    }

    /** Expert stage 0: rebuilds the partition's experts from the step's states and runs layer 0's forward. */
    public static FlatMapFunction2<Iterator<ExpertState>, Iterator<TokenBlock>, Resident<ExpertShard>> startShard(
            EngineStages stages, long step, FaultInjection faults) {
        return (states, received) -> {
            List<TokenBlock> in = drain(received);
            ExpertShard shard = ExpertShard.of(TaskContext.getPartitionId(), stages, states);
            shard.run(0, in);
            faults.strike(step, Kind.EXPERT, 0);
            return List.of(new Resident<>(shard, s -> 4096)).iterator();
        };
    }

    /** Expert stage {@code stage} in {@code [1, 2M)}: the forward or backward of its layer. */
    public static FlatMapFunction2<Iterator<Resident<ExpertShard>>, Iterator<TokenBlock>, Resident<ExpertShard>>
            advanceShard(int stage, long step, FaultInjection faults) {
        return (shards, received) -> {
            Resident<ExpertShard> shard = only(shards, "expert shard");
            List<TokenBlock> in = drain(received);
            shard.get().run(stage, in);
            faults.strike(step, Kind.EXPERT, stage);
            return List.of(shard).iterator();
        };
    }

    /** What expert stage {@code stage} returned, keyed by data partition (the combine shuffle's map side). */
    public static PairFlatMapFunction<Resident<ExpertShard>, Integer, ExpertOutputBlock> combine(int stage) {
        return shard -> {
            List<Tuple2<Integer, ExpertOutputBlock>> out = new ArrayList<>();
            for (ExpertOutputBlock b : shard.get().returned(stage)) out.add(new Tuple2<>(b.sourcePartition(), b));
            return out.iterator();
        };
    }

    /** The partition's expert gradient norms, once its backward stages ran. */
    public static Function<Resident<ExpertShard>, Object> gradNorms() {
        return shard -> shard.get().gradNorms();
    }

    /** The update stage: the partition's experts after the clipped AdamW update (next step's states). */
    public static FlatMapFunction<Iterator<Resident<ExpertShard>>, ExpertState> update(
            double lr, double clipScale, long adamStep, AdamW.Settings adam, long step, FaultInjection faults) {
        return shards -> {
            List<ExpertState> next = only(shards, "expert shard").get().update(lr, clipScale, adamStep, adam);
            faults.strike(step, Kind.UPDATE, 0);
            return next.iterator();
        };
    }

    /**
     * The controller's changes to the next step's expert states: drops the removed experts and
     * creates each new one, freshly initialised from {@code (seed, layer, id)}, in the partition
     * the placement chose for it (so a new expert is born on its executor).
     *
     * @param added new expert → the expert partition that hosts it
     */
    public static FlatMapFunction<Iterator<ExpertState>, ExpertState> applyChanges(
            Set<ExpertKey> removed, Map<ExpertKey, Integer> added, ModelConfig config, long seed) {
        return states -> {
            List<ExpertState> out = new ArrayList<>();
            while (states.hasNext()) {
                ExpertState s = states.next();
                if (!removed.contains(new ExpertKey(s.layer(), s.id()))) out.add(s);
            }
            int here = TaskContext.getPartitionId();
            for (Map.Entry<ExpertKey, Integer> e : new TreeMap<>(added).entrySet()) {
                if (e.getValue() != here) continue;
                ExpertKey k = e.getKey();
                out.add(ExpertState.of(Expert.create(k.layer(), k.id(), config.dModel(), config.expertFfnDim(), seed,
                        DataType.FLOAT)));
            }
            return out.iterator();
        };
    }

    private static Resident<DataPartitionState> resident(DataPartitionState s) {
        return new Resident<>(s, DataPartitionState::heapBytes);
    }

    private static <T> List<T> drain(Iterator<T> it) {
        List<T> out = new ArrayList<>();
        while (it.hasNext()) out.add(it.next());
        return out;
    }

    private static <T> T only(Iterator<T> it, String what) {
        if (!it.hasNext()) throw new IllegalStateException("partition " + TaskContext.getPartitionId() + " holds no " + what);
        T t = it.next();
        if (it.hasNext()) throw new IllegalStateException("partition " + TaskContext.getPartitionId() + " holds more than one " + what);
        return t;
    }
}
