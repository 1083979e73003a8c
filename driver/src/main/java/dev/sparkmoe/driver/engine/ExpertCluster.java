package dev.sparkmoe.driver.engine;

import dev.sparkmoe.routing.ExpertPlacement;
import dev.sparkmoe.routing.RoutingRecord;
import dev.sparkmoe.worker.engine.ExpertState;
import dev.sparkmoe.worker.model.ModelConfig;
import dev.sparkmoe.worker.model.MoETransformer;
import dev.sparkmoe.worker.moe.MoELayer;
import dev.sparkmoe.worker.spark.EngineTasks;
import dev.sparkmoe.worker.spark.ExpertKey;
import dev.sparkmoe.worker.spark.ExpertPartitioner;
import dev.sparkmoe.worker.state.PlacementState;
import dev.sparkmoe.worker.train.ControllerEvent;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Where the experts live: the current version of the experts RDD (one {@link ExpertState} per
 * live expert, partition {@code i} holding the experts placement puts on expert partition
 * {@code i}), each MoE layer's {@link ExpertPlacement}, and the {@link ExpertPartitioner} that
 * sends token blocks to them. Driver side; owns no model math.
 *
 * <p>Each version is persisted replicated ({@code MEMORY_ONLY_2}) and marked for
 * {@code localCheckpoint()}, so its lineage is cut by the job that first computes it and a lost
 * executor leaves the other replica (DESIGN.md, "Surviving a lost executor"). A version is
 * unpersisted only once the version after it has been computed and cut.
 */
final class ExpertCluster {
    private final int partitions;
    private final double tolerance;
    private final ModelConfig config;
    private final long seed;
    private final List<ExpertPlacement> placements = new ArrayList<>();
    private final List<RoutingRecord> loadSinceLastPlacement = new ArrayList<>();
    private ExpertPartitioner partitioner;
    private JavaRDD<ExpertState> states;     // version s+1 after step s: lazy until step s+1's job
    private JavaRDD<ExpertState> previous;   // version s: computed and cut by step s's job
    private JavaRDD<ExpertState> older;      // version s-1: nothing depends on it any more

    private final StorageLevel storage;

    /** Creates every initial expert on the executor of its expert partition (seeded as in the reference trainer). */
    ExpertCluster(JavaSparkContext sc, MoETransformer driver, int partitions, double tolerance, long seed) {
        this(sc, driver, partitions, tolerance, seed, Map.of());
        this.states = keep(sc.parallelize(new ArrayList<ExpertState>(), partitions)
                .mapPartitions(EngineTasks.applyChanges(Set.of(), placement(), config, seed), true));
    }

    /**
     * Restores checkpointed experts: each stays on its saved expert partition when that
     * partition still exists, the others are placed where the fewest experts are (a run may
     * resume with a different number of expert partitions). The states ship from the driver
     * once, to the partition placement picks.
     *
     * @param saved the checkpoint's placement and recorded load ({@link PlacementState#NONE} from a single-process run)
     */
    ExpertCluster(JavaSparkContext sc, MoETransformer driver, int partitions, double tolerance, long seed,
                  List<ExpertState> restored, PlacementState saved) {
        this(sc, driver, partitions, tolerance, seed, flatten(saved));
        for (int l = 0; l < saved.layers().size() && l < loadSinceLastPlacement.size(); l++) {
            loadSinceLastPlacement.set(l, saved.layers().get(l).loadSinceLastPlacement());
        }
        Set<ExpertKey> live = placement().keySet();
        Set<ExpertKey> got = new HashSet<>();
        for (ExpertState st : restored) got.add(new ExpertKey(st.layer(), st.id()));
        if (!got.equals(live) || got.size() != restored.size()) {
            throw new IllegalArgumentException("the checkpoint's experts " + new TreeSet<>(got)
                    + " do not match the model's live experts " + new TreeSet<>(live));
        }
        List<Tuple2<ExpertKey, ExpertState>> keyed = new ArrayList<>();
        for (ExpertState st : restored) keyed.add(new Tuple2<>(new ExpertKey(st.layer(), st.id()), st));
        this.states = keep(sc.parallelizePairs(keyed, partitions).partitionBy(partitioner).values());
    }

    private static Map<ExpertKey, Integer> flatten(PlacementState saved) {
        Map<ExpertKey, Integer> out = new HashMap<>();
        for (int l = 0; l < saved.layers().size(); l++) {
            for (Map.Entry<Integer, Integer> e : saved.layers().get(l).partitionOf().entrySet()) {
                out.put(new ExpertKey(l, e.getKey()), e.getValue());
            }
        }
        return out;
    }

