package dev.sparkmoe.worker.engine;

import dev.sparkmoe.routing.Param;
import dev.sparkmoe.worker.moe.Expert;
import dev.sparkmoe.worker.optim.AdamW;
import dev.sparkmoe.worker.optim.GradientClipping;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One expert partition's side of one training step: every expert the placement puts here (all
 * MoE layers), rebuilt from the step's {@link ExpertState}s (or taken live from the previous
 * step's update on this executor, {@link ExpertHandoff}), advanced one expert stage per Spark
 * stage ({@link EngineStages}). A forward stage runs each expert on its token blocks, in
 * source-partition order, as one GEMM pair; a backward stage runs the matching backward and adds
 * the expert's gradients; the update stage clips those gradients by the driver's global factor
 * and applies AdamW, giving the next step's states.
 *
 * <p>Lives in a cached RDD partition between stages; each stage runs at most once
 * ({@link StageLog}), so a retried task re-emits what the first attempt emitted and never adds a
 * gradient twice.
 */
public final class ExpertShard {
    private final int partition;
    private final EngineStages stages;
    private final SortedMap<Integer, SortedMap<Integer, Expert>> experts = new TreeMap<>();   // layer → id → expert
    private final Map<Integer, SortedMap<Integer, List<TokenBlock>>> inputs = new TreeMap<>(); // layer → id → forward blocks
    private final StageLog log;
    private final PassWorkspace workspace = PassWorkspace.begin(PassWorkspace.Kind.EXPERT);

    private ExpertShard(int partition, EngineStages stages, Iterator<ExpertState> states) {
        this.partition = partition;
        this.stages = stages;
        while (states.hasNext()) {
            ExpertState s = states.next();
            Expert e = ExpertHandoff.take(s);
            if (e == null) e = s.toExpert(DataType.FLOAT);
            Expert old = experts.computeIfAbsent(s.layer(), l -> new TreeMap<>()).put(s.id(), e);
            if (old != null) throw new IllegalStateException("expert partition " + partition + " got " + Expert.name(s.layer(), s.id()) + " twice");
        }
        this.log = new StageLog("expert partition " + partition);
    }

    /** Expert stage 0's start: rebuilds the hosted experts from their states. */
    public static ExpertShard of(int partition, EngineStages stages, Iterator<ExpertState> states) {
        return new ExpertShard(partition, stages, states);
    }

    /**
     * Expert stage {@code stage} in {@code [0, 2M)}: the forward or backward of its layer's
     * experts on the blocks received (read in full before this call).
     *
     * @return one output block per input block: expert outputs (forward) or expert input gradients (backward)
     */
    public List<ExpertOutputBlock> run(int stage, List<TokenBlock> received) {
        return log.run(stage, () -> {
            List<ExpertOutputBlock> out;
            try (MemoryWorkspace ignored = workspace.borrow()) {
                out = stages.isForward(stage) ? forward(stages.layerOf(stage), received)
                        : backward(stages.layerOf(stage), received);
            }
            // After the last backward only the gradients (outside the workspace) are used.
            if (stage == stages.expertStages() - 1) workspace.end();
            return out;
        });
    }

    /** The blocks expert stage {@code stage} returned. */
    public List<ExpertOutputBlock> returned(int stage) {
        return log.get(stage);
    }

    private List<ExpertOutputBlock> forward(int layer, List<TokenBlock> received) {
        SortedMap<Integer, List<TokenBlock>> byExpert = DispatchBlocks.byExpert(received.iterator());
        inputs.put(layer, byExpert);
        List<ExpertOutputBlock> out = new ArrayList<>();
        for (Map.Entry<Integer, List<TokenBlock>> e : byExpert.entrySet()) {
            Expert expert = hosted(layer, e.getKey());
            INDArray rows = DispatchBlocks.concatRows(e.getValue(), dModel(expert), DataType.FLOAT);
            out.addAll(DispatchBlocks.toOutputBlocks(e.getValue(), expert.ffn().forward(rows)));
        }
        return out;
    }

