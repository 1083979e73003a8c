package dev.sparkmoe.worker.model;

import dev.sparkmoe.routing.RouterConfig;

import java.util.Arrays;

/**
 * Shape of the transformer: an input ({@link ModelInput}: tokens or image patches), a
 * pre-LayerNorm stack whose FFN in the blocks listed in {@code moeBlocks} is an MoE layer, a
 * final LayerNorm and a head ({@link ModelHead}: language model, classification or regression).
 * A validated value; errors name the key and the value.
 *
 * @param vocabSize    tokens in the vocabulary (tied embedding and LM head)
 * @param maxSeqLen    positions of the learned positional embedding
 * @param dModel       hidden size D
 * @param heads        attention heads H (D must be divisible by H)
 * @param ffnDim       FFN size of dense blocks
 * @param expertFfnDim FFN size F of each expert
 * @param numBlocks    transformer blocks
 * @param moeBlocks    ascending indices of the blocks whose FFN is an MoE layer
 * @param numExperts   initial experts per MoE layer
 * @param router       router of every MoE layer
 * @param causal       causal (language model) or bidirectional attention
 * @param input        what the model reads; for image patches {@code maxSeqLen} is the rows per image
 * @param head         what the model predicts and its loss
 */
public record ModelConfig(int vocabSize, int maxSeqLen, int dModel, int heads, int ffnDim, int expertFfnDim,
                          int numBlocks, int[] moeBlocks, int numExperts, RouterConfig router, boolean causal,
                          ModelInput input, ModelHead head)
        implements java.io.Serializable {

    public static final double LAYER_NORM_EPS = 1e-5;

    public ModelConfig {
        positive("model.vocabSize", vocabSize);
        positive("model.maxSeqLen", maxSeqLen);
        positive("model.dModel", dModel);
        positive("model.heads", heads);
        positive("model.ffnDim", ffnDim);
        positive("model.expertFfnDim", expertFfnDim);
        positive("model.blocks", numBlocks);
        if (dModel % heads != 0) {
            throw new IllegalArgumentException("model.heads = " + heads + ": must divide model.dModel (" + dModel + ")");
        }
        moeBlocks = moeBlocks.clone();
        for (int i = 0; i < moeBlocks.length; i++) {
            if (moeBlocks[i] < 0 || moeBlocks[i] >= numBlocks || (i > 0 && moeBlocks[i] <= moeBlocks[i - 1])) {
                throw new IllegalArgumentException("model.moeBlocks = " + Arrays.toString(moeBlocks)
                        + ": must be ascending block indices in [0, " + numBlocks + ")");
            }
        }
        router.validate(numExperts);
        if (input == null || head == null) throw new IllegalArgumentException("model input and head must be set");
        if (input instanceof ModelInput.Patches p && p.rows() != maxSeqLen) {
            throw new IllegalArgumentException("model.seqLen = " + maxSeqLen + ": an image of " + p.height() + "×"
                    + p.width() + " in patches of " + p.patch() + " has " + p.rows() + " rows (patches and class token)");
        }
    }

    /** A language model over token ids (the pretraining shape). */
    public ModelConfig(int vocabSize, int maxSeqLen, int dModel, int heads, int ffnDim, int expertFfnDim,
                       int numBlocks, int[] moeBlocks, int numExperts, RouterConfig router, boolean causal) {
        this(vocabSize, maxSeqLen, dModel, heads, ffnDim, expertFfnDim, numBlocks, moeBlocks, numExperts, router, causal,
                ModelInput.TOKENS, ModelHead.LANGUAGE_MODEL);
    }

    /** The same model with another head (fine-tuning a pretrained language model). */
    public ModelConfig withHead(ModelHead newHead) {
        return new ModelConfig(vocabSize, maxSeqLen, dModel, heads, ffnDim, expertFfnDim, numBlocks, moeBlocks, numExperts,
                router, causal, input, newHead);
    }

    /** The same model reading {@code newInput}; {@code seqLen} must be its rows per example. */
    public ModelConfig withInput(ModelInput newInput, int seqLen) {
        return new ModelConfig(vocabSize, seqLen, dModel, heads, ffnDim, expertFfnDim, numBlocks, moeBlocks, numExperts,
                router, causal, newInput, head);
    }

    /** The same model with {@code newVocabSize} tokens. */
    public ModelConfig withVocabSize(int newVocabSize) {
        return new ModelConfig(newVocabSize, maxSeqLen, dModel, heads, ffnDim, expertFfnDim, numBlocks, moeBlocks,
                numExperts, router, causal, input, head);
    }

    /** True when block {@code b} has an MoE FFN. */
    public boolean isMoe(int b) { return Arrays.binarySearch(moeBlocks, b) >= 0; }

    @Override public int[] moeBlocks() { return moeBlocks.clone(); }

    private static void positive(String key, int v) {
        if (v < 1) throw new IllegalArgumentException(key + " = " + v + ": must be >= 1");
    }
}
