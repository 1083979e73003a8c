package dev.sparkmoe.worker.model;

import dev.sparkmoe.routing.AttentionKConfig;
import dev.sparkmoe.routing.ExpertSet;
import dev.sparkmoe.routing.Param;
import dev.sparkmoe.routing.RoutingContext;
import dev.sparkmoe.routing.Seeds;
import dev.sparkmoe.worker.moe.MoELayer;
import dev.sparkmoe.worker.moe.TokenDispatcher;
import dev.sparkmoe.worker.nn.LayerNorm;
import dev.sparkmoe.worker.nn.LossResult;
import dev.sparkmoe.worker.nn.ParamSlicer;
import dev.sparkmoe.worker.nn.PositionalEmbedding;
import dev.sparkmoe.worker.nn.SoftmaxCrossEntropy;
import dev.sparkmoe.worker.nn.TokenEmbedding;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * A causal MoE transformer language model: token + position embedding → blocks → final
 * LayerNorm → LM head tied to the token embedding, trained with next-token cross-entropy plus
 * every MoE layer's weighted aux loss.
 *
 * <p>Parameters: the dense ones are two flat buffers ({@link #denseDecayed()},
 * {@link #densePlain()}) that every dense layer views; each MoE layer owns its router and
 * expert parameters. Not thread-safe; one forward/backward at a time.
 */
public final class TransformerLM {
    private static final int IGNORE = -1;
    private final ModelConfig config;
    private final TokenEmbedding tokens;
    private final PositionalEmbedding positions;
    private final List<TransformerBlock> blocks = new ArrayList<>();
    private final List<MoELayer> moeLayers = new ArrayList<>();
    private final LayerNorm finalNorm;
    private final Param denseDecayed;
    private final Param densePlain;
    private TokenBatch batch;
    private LossResult lastLoss;

    /**
     * @param seed        run seed; every initial value derives from it
     * @param dtype       FLOAT for training, DOUBLE for gradient checks
     * @param dispatchers a new dispatcher for each MoE layer
     */
    public TransformerLM(ModelConfig config, long seed, DataType dtype, Supplier<TokenDispatcher> dispatchers) {
        this.config = config;
        this.tokens = new TokenEmbedding("embed.tokens", config.vocabSize(), config.dModel());
        this.positions = new PositionalEmbedding("embed.positions", config.maxSeqLen(), config.dModel());
        for (int b = 0; b < config.numBlocks(); b++) {
            MoELayer moe = null;
            if (config.isMoe(b)) {
                moe = new MoELayer(moeLayers.size(), config.dModel(), config.expertFfnDim(), config.router(),
                        ExpertSet.initial(config.numExperts()), seed, dtype, dispatchers.get());
                moeLayers.add(moe);
            }
            blocks.add(new TransformerBlock("block" + b, config, moe));
        }
        this.finalNorm = new LayerNorm("final.ln", config.dModel(), ModelConfig.LAYER_NORM_EPS);

        ParamSlicer.Sizes sizes = tokens.sizes().plus(positions.sizes()).plus(finalNorm.sizes());
        for (TransformerBlock block : blocks) sizes = sizes.plus(block.sizes());
        this.denseDecayed = new Param("dense.decayed", Nd4j.zeros(dtype, sizes.decayed()));
        this.densePlain = new Param("dense.plain", Nd4j.zeros(dtype, sizes.plain()));
        ParamSlicer slicer = new ParamSlicer(denseDecayed, densePlain);
        tokens.bind(slicer);
        positions.bind(slicer);
        for (TransformerBlock block : blocks) block.bind(slicer);
        finalNorm.bind(slicer);
        slicer.finish();

        tokens.init(Seeds.derive(seed, 1));
        positions.init(Seeds.derive(seed, 2));
        for (int b = 0; b < blocks.size(); b++) blocks.get(b).init(Seeds.derive(seed, 3, b));
        finalNorm.init(Seeds.derive(seed, 4));
    }

    /**
     * Forward pass and loss: mean next-token cross-entropy plus the MoE layers' weighted aux
     * losses. Each MoE layer routes the batch's routing groups separately
     * ({@link TokenBatch#groupOffsets()}); its aux loss is the token-weighted mean over groups.
     * Caches what {@link #backward()} needs.
     *
     * @param training training (aux losses, top-any routes nowhere) or evaluation (fallback)
     */
    public LossBreakdown forward(TokenBatch batch, boolean training) {
        this.batch = batch;
        double[] aux = new double[1];
        INDArray h = trunk(batch, training, (where, out) -> {
            if (where.moe() != null) aux[0] += where.moe().lastRouting().auxLoss();
            return false;
        });
        INDArray logits = tokens.logits(finalNorm.forward(h));
        lastLoss = SoftmaxCrossEntropy.compute(logits, batch.targets(), IGNORE);
        return new LossBreakdown(lastLoss.loss(), aux[0]);
    }

    /**
     * Re-runs the training forward pass of {@code batch} and names the first place whose
     * output is not finite: the embedding, a block (and its MoE layer's aux loss), or the head.
     */
    public String locateNonFinite(TokenBatch batch) {
        String[] found = {null};
        INDArray h = trunk(batch, true, (block, out) -> {
            int b = blocks.indexOf(block);
            if (!isFinite(out)) found[0] = "block " + b + " output";
            else if (block.moe() != null && !Double.isFinite(block.moe().lastRouting().auxLoss())) {
                found[0] = "block " + b + " (MoE layer " + block.moe().layerIndex() + ") aux loss";
            }
            return found[0] != null;
        });
        if (found[0] != null) return found[0];
        return isFinite(tokens.logits(finalNorm.forward(h))) ? "the loss (logits finite)" : "the LM head logits";
    }

    /** Embeddings and blocks; {@code afterBlock} sees each block's output and may stop early by returning true. */
    private INDArray trunk(TokenBatch batch, boolean training, BlockProbe afterBlock) {
        RoutingContext ctx = training ? RoutingContext.training(batch.seqLen()) : RoutingContext.evaluation(batch.seqLen());
        INDArray h = tokens.forward(batch.inputs());
        positions.addTo(h, batch.batch(), batch.seqLen());
        INDArray previousAttention = null;
        for (TransformerBlock block : blocks) {
            h = block.forward(h, batch.batch(), ctx.withAttention(previousBlockAttention(previousAttention)),
                    batch.groupOffsets());
            previousAttention = block.attentionProbs();
            if (afterBlock.stop(block, h)) break;
        }
        return h;
    }

    private static boolean isFinite(INDArray a) { return Double.isFinite(a.sumNumber().doubleValue()); }

    @FunctionalInterface
    private interface BlockProbe {
        boolean stop(TransformerBlock block, INDArray output);
    }

    /** Backward of the last {@link #forward}: adds every parameter's gradient. */
    public void backward() {
        INDArray dh = finalNorm.backward(tokens.logitsBackward(lastLoss.dLogits()));
        lastLoss = null;
        for (int b = blocks.size() - 1; b >= 0; b--) dh = blocks.get(b).backward(dh);
        positions.backward(dh, batch.batch(), batch.seqLen());
        tokens.backward(dh);
    }

    /** Zeroes every gradient. */
    public void zeroGrads() {
        for (Param p : params()) p.grad().assign(0);
    }

    public ModelConfig config() { return config; }
    public List<MoELayer> moeLayers() { return moeLayers; }
    public Param denseDecayed() { return denseDecayed; }
    public Param densePlain() { return densePlain; }

    /** Every parameter: dense buffers, then each MoE layer's router and experts. */
    public List<Param> params() {
        List<Param> out = new ArrayList<>(List.of(denseDecayed, densePlain));
        for (MoELayer m : moeLayers) out.addAll(m.params());
        return out;
    }

    /** Parameters with weight decay: dense weights and expert weights. */
    public List<Param> decayedParams() {
        List<Param> out = new ArrayList<>(List.of(denseDecayed));
        for (MoELayer m : moeLayers) {
            for (int id : m.experts().ids()) out.add(m.experts().get(id).weights());
        }
        return out;
    }

    /** Parameters without weight decay: dense biases and norms, routers, expert biases. */
    public List<Param> plainParams() {
        List<Param> out = new ArrayList<>(List.of(densePlain));
        for (MoELayer m : moeLayers) {
            out.addAll(m.router().params());
            for (int id : m.experts().ids()) out.add(m.experts().get(id).biases());
        }
        return out;
    }

    private INDArray previousBlockAttention(INDArray previous) {
        boolean wantsPrevious = config.router() instanceof AttentionKConfig a && a.previousBlock();
        return wantsPrevious ? previous : null;
    }

    /**
     * The two parts of the training loss.
     *
     * @param crossEntropy mean next-token cross-entropy (nats)
     * @param aux          sum of the weighted aux losses of every MoE layer
     */
    public record LossBreakdown(double crossEntropy, double aux) {
        public double total() { return crossEntropy + aux; }
    }
}