    private List<ExpertOutputBlock> backward(int layer, List<TokenBlock> received) {
        SortedMap<Integer, List<TokenBlock>> byExpert = DispatchBlocks.byExpert(received.iterator());
        SortedMap<Integer, List<TokenBlock>> forward = inputs.getOrDefault(layer, new TreeMap<>());
        if (!forward.keySet().equals(byExpert.keySet())) {
            throw new IllegalStateException("expert partition " + partition + ", layer " + layer + ": forward ran experts "
                    + forward.keySet() + " but gradients came for " + byExpert.keySet());
        }
        List<ExpertOutputBlock> out = new ArrayList<>();
        for (Map.Entry<Integer, List<TokenBlock>> e : byExpert.entrySet()) {
            requireSameBlocks(layer, e.getKey(), forward.get(e.getKey()), e.getValue());
            Expert expert = hosted(layer, e.getKey());
            INDArray dy = DispatchBlocks.concatRows(e.getValue(), dModel(expert), DataType.FLOAT);
            out.addAll(DispatchBlocks.toOutputBlocks(e.getValue(), expert.ffn().backward(dy)));
        }
        inputs.remove(layer);
        return out;
    }

    /**
     * Every hosted expert's gradient norms (after the backward stages), for the driver's global
     * clipping norm: {@link GradientClipping#norm} of weights then biases, layers and ids ascending.
     */
    public ExpertGradNorms gradNorms() {
        List<Expert> all = all();
        int n = all.size();
        int[] layers = new int[n];
        int[] ids = new int[n];
        double[] weights = new double[n];
        double[] biases = new double[n];
        for (int i = 0; i < n; i++) {
            Expert e = all.get(i);
            layers[i] = e.layer();
            ids[i] = e.id();
            weights[i] = GradientClipping.norm(e.weights());
            biases[i] = GradientClipping.norm(e.biases());
        }
        return new ExpertGradNorms(partition, layers, ids, weights, biases);
    }

    /**
     * The update stage: scales every hosted expert's gradients by {@code clipScale} and applies
     * AdamW as update number {@code adamStep} (the driver's global count), as the single-process
     * trainer does. Runs once; a retry gets the same states.
     *
     * @return the updated states, layers and ids ascending
     */
    public List<ExpertState> update(double lr, double clipScale, long adamStep, AdamW.Settings adam) {
        return log.run(stages.updateStage(), () -> {
            List<Param> decayed = new ArrayList<>();
            List<Param> plain = new ArrayList<>();
            for (Expert e : all()) {
                decayed.add(e.weights());
                plain.add(e.biases());
            }
            GradientClipping.scale(decayed, clipScale);
            GradientClipping.scale(plain, clipScale);
            AdamW optimiser = adam.create();
            optimiser.setStepCount(adamStep - 1);
            optimiser.step(decayed, plain, lr);
            List<ExpertState> next = new ArrayList<>();
            for (Expert e : all()) {
                ExpertState state = ExpertState.of(e);
                ExpertHandoff.offer(state, e);        // once: a replay of this stage returns these states without offering
                next.add(state);
            }
            return next;
        });
    }

    private List<Expert> all() {
        List<Expert> out = new ArrayList<>();
        for (SortedMap<Integer, Expert> layer : experts.values()) out.addAll(layer.values());
        return out;
    }

    private Expert hosted(int layer, int id) {
        SortedMap<Integer, Expert> inLayer = experts.get(layer);
        Expert e = inLayer == null ? null : inLayer.get(id);
        if (e == null) {
            throw new IllegalStateException("expert partition " + partition + " got blocks for " + Expert.name(layer, id)
                    + ", which it does not host; hosted: " + keys());
        }
        return e;
    }

    private String keys() {
        List<String> names = new ArrayList<>();
        for (Expert e : all()) names.add(Expert.name(e.layer(), e.id()));
        return names.toString();
    }

    private static int dModel(Expert e) {
        return Math.toIntExact(e.ffn().fc1().weight().value().rows());
    }

    private void requireSameBlocks(int layer, int id, List<TokenBlock> forward, List<TokenBlock> backward) {
        boolean same = forward.size() == backward.size();
        for (int i = 0; same && i < forward.size(); i++) {
            same = forward.get(i).sourcePartition() == backward.get(i).sourcePartition()
                    && forward.get(i).numRows() == backward.get(i).numRows();
        }
        if (!same) {
            throw new IllegalStateException("expert partition " + partition + ", " + Expert.name(layer, id)
                    + ": gradient blocks " + backward + " do not match the forward blocks " + forward);
        }
    }

    /** Hosted experts (for logs). */
    public int size() {
        return all().size();
    }
}
