package dev.sparkmoe.worker.model;

import dev.sparkmoe.routing.ExpertSet;
import dev.sparkmoe.routing.RoutingContext;
import dev.sparkmoe.routing.RoutingDecision;
import dev.sparkmoe.worker.moe.ExpertBlocks;
import dev.sparkmoe.worker.moe.MoELayer;
import dev.sparkmoe.worker.nn.LossResult;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;
import java.util.List;

/**
 * One forward and backward pass of a {@link MoETransformer} that stops at every MoE layer's
 * expert boundary and resumes when the experts' results are handed in. The Spark engine runs
 * the part between two stops in a data-partition task and the experts in an expert-partition
 * task (DESIGN.md, "One training step on Spark"); {@link MoETransformer#forward} and
 * {@link MoETransformer#backward} drive the same pass with the experts hosted in the model, so
 * both compute the same function bit for bit.
 *
 * <pre>
 * SegmentedPass pass = model.segmentedForward(batch, training);
 * while (pass.awaitingExperts()) {                     // MoE layer pass.moeLayer()
 *     ExpertBlocks rows = pass.dispatched();           // [NNZ, D] expert-major, slots of pass.experts()
 *     pass.resume(experts(rows));                      // [NNZ, D] outputs, same rows (null iff NNZ = 0)
 * }
 * LossBreakdown loss = pass.loss();
 * pass.beginBackward();
 * while (pass.awaitingExpertGradients()) {             // MoE layers in reverse order
 *     INDArray dOut = pass.expertOutputGradient();     // [NNZ, D] expert-major
 *     pass.resumeBackward(expertsBackward(dOut));      // [NNZ, D] gradient of the expert inputs
 * }                                                    // dense and router gradients are now added
 * </pre>
 *
 * <p>Everything here runs on the data side; only the expert step between {@link #dispatched()}
 * and {@link #resume} (and its backward) belongs to the expert side. Expert gradients are added
 * by whoever runs the experts, not by the pass.
 *
 * <p>State: the position in the block loop and the residual streams live here; each layer keeps
 * the caches its own backward needs, as in a monolithic pass. So a model has at most one live
 * pass: starting another one (or {@link MoETransformer#forward}) makes this one fail fast. Not
 * thread-safe.
 */
public final class SegmentedPass {
    private enum Phase { FORWARD, FORWARD_DONE, BACKWARD, DONE, STOPPED }

    /** Sees each block's output in the forward pass; returning true ends the pass there. */
    @FunctionalInterface
    interface BlockProbe {
        boolean stop(TransformerBlock block, INDArray output);
    }

    private final MoETransformer model;
    private final List<TransformerBlock> blocks;
    private final TokenBatch batch;
    private final RoutingContext ctx;
    private final BlockProbe probe;
    private final BatchShare share;
    private final long generation;
    private Phase phase = Phase.FORWARD;
    private int block;                  // the block being run (forward ascending, backward descending)
    private INDArray h;                 // [T, D] forward: input of `block`; while awaiting: its post-attention h
    private INDArray previousAttention; // [B, H, S, S] the previous block's attention
    private ExpertBlocks pending;       // [NNZ, D] dispatched rows of `block`, while awaiting experts
    private double aux;                 // sum of the routed MoE layers' weighted aux losses
    private INDArray outputs;           // [T, V] next-token logits, or [B, C] per-sequence outputs
    private LossResult loss;
    private INDArray dh;                // [T, D] backward: gradient of the output of `block`
    private INDArray pendingGrad;       // [NNZ, D] gradient of `block`'s expert outputs, while awaiting
    private boolean awaitingGrad;

    /** Embeds the batch and runs up to the first MoE layer's dispatch (or to the loss). */
    SegmentedPass(MoETransformer model, long generation, TokenBatch batch, boolean training, BatchShare share,
                  BlockProbe probe) {
        this.model = model;
        this.generation = generation;
        this.blocks = model.blocks();
        this.batch = batch;
        this.probe = probe;
        this.share = share;
        RoutingContext base = training ? RoutingContext.training(batch.seqLen()) : RoutingContext.evaluation(batch.seqLen());
        this.ctx = base.withPadMask(batch.padMask()).withAuxScale(share.auxScale());
        this.h = model.input().forward(batch, model.denseDecayed().value().dataType());
        runForward();
    }

