package dev.sparkmoe.worker.engine;

import dev.sparkmoe.routing.Param;
import dev.sparkmoe.routing.RouterForward;
import dev.sparkmoe.routing.RoutingDecision;
import dev.sparkmoe.routing.RoutingRecord;
import dev.sparkmoe.worker.model.BatchShare;
import dev.sparkmoe.worker.model.ModelConfig;
import dev.sparkmoe.worker.model.SegmentedPass;
import dev.sparkmoe.worker.model.TokenBatch;
import dev.sparkmoe.worker.model.MoETransformer;
import dev.sparkmoe.worker.moe.ExpertBlocks;
import dev.sparkmoe.worker.moe.MoELayer;
import dev.sparkmoe.worker.train.LayerStats;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;

/**
 * One data partition's side of one training step: a replica of the dense model (from the step's
 * {@link DenseSnapshot}) and its {@link SegmentedPass}, advanced one data stage per Spark stage
 * ({@link EngineStages}). Stage 0 runs when it is built; each later stage takes the expert
 * outputs (or expert input gradients) the partition got back, runs on to the next MoE boundary
 * and returns the token blocks to send; the last stage returns the {@link PartitionResult}.
 *
 * <p>Lives in a cached RDD partition on one executor between stages; each stage runs at most
 * once ({@link StageLog}), so a retried task sees what the first attempt emitted. A partition
 * with no rows this step emits nothing and returns {@link PartitionResult#empty}.
 */
public final class DataPartitionState {
    private final int partition;
    private final EngineStages stages;
    private MoETransformer model;               // null for an empty partition, and once the pass ended
    private SegmentedPass pass;
    private final PassWorkspace workspace;     // null for an empty partition
    private final int tokens;
    private final int counted;
    private float[] outputs;                   // per-sequence head outputs of an evaluation pass
    private final StageLog log;
    private MoETransformer.LossBreakdown loss;  // kept when the forward pass ends (the pass drops it in backward)
    private long heapBytes;

    private DataPartitionState(int partition, EngineStages stages, MoETransformer model, SegmentedPass pass, int tokens,
                               int counted, PassWorkspace workspace, List<TokenBlock> stage0) {
        this.partition = partition;
        this.counted = counted;
        this.stages = stages;
        this.model = model;
        this.pass = pass;
        this.tokens = tokens;
        this.workspace = workspace;
        this.log = new StageLog("data partition " + partition, stage0);
    }

    /**
     * Data stage 0: builds the replica and runs the forward pass to the first MoE dispatch. When
     * {@code stages} is forward only this is an evaluation pass (evaluation routing, no
     * backward; the result carries the loss and routing records but no gradients).
     *
     * @param batch the partition's sequences, or null when it drew none this step
     * @param share its share of the global batch (aux scale {@code T_p/T}, loss denominator)
     */
    public static DataPartitionState start(int partition, EngineStages stages, ModelConfig config, DenseSnapshot dense,
                                           TokenBatch batch, BatchShare share) {
        if (stages.moeLayers() == 0) {
            throw new IllegalArgumentException("the Spark engine needs at least one MoE layer; model.moeBlocks is empty");
        }
        if (stages.moeLayers() != config.moeBlocks().length) {
            throw new IllegalArgumentException("stages for " + stages.moeLayers() + " MoE layers, the model has "
                    + config.moeBlocks().length);
        }
        if (batch == null) return new DataPartitionState(partition, stages, null, null, 0, 0, null, List.of());
        MoETransformer model = dense.replica(config);
        PassWorkspace workspace = PassWorkspace.begin(PassWorkspace.Kind.DATA);
        try (MemoryWorkspace ignored = workspace.borrow()) {
            SegmentedPass pass = model.segmentedForward(batch, !stages.forwardOnly(), share);
            List<TokenBlock> blocks = sendForward(partition, pass);
            DataPartitionState state = new DataPartitionState(partition, stages, model, pass, batch.tokens(),
                    batch.countedTargets(), workspace, blocks);
            state.heapBytes = bytes(blocks);
            return state;
        }
    }

