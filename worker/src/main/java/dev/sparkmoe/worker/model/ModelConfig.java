package dev.sparkmoe.worker.model;

import dev.sparkmoe.routing.RouterConfig;

import java.util.Arrays;

/**
 * Shape of the transformer: a pre-LayerNorm stack whose FFN in the blocks listed in
 * {@code moeBlocks} is an MoE layer. A validated value; errors name the key and the value.
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
 */
public record ModelConfig(int vocabSize, int maxSeqLen, int dModel, int heads, int ffnDim, int expertFfnDim,
                          int numBlocks, int[] moeBlocks, int numExperts, RouterConfig router, boolean causal)
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
    }

    /** True when block {@code b} has an MoE FFN. */
    public boolean isMoe(int b) { return Arrays.binarySearch(moeBlocks, b) >= 0; }

    @Override public int[] moeBlocks() { return moeBlocks.clone(); }

    private static void positive(String key, int v) {
        if (v < 1) throw new IllegalArgumentException(key + " = " + v + ": must be >= 1");
    }
}
