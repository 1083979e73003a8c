package dev.sparkmoe.worker.model;

import dev.sparkmoe.routing.AttentionKConfig;
import dev.sparkmoe.routing.ExpertSet;
import dev.sparkmoe.routing.Param;
import dev.sparkmoe.routing.Seeds;
import dev.sparkmoe.worker.moe.InProcessDispatcher;
import dev.sparkmoe.worker.moe.MoELayer;
import dev.sparkmoe.worker.moe.TokenDispatcher;
import dev.sparkmoe.worker.nn.LayerNorm;
import dev.sparkmoe.worker.nn.ParamSlicer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * An MoE transformer: input ({@link ModelInput}: token + position embedding, or patch embedding
 * with a class token) → blocks, whose FFN in the chosen blocks is an MoE layer → final LayerNorm
 * → head ({@link ModelHead}: the language-model head tied to the token embedding, or a pooled
 * classification or regression head), trained with the head's loss plus every MoE layer's
 * weighted aux loss.
 *
 * <p>Parameters: the dense ones are two flat buffers ({@link #denseDecayed()},
 * {@link #densePlain()}) that every dense layer views; each MoE layer owns its router and
 * expert parameters. Not thread-safe; one forward/backward (or {@link SegmentedPass}) at a time.
 */
public final class MoETransformer {
    private final ModelConfig config;
    private final InputLayer input;
    private final OutputHead head;
    private final List<TransformerBlock> blocks = new ArrayList<>();
    private final List<MoELayer> moeLayers = new ArrayList<>();
    private final LayerNorm finalNorm;
    private final Param denseDecayed;
    private final Param densePlain;
    private final long seed;
    private SegmentedPass lastPass;   // the pass backward() continues
    private long passGeneration;      // bumped by every new pass; older passes fail fast

    /**
     * @param seed        run seed; every initial value derives from it
     * @param dtype       FLOAT for training, DOUBLE for gradient checks
     * @param dispatchers a new dispatcher for each MoE layer
     */
    public MoETransformer(ModelConfig config, long seed, DataType dtype, Supplier<TokenDispatcher> dispatchers) {
        this(config, seed, dtype, dispatchers, null, true);
    }

    /**
     * A model whose MoE layers start with the given live experts and may leave their experts to
     * someone else: the Spark engine's driver and data-partition replicas hold the dense
     * parameters and routers only ({@code hostExperts = false}); the experts live on expert
     * partitions.
     *
     * @param expertSets  each MoE layer's live experts, or null for {@code ExpertSet.initial(numExperts)} everywhere
     * @param hostExperts whether the MoE layers hold their experts' FFNs
     */
    public MoETransformer(ModelConfig config, long seed, DataType dtype, Supplier<TokenDispatcher> dispatchers,
                         List<ExpertSet> expertSets, boolean hostExperts) {
        this(config, seed, dtype, dispatchers, expertSets, hostExperts, true);
    }

    /**
     * A replica whose dense parameters are about to be overwritten (the Spark engine's data
     * partitions, the single-process trainer's micro-batches): routers only, no experts, and the
     * dense buffers left at zero instead of drawing millions of initial values per step.
     */
    public static MoETransformer replica(ModelConfig config, DataType dtype, List<ExpertSet> expertSets) {
        return new MoETransformer(config, 0, dtype, InProcessDispatcher::new, expertSets, false, false);
    }

    /** A {@link #replica} of this model holding copies of its dense parameters and routers. */
    public MoETransformer replicate() {
        List<ExpertSet> sets = new ArrayList<>();
        for (MoELayer m : moeLayers) sets.add(m.liveExperts());
        MoETransformer r = replica(config, denseDecayed.value().dataType(), sets);
        List<Param> mine = denseParams();
        for (int i = 0; i < mine.size(); i++) r.denseParams().get(i).value().assign(mine.get(i).value());
        return r;
    }

    private MoETransformer(ModelConfig config, long seed, DataType dtype, Supplier<TokenDispatcher> dispatchers,
                          List<ExpertSet> expertSets, boolean hostExperts, boolean initialise) {
        this.config = config;
        this.seed = seed;
        if (expertSets != null && expertSets.size() != config.moeBlocks().length) {
            throw new IllegalArgumentException("expected " + config.moeBlocks().length + " expert sets (one per MoE layer), got "
                    + expertSets.size());
        }
        this.input = new InputLayer(config);
        for (int b = 0; b < config.numBlocks(); b++) {
            MoELayer moe = null;
            if (config.isMoe(b)) {
                ExpertSet experts = expertSets == null ? ExpertSet.initial(config.numExperts()) : expertSets.get(moeLayers.size());
                moe = new MoELayer(moeLayers.size(), config.dModel(), config.expertFfnDim(), config.router(),
                        experts, seed, dtype, dispatchers.get(), hostExperts);
                moeLayers.add(moe);
            }
            blocks.add(new TransformerBlock("block" + b, config, moe));
        }
        this.finalNorm = new LayerNorm("final.ln", config.dModel(), ModelConfig.LAYER_NORM_EPS);
        this.head = new OutputHead(config, input.tokens());

        ParamSlicer.Sizes sizes = input.sizes().plus(finalNorm.sizes()).plus(head.sizes());
        for (TransformerBlock block : blocks) sizes = sizes.plus(block.sizes());
        this.denseDecayed = new Param("dense.decayed", Nd4j.zeros(dtype, sizes.decayed()));
        this.densePlain = new Param("dense.plain", Nd4j.zeros(dtype, sizes.plain()));
        ParamSlicer slicer = new ParamSlicer(denseDecayed, densePlain);
        input.bind(slicer);
        for (TransformerBlock block : blocks) block.bind(slicer);
        finalNorm.bind(slicer);
        head.bind(slicer);   // last: a pretrained language model's buffers are a prefix of these
        slicer.finish();

        if (!initialise) return;
        input.init(seed);
        for (int b = 0; b < blocks.size(); b++) blocks.get(b).init(Seeds.derive(seed, 3, b));
        finalNorm.init(Seeds.derive(seed, 4));
        head.init(seed);
    }

    /**
     * Forward pass and loss: the head's loss (next-token or class cross-entropy, or squared
     * error) plus the MoE layers' weighted aux losses. Each MoE layer routes the batch's routing groups separately
     * ({@link TokenBatch#groupOffsets()}); its aux loss is the token-weighted mean over groups.
     * A {@link SegmentedPass} whose expert steps run on the experts hosted in each MoE layer.
     * Caches what {@link #backward()} needs.
     *
     * @param training training (aux losses, top-any routes nowhere) or evaluation (fallback)
     */
    public LossBreakdown forward(TokenBatch batch, boolean training) {
        SegmentedPass pass = segmentedForward(batch, training);
        runHostedExperts(pass);
        lastPass = pass;
        return pass.loss();
    }

    /**
     * An evaluation forward pass (evaluation routing, no backward): its loss and the head's
     * outputs ({@code [B, C]} per sequence, or {@code [T, V]} next-token logits).
     */
    public Prediction predict(TokenBatch batch) {
        SegmentedPass pass = segmentedForward(batch, false);
        runHostedExperts(pass);
        return new Prediction(pass.loss(), pass.outputs());
    }

    /** What {@link #predict} returns. */
    public record Prediction(LossBreakdown loss, INDArray outputs) {}

    /**
     * Starts a forward pass that stops at every MoE layer's expert boundary (see
     * {@link SegmentedPass}); the caller runs the experts. Supersedes any earlier pass,
     * including the one {@link #backward()} would use.
     *
     * @param batch    {@code B} sequences of {@code S} tokens, with its routing groups
     * @param training training (aux losses, top-any routes nowhere) or evaluation (fallback)
     */
    public SegmentedPass segmentedForward(TokenBatch batch, boolean training) {
        return newPass(batch, training, BatchShare.WHOLE, null);
    }

    /**
     * A segmented pass over one share of a larger batch (a Spark data partition's sequences): its
     * routers scale their aux losses by {@code share.auxScale()} and its head loss is divided by
     * the whole batch's target count, so the shares' losses and gradients add up to the batch's.
     */
    public SegmentedPass segmentedForward(TokenBatch batch, boolean training, BatchShare share) {
        return newPass(batch, training, share, null);
    }

    /**
     * Re-runs the training forward pass of {@code batch} and names the first place whose
     * output is not finite: the embedding, a block (and its MoE layer's aux loss), or the head.
     */
    public String locateNonFinite(TokenBatch batch) {
        String[] found = {null};
        SegmentedPass pass = newPass(batch, true, BatchShare.WHOLE, (block, out) -> {
            int b = blocks.indexOf(block);
            if (!isFinite(out)) found[0] = "block " + b + " output";
            else if (block.moe() != null && !Double.isFinite(block.moe().lastRouting().auxLoss())) {
                found[0] = "block " + b + " (MoE layer " + block.moe().layerIndex() + ") aux loss";
            }
            return found[0] != null;
        });
        runHostedExperts(pass);
        if (found[0] != null) return found[0];
        return isFinite(pass.outputs()) ? "the loss (head outputs finite)" : "the head outputs";
    }

    private SegmentedPass newPass(TokenBatch batch, boolean training, BatchShare share, SegmentedPass.BlockProbe probe) {
        lastPass = null;
        return new SegmentedPass(this, ++passGeneration, batch, training, share, probe);
    }

    /** Forward expert steps on the experts each MoE layer hosts (all of them, in this process). */
    private static void runHostedExperts(SegmentedPass pass) {
        while (pass.awaitingExperts()) {
            MoELayer moe = pass.moe();
            pass.resume(moe.experts().forward(pass.experts(), pass.dispatched()));
        }
    }

    private static boolean isFinite(INDArray a) { return Double.isFinite(a.sumNumber().doubleValue()); }

    /** Backward of the last {@link #forward}: adds every parameter's gradient. */
    public void backward() {
        SegmentedPass pass = lastPass;
        if (pass == null) throw new IllegalStateException("backward() needs a forward() first");
        lastPass = null;
        pass.beginBackward();
        while (pass.awaitingExpertGradients()) {
            pass.resumeBackward(pass.moe().experts().backward(pass.expertOutputGradient()));
        }
    }

    /** Zeroes every gradient. */
    public void zeroGrads() {
        for (Param p : params()) p.grad().assign(0);
    }

    public ModelConfig config() { return config; }

    /** The run seed initial values and new experts derive from (0 for a {@link #replica}); checkpoints keep it. */
    public long seed() { return seed; }
    public List<MoELayer> moeLayers() { return moeLayers; }
    public Param denseDecayed() { return denseDecayed; }
    public Param densePlain() { return densePlain; }

    /** Every parameter: dense buffers, then each MoE layer's router and experts. */
    public List<Param> params() {
        List<Param> out = new ArrayList<>(List.of(denseDecayed, densePlain));
        for (MoELayer m : moeLayers) out.addAll(m.params());
        return out;
    }

    /**
     * The data-parallel parameters: the two dense buffers, then each MoE layer's router
     * parameters (what the Spark engine broadcasts and sums over data partitions).
     */
    public List<Param> denseParams() {
        List<Param> out = new ArrayList<>(List.of(denseDecayed, densePlain));
        for (MoELayer m : moeLayers) out.addAll(m.router().params());
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

    InputLayer input() { return input; }
    OutputHead head() { return head; }
    LayerNorm finalNorm() { return finalNorm; }
    List<TransformerBlock> blocks() { return blocks; }
    long passGeneration() { return passGeneration; }

    /** The attention a block's router gets from the previous block ({@code [B, H, S, S]}), or null. */
    INDArray previousBlockAttention(INDArray previous) {
        boolean wantsPrevious = config.router() instanceof AttentionKConfig a && a.previousBlock();
        return wantsPrevious ? previous : null;
    }

    /**
     * The two parts of the training loss.
     *
     * @param crossEntropy the head's loss: mean cross-entropy (nats), or mean squared error for regression
     * @param aux          sum of the weighted aux losses of every MoE layer
     */
    public record LossBreakdown(double crossEntropy, double aux) {
        public double total() { return crossEntropy + aux; }
    }
}