    /** Whether the forward pass is stopped at MoE layer {@link #moeLayer()}, waiting for {@link #resume}. */
    public boolean awaitingExperts() {
        checkCurrent();
        return phase == Phase.FORWARD && pending != null;
    }

    /** Whether the backward pass is stopped at MoE layer {@link #moeLayer()}, waiting for {@link #resumeBackward}. */
    public boolean awaitingExpertGradients() {
        checkCurrent();
        return phase == Phase.BACKWARD && awaitingGrad;
    }

    /** Index (among the model's MoE layers) of the layer the pass is stopped at. */
    public int moeLayer() { return awaitedMoe().layerIndex(); }

    /** The MoE layer the pass is stopped at (its router, its decision, the experts it hosts). */
    public MoELayer moe() { return awaitedMoe(); }

    /** The live experts of the awaited layer, in the slot order of {@link #dispatched()}. */
    public ExpertSet experts() { return awaitedMoe().liveExperts(); }

    /**
     * The awaited layer's routing decision (groups' CSR concatenated): {@code tokenIndex()} is
     * the {@code [NNZ]} token of each expert-major row, for {@code DispatchBlocks.toTokenBlocks}.
     */
    public RoutingDecision decision() { return awaitedMoe().lastRouting().decision(); }

    /**
     * The rows to run the experts on.
     *
     * @return {@code [NNZ, D]} expert-major rows and {@code [E+1]} slot offsets of
     *         {@link #experts()}; rows null when NNZ = 0
     */
    public ExpertBlocks dispatched() {
        requireAwaiting(awaitingExperts(), "dispatched()");
        return pending;
    }

    /**
     * Hands in the experts' outputs and runs on to the next MoE layer's dispatch, or to the loss.
     *
     * @param expertOutput {@code [NNZ, D]} each dispatched row's expert output, same order; null
     *                     iff NNZ = 0
     */
    public void resume(INDArray expertOutput) {
        requireAwaiting(awaitingExperts(), "resume()");
        requireRows("expert output", pending.rows(), expertOutput);
        TransformerBlock b = blocks.get(block);
        pending = null;
        if (finishBlock(b, b.combine(h, expertOutput))) runForward();
    }

    /**
     * The head's loss (mean cross-entropy or squared error) and the sum of the MoE layers'
     * weighted aux losses; once the forward pass reached the end.
     */
    public MoETransformer.LossBreakdown loss() {
        checkCurrent();
        if (loss == null) throw new IllegalStateException("the forward pass has not reached the loss (" + where() + ")");
        return new MoETransformer.LossBreakdown(loss.loss(), aux);
    }

    /** Starts the backward pass of the loss: runs down to the last MoE layer's combine backward. */
    public void beginBackward() {
        checkCurrent();
        if (phase != Phase.FORWARD_DONE) throw new IllegalStateException("beginBackward() needs a finished forward pass (" + where() + ")");
        dh = model.finalNorm().backward(model.head().backward(loss.dLogits()));
        phase = Phase.BACKWARD;
        block = blocks.size() - 1;
        runBackward();
    }

    /**
     * The gradient of the awaited layer's expert outputs (already weighted by the combine weights).
     *
     * @return {@code [NNZ, D]} expert-major, the rows of the forward's {@link #dispatched()}; null when NNZ = 0
     */
    public INDArray expertOutputGradient() {
        requireAwaiting(awaitingExpertGradients(), "expertOutputGradient()");
        return pendingGrad;
    }

