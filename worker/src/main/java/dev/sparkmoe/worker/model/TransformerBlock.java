package dev.sparkmoe.worker.model;

import dev.sparkmoe.routing.RoutingContext;
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

    /**
     * @param x      {@code [T, D]}
     * @param ctx    the batch's routing context; the MoE layer gets this block's attention added
     * @param groups {@code [G+1]} the batch's routing groups ({@link TokenBatch#groupOffsets()})
     * @return {@code [T, D]}
     */
    INDArray forward(INDArray x, int batch, RoutingContext ctx, int[] groups) {
        INDArray h = x.add(attn.forward(ln1.forward(x), batch, ctx.sequenceLength(), ctx.padMask()));
        INDArray normed = ln2.forward(h);
        INDArray mixed = moe == null ? ffn.forward(normed) : moe.forward(normed, ctx.withAttention(attentionFor(ctx)), groups);
        return h.add(mixed); // not addi: LN2 may hold h for its backward
    }

    /**
     * @param dy {@code [T, D]}
     * @return {@code [T, D]} gradient of the block input
     */
    INDArray backward(INDArray dy) {
        INDArray dMixed = moe == null ? ffn.backward(dy) : moe.backward(dy);
        INDArray dh = dy.add(ln2.backward(dMixed));
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
