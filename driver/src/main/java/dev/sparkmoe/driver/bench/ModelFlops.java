package dev.sparkmoe.driver.bench;

import dev.sparkmoe.worker.model.ModelConfig;

/**
 * Model FLOPs of one training step (forward + backward = 3 × the forward matrix products),
 * counting what the model actually computes: attention projections {@code 8D²} and scores
 * {@code 4SD} per token and block (full {@code S×S}, as computed), dense FFN {@code 4DF},
 * MoE FFN {@code 4·D·F_e·k̄} with the measured mean activated experts {@code k̄} plus the
 * router {@code 2DE}, and the tied LM head {@code 2DV}. Element-wise work is not counted.
 */
public final class ModelFlops {
    private ModelFlops() {}

    /**
     * @param meanActive measured mean experts per token of each MoE layer, in layer order
     */
    public static double trainingStep(ModelConfig c, long tokens, double[] meanActive) {
        double d = c.dModel();
        double perToken = 2 * d * c.vocabSize();
        int moe = 0;
        for (int b = 0; b < c.numBlocks(); b++) {
            perToken += 8 * d * d + 4.0 * c.maxSeqLen() * d;
            if (c.isMoe(b)) {
                perToken += 4 * d * c.expertFfnDim() * meanActive[moe++] + 2 * d * c.numExperts();
            } else {
                perToken += 4 * d * c.ffnDim();
            }
        }
        return 3 * perToken * tokens;
    }
}