    /** Placement of the driver model's live experts, keeping {@code saved} where it still fits. */
    private ExpertCluster(JavaSparkContext sc, MoETransformer driver, int partitions, double tolerance, long seed,
                          Map<ExpertKey, Integer> saved) {
        this.partitions = partitions;
        this.tolerance = tolerance;
        // A second copy survives the loss of an executor (DESIGN.md); in local mode the only
        // executor is the driver, so there is no peer to hold one.
        this.storage = sc.isLocal() ? StorageLevel.MEMORY_ONLY() : StorageLevel.MEMORY_ONLY_2();
        this.config = driver.config();
        this.seed = seed;
        for (MoELayer layer : driver.moeLayers()) {
            Map<Integer, Integer> current = new HashMap<>();
            for (Map.Entry<ExpertKey, Integer> e : saved.entrySet()) {
                if (e.getKey().layer() == layer.layerIndex()) current.put(e.getKey().id(), e.getValue());
            }
            placements.add(ExpertPlacement.place(current, layer.liveExperts().ids(), Map.of(), partitions, tolerance));
            loadSinceLastPlacement.add(null);
        }
        this.partitioner = new ExpertPartitioner(partitions, placements);
    }

    JavaRDD<ExpertState> states() { return states; }
    ExpertPartitioner partitioner() { return partitioner; }
    List<ExpertPlacement> placements() { return List.copyOf(placements); }

    /** The placement and the load recorded since each layer was last placed, as a checkpoint keeps them. */
    PlacementState placementState() {
        List<PlacementState.Layer> layers = new ArrayList<>();
        for (int l = 0; l < placements.size(); l++) {
            layers.add(new PlacementState.Layer(placements.get(l).asMap(), loadSinceLastPlacement.get(l)));
        }
        return new PlacementState(partitions, layers);
    }

    /** Every live expert's expert partition. */
    Map<ExpertKey, Integer> placement() {
        return flatten(placementState());
    }

    /**
     * Installs the next version: the updated states, minus the experts the controller removed,
     * plus the ones it added (born in the partition placement picks), re-placed when the
     * recorded load is unbalanced or the expert sets changed. Lazy: the next step's first expert
     * stage computes it.
     *
     * @param driver  the driver model, whose routers already reflect {@code events}
     * @param records each MoE layer's record of the step just run
     * @return the experts that moved, per layer (empty when placement stayed)
     */
    List<List<ExpertPlacement.Move>> next(JavaRDD<ExpertState> updated, List<ControllerEvent> events,
                                          List<RoutingRecord> records, MoETransformer driver, boolean rebalance) {
        Set<ExpertKey> removed = new HashSet<>();
        Map<ExpertKey, Integer> added = new TreeMap<>();
        boolean changed = !events.isEmpty();
        for (ControllerEvent e : events) for (int id : e.removed()) removed.add(new ExpertKey(e.layer(), id));
        List<List<ExpertPlacement.Move>> moves = new ArrayList<>();
        boolean moved = false;
        for (MoELayer layer : driver.moeLayers()) {
            int l = layer.layerIndex();
            RoutingRecord acc = loadSinceLastPlacement.get(l);
            loadSinceLastPlacement.set(l, acc == null ? records.get(l) : acc.merge(records.get(l)));
            if (!changed && !rebalance) {
                moves.add(List.of());
                continue;
            }
            ExpertPlacement old = placements.get(l);
            ExpertPlacement p = ExpertPlacement.place(old.asMap(), layer.liveExperts().ids(), load(loadSinceLastPlacement.get(l)),
                    partitions, tolerance);
            placements.set(l, p);
            loadSinceLastPlacement.set(l, null);
            for (int id : p.placedNew()) added.put(new ExpertKey(l, id), p.partitionOf(id));
            moves.add(p.moves());
            moved |= !p.moves().isEmpty();
        }
        JavaRDD<ExpertState> next = removed.isEmpty() && added.isEmpty() ? updated
                : updated.mapPartitions(EngineTasks.applyChanges(removed, added, config, seed), true);
        if (changed || moved) partitioner = new ExpertPartitioner(partitions, placements);
        if (moved) {
            next = next.mapToPair(s -> new Tuple2<>(new ExpertKey(s.layer(), s.id()), s)).partitionBy(partitioner).values();
        }
        older = previous;
        previous = states;
        states = keep(next);
        return moves;
    }

    /**
     * Unpersists the version two back. Not the previous one: the new version is still lazy, and
     * if an executor dies before it is computed, Spark rebuilds it from the previous step's
     * expert stages, which read the previous version.
     */
    void retireOlder() {
        if (older != null) older.unpersist(false);
        older = null;
    }

    /** Unpersists every version: the training is over and its Spark context lives on (a sweep sharing one). */
    void release() {
        for (JavaRDD<ExpertState> v : java.util.Arrays.asList(older, previous, states)) {
            if (v != null) v.unpersist(false);
        }
        older = null;
        previous = null;
    }

    private static Map<Integer, Long> load(RoutingRecord r) {
        Map<Integer, Long> out = new HashMap<>();
        if (r == null) return out;
        int[] ids = r.expertIds();
        long[] n = r.tokensPerExpert();
        for (int i = 0; i < ids.length; i++) out.put(ids[i], n[i]);
        return out;
    }

    private JavaRDD<ExpertState> keep(JavaRDD<ExpertState> rdd) {
        rdd.persist(storage);
        rdd.rdd().localCheckpoint();
        return rdd.setName("experts");
    }
}
