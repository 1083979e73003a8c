package dev.sparkmoe.worker.model;

import dev.sparkmoe.routing.RoutingContext;
import dev.sparkmoe.worker.moe.ExpertBlocks;
import dev.sparkmoe.worker.moe.MoELayer;
import dev.sparkmoe.worker.nn.FeedForward;
import dev.sparkmoe.worker.nn.LayerNorm;
import dev.sparkmoe.worker.nn.MultiHeadAttention;
import dev.sparkmoe.worker.nn.ParamSlicer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A pre-LayerNorm transformer block: {@code h = x + Attn(LN1(x))}, {@code y = h + FFN(LN2(h))},
 * where FFN is a dense {@link FeedForward} or an {@link MoELayer}. Dense parameters (norms,
 * attention, dense FFN) are views of the model's flat buffers; an MoE layer owns its own.
 */
public final class TransformerBlock {
    private final LayerNorm ln1;
    private final MultiHeadAttention attn;
    private final LayerNorm ln2;
    private final FeedForward ffn;
    private final MoELayer moe;

    /** A block with a dense FFN ({@code moe == null}) or an MoE FFN ({@code ffn == null}). */
    TransformerBlock(String name, ModelConfig cfg, MoELayer moe) {
        this.ln1 = new LayerNorm(name + ".ln1", cfg.dModel(), ModelConfig.LAYER_NORM_EPS);
        this.attn = new MultiHeadAttention(name + ".attn", cfg.dModel(), cfg.heads(), cfg.causal());
        this.ln2 = new LayerNorm(name + ".ln2", cfg.dModel(), ModelConfig.LAYER_NORM_EPS);
        this.moe = moe;
        this.ffn = moe == null ? new FeedForward(name + ".ffn", cfg.dModel(), cfg.ffnDim()) : null;
    }

    ParamSlicer.Sizes sizes() {
        ParamSlicer.Sizes s = ln1.sizes().plus(attn.sizes()).plus(ln2.sizes());
        return ffn == null ? s : s.plus(ffn.sizes());
    }

    void bind(ParamSlicer slicer) {
        ln1.bind(slicer);
        attn.bind(slicer);
        ln2.bind(slicer);
        if (ffn != null) ffn.bind(slicer);
    }

    void init(long seed) {
        ln1.init(seed);
        attn.init(seed);
        ln2.init(seed);
        if (ffn != null) ffn.init(seed);
    }

    // The block is split at the MoE expert boundary so a step can stop there (SegmentedPass):
    // forward  attend → feedForward                       (dense FFN)
    //          attend → dispatch | experts | combine      (MoE FFN; experts run elsewhere)
    // backward feedForwardBackward                         (dense FFN)
    //          combineBackward | experts' backward | dispatchBackward   (MoE FFN)
    // All of it runs on the data side (a data-partition task on Spark).

    /**
     * Attention half: {@code h = x + Attn(LN1(x))}.
     *
     * @param x   {@code [T, D]} block input, {@code T = B·S}
     * @param ctx the batch's routing context (sequence length, padding {@code [T]})
     * @return {@code [T, D]} the residual stream {@code h} after attention
     */
    INDArray attend(INDArray x, int batch, RoutingContext ctx) {
        return x.add(attn.forward(ln1.forward(x), batch, ctx.sequenceLength(), ctx.padMask()));
    }

    /**
     * Dense FFN half (a block without MoE): {@code y = h + FFN(LN2(h))}.
     *
     * @param h {@code [T, D]} from {@link #attend}
     * @return {@code [T, D]} block output
     */
    INDArray feedForward(INDArray h) {
        return h.add(ffn.forward(ln2.forward(h))); // not addi: LN2 may hold h for its backward
    }

    /**
     * MoE FFN, before the experts: {@code LN2(h)}, routed in groups and gathered per expert.
     *
     * @param h      {@code [T, D]} from {@link #attend}
     * @param ctx    the batch's routing context; the MoE layer gets this block's attention
     *               {@code [B, H, S, S]} added unless it already carries the previous block's
     * @param groups {@code [G+1]} the batch's routing groups ({@link TokenBatch#groupOffsets()})
     * @return {@code [NNZ, D]} expert-major rows for the experts of {@link #moe()}
     */
    ExpertBlocks dispatch(INDArray h, RoutingContext ctx, int[] groups) {
        return moe.route(ln2.forward(h), ctx.withAttention(attentionFor(ctx)), groups);
    }

    /**
     * MoE FFN, after the experts: {@code y = h + combine(expertOutput)}.
     *
     * @param h            {@code [T, D]} the same {@code h} given to {@link #dispatch}
     * @param expertOutput {@code [NNZ, D]} expert outputs of the dispatched rows (null when NNZ = 0)
     * @return {@code [T, D]} block output
     */
    INDArray combine(INDArray h, INDArray expertOutput) {
        return h.add(moe.combine(expertOutput));
    }

    /**
     * Backward of a dense block ({@link #attend} then {@link #feedForward}).
     *
     * @param dy {@code [T, D]}
     * @return {@code [T, D]} gradient of the block input
     */
    INDArray feedForwardBackward(INDArray dy) {
        return attendBackward(dy.add(ln2.backward(ffn.backward(dy))));
    }

    /**
     * Backward of {@link #combine}: the gradient of the MoE FFN output goes to the experts.
     *
     * @param dy {@code [T, D]} gradient of the block output
     * @return {@code [NNZ, D]} gradient of the expert outputs, expert-major (null when NNZ = 0)
     */
    INDArray combineBackward(INDArray dy) {
        return moe.combineBackward(dy);
    }

    /**
     * Backward of {@link #dispatch} and {@link #attend}, once the experts' input gradients are back.
     *
     * @param dy           {@code [T, D]} the gradient given to {@link #combineBackward}
     * @param dExpertInput {@code [NNZ, D]} gradient of the expert inputs, expert-major (null when NNZ = 0)
     * @return {@code [T, D]} gradient of the block input
     */
    INDArray dispatchBackward(INDArray dy, INDArray dExpertInput) {
        return attendBackward(dy.add(ln2.backward(moe.dispatchBackward(dExpertInput))));
    }

    private INDArray attendBackward(INDArray dh) {
        return dh.addi(ln1.backward(attn.backward(dh)));
    }

    /** The attention probabilities {@code [B, H, S, S]} of this block's last forward. */
    INDArray attentionProbs() { return attn.attentionProbs(); }

    MoELayer moe() { return moe; }

    private INDArray attentionFor(RoutingContext ctx) {
        // DA-MoE may read the previous block's attention; the model passes it in the context.
        return ctx.attentionProbs() != null ? ctx.attentionProbs() : attn.attentionProbs();
    }
}