    /**
     * Hands in the gradient of the awaited layer's expert inputs and runs the backward pass on
     * to the previous MoE layer, or to the embeddings.
     *
     * @param dExpertInput {@code [NNZ, D]} expert-major, same rows as {@link #expertOutputGradient()}; null iff NNZ = 0
     */
    public void resumeBackward(INDArray dExpertInput) {
        requireAwaiting(awaitingExpertGradients(), "resumeBackward()");
        requireRows("expert input gradient", pendingGrad, dExpertInput);
        awaitingGrad = false;
        pendingGrad = null;
        dh = blocks.get(block).dispatchBackward(dh, dExpertInput);
        block--;
        runBackward();
    }

    /** Whether the backward pass has added every dense and router gradient. */
    public boolean backwardDone() {
        checkCurrent();
        return phase == Phase.DONE;
    }

    /**
     * The head's outputs once the forward pass reached them: {@code [T, V]} next-token logits,
     * or {@code [B, C]} per-sequence logits (classification) or predictions (regression, C = 1).
     * Dropped by the backward pass.
     */
    public INDArray outputs() {
        checkCurrent();
        if (outputs == null) throw new IllegalStateException("no head outputs here (" + where() + ")");
        return outputs;
    }

    /** Whether a probe ended the forward pass early. */
    boolean stopped() { return phase == Phase.STOPPED; }

    /** Runs blocks from {@code block} until an MoE dispatch (then waits) or the end (then the loss). */
    private void runForward() {
        while (block < blocks.size()) {
            TransformerBlock b = blocks.get(block);
            RoutingContext blockCtx = ctx.withAttention(model.previousBlockAttention(previousAttention));
            INDArray attended = b.attend(h, batch.batch(), blockCtx);
            if (b.moe() != null) {
                h = attended;
                pending = b.dispatch(attended, blockCtx, batch.groupOffsets());
                aux += b.moe().lastRouting().auxLoss();
                return;
            }
            if (!finishBlock(b, b.feedForward(attended))) return;
        }
        outputs = model.head().forward(model.finalNorm().forward(h), batch);
        loss = model.head().loss(outputs, batch, share.lossDenominator());
        phase = Phase.FORWARD_DONE;
    }

    /** Records block {@code block}'s output; false when the probe ends the pass. */
    private boolean finishBlock(TransformerBlock b, INDArray output) {
        h = output;
        previousAttention = b.attentionProbs();
        block++;
        if (probe != null && probe.stop(b, output)) {
            phase = Phase.STOPPED;
            return false;
        }
        return true;
    }

    /** Runs blocks from {@code block} down until an MoE combine backward (then waits) or the embeddings. */
    private void runBackward() {
        while (block >= 0) {
            TransformerBlock b = blocks.get(block);
            if (b.moe() != null) {
                pendingGrad = b.combineBackward(dh);
                awaitingGrad = true;
                return;
            }
            dh = b.feedForwardBackward(dh);
            block--;
        }
        model.input().backward(dh, batch);
        dh = null;
        loss = null;
        outputs = null;
        phase = Phase.DONE;
    }

    private MoELayer awaitedMoe() {
        if (!awaitingExperts() && !awaitingExpertGradients()) {
            throw new IllegalStateException("the pass is not stopped at an MoE layer (" + where() + ")");
        }
        return blocks.get(block).moe();
    }

    private void requireAwaiting(boolean awaiting, String call) {
        if (!awaiting) throw new IllegalStateException(call + " called while the pass is not awaiting it (" + where() + ")");
    }

    private void requireRows(String what, INDArray expected, INDArray got) {
        boolean ok = expected == null ? got == null
                : got != null && Arrays.equals(expected.shape(), got.shape());
        if (!ok) {
            throw new IllegalArgumentException("MoE layer " + blocks.get(block).moe().layerIndex() + ": expected " + what
                    + " " + (expected == null ? "null (NNZ = 0)" : Arrays.toString(expected.shape())) + ", got "
                    + (got == null ? "null" : Arrays.toString(got.shape())));
        }
    }

    private void checkCurrent() {
        if (model.passGeneration() != generation) {
            throw new IllegalStateException("this pass was superseded: the model started another pass since");
        }
    }

    private String where() {
        return phase.name().toLowerCase() + ", block " + block + " of " + blocks.size();
    }
}