    /**
     * Data stage {@code stage} in {@code [1, 2M)}: hands in what the experts returned for the
     * previous expert stage and runs to the next MoE boundary.
     *
     * @param returned every block the partition got back from expert stage {@code stage - 1}, read in full
     * @return the token blocks (rows or output gradients) for expert stage {@code stage}
     */
    public List<TokenBlock> advance(int stage, List<ExpertOutputBlock> returned) {
        if (stage < 1 || stage >= stages.lastDataStage()) {
            throw new IllegalArgumentException("data stage " + stage + " outside [1, " + stages.lastDataStage() + ")");
        }
        return log.run(stage, () -> {
            if (pass == null) return List.of();
            try (MemoryWorkspace ignored = workspace.borrow()) {
                handIn(stage, returned);
                return counted(pass.awaitingExperts() ? sendForward(partition, pass) : sendBackward());
            }
        });
    }

    /** Data stages {@code 0..2M-1}: the blocks the stage emitted (stage 0's are emitted when built). */
    public List<TokenBlock> emitted(int stage) {
        return log.get(stage);
    }

    /**
     * The last data stage ({@code 2M}): hands in the last expert input gradients, finishes the
     * backward pass and returns the partition's gradients, loss share and routing records.
     */
    public PartitionResult finish(List<ExpertOutputBlock> returned) {
        int stage = stages.lastDataStage();
        return log.run(stage, () -> {
            if (pass == null) return PartitionResult.empty(partition);
            PartitionResult result;
            try (MemoryWorkspace ignored = workspace.borrow()) {
                handIn(stage, returned);
                if (!stages.forwardOnly() && !pass.backwardDone()) {
                    throw new IllegalStateException("data partition " + partition + ": backward not done after the last stage");
                }
                result = result();
            }
            // The result is on the Java heap; what the pass allocated is dead from here on.
            pass = null;
            model = null;
            workspace.end();
            return result;
        });
    }

    private void handIn(int stage, List<ExpertOutputBlock> returned) {
        boolean forward = pass.awaitingExperts();
        RoutingDecision d = pass.decision();
        INDArray rows = DispatchBlocks.gatherOutputs(partition, pass.moeLayer(), pass.experts(), d.expertOffsets(),
                model.config().dModel(), returned.iterator(), DataType.FLOAT);
        if (forward) {
            pass.resume(rows);
            if (!pass.awaitingExperts()) {                             // stage M: the loss, then backward to the last combine
                loss = pass.loss();
                if (stages.forwardOnly() && model.config().head().perSequence()) outputs = Blocks.floats(pass.outputs());
                if (!stages.forwardOnly()) pass.beginBackward();
            }
        } else {
            pass.resumeBackward(rows);
        }
    }

    private static List<TokenBlock> sendForward(int partition, SegmentedPass pass) {
        return DispatchBlocks.toTokenBlocks(partition, pass.moeLayer(), pass.experts(), pass.dispatched(),
                pass.decision().tokenIndex());
    }

    private List<TokenBlock> sendBackward() {
        RoutingDecision d = pass.decision();
        return DispatchBlocks.toTokenBlocks(partition, pass.moeLayer(), pass.experts(),
                new ExpertBlocks(pass.expertOutputGradient(), d.expertOffsets()), d.tokenIndex());
    }

    private List<TokenBlock> counted(List<TokenBlock> blocks) {
        heapBytes += bytes(blocks);
        return blocks;
    }

    private static long bytes(List<TokenBlock> blocks) {
        long n = 0;
        for (TokenBlock b : blocks) n += 4L * (b.rows().length + b.tokenIndex().length) + 64;
        return n;
    }

    private PartitionResult result() {
        List<Param> dense = model.denseParams();
        float[][] grads = new float[stages.forwardOnly() ? 0 : dense.size()][];
        for (int i = 0; i < grads.length; i++) grads[i] = Blocks.floats(dense.get(i).grad());
        List<MoELayer> moe = model.moeLayers();
        int m = moe.size();
        RoutingRecord[] records = new RoutingRecord[m];
        long[] assignments = new long[m];
        long[] dropped = new long[m];
        long[] unrouted = new long[m];
        long[][] histograms = new long[m][];
        for (int l = 0; l < m; l++) {
            RouterForward f = moe.get(l).lastRouting();
            records[l] = f.record();
            assignments[l] = f.decision().nnz();
            dropped[l] = f.decision().droppedAssignments();
            unrouted[l] = f.decision().unroutedTokens();
            histograms[l] = LayerStats.activeHistogram(f);
        }
        return new PartitionResult(partition, grads, loss.crossEntropy(), loss.aux(), tokens, records, assignments,
                dropped, unrouted, histograms, counted, outputs);
    }

    /** Bytes held on the Java heap by the recorded blocks (Spark's cache accounting; the model is off-heap). */
    public long heapBytes() {
        return 1024 + heapBytes;
    }
}
