package dev.sparkmoe.worker.train;

/**
 * Optimisation settings of a training run. A validated value; errors name the key and value.
 *
 * @param seed        run seed (model initialisation, data sampling, new experts)
 * @param steps       optimiser steps
 * @param batchSize   sequences per step
 * @param peakLr      learning rate after warm-up
 * @param minLr       learning rate at the end of the cosine decay
 * @param warmupSteps linear warm-up steps
 * @param weightDecay decoupled AdamW weight decay (weights only)
 * @param beta1       Adam β1
 * @param beta2       Adam β2
 * @param adamEps     Adam ε
 * @param clipNorm    global gradient-norm clip; {@code <= 0} disables it
 * @param evalEvery   validate every this many steps (0 = only at the end)
 * @param evalBatches validation batches per evaluation
 */
public record TrainerConfig(long seed, long steps, int batchSize, double peakLr, double minLr, long warmupSteps,
                            double weightDecay, double beta1, double beta2, double adamEps, double clipNorm,
                            int evalEvery, int evalBatches) {

    public TrainerConfig {
        if (steps < 1) throw new IllegalArgumentException("train.steps = " + steps + ": must be >= 1");
        if (batchSize < 1) throw new IllegalArgumentException("train.batchSize = " + batchSize + ": must be >= 1");
        if (!(peakLr > 0)) throw new IllegalArgumentException("optim.lr = " + peakLr + ": must be > 0");
        if (minLr < 0 || minLr > peakLr) {
            throw new IllegalArgumentException("optim.minLr = " + minLr + ": must be in [0, optim.lr = " + peakLr + "]");
        }
        if (warmupSteps < 0) throw new IllegalArgumentException("optim.warmupSteps = " + warmupSteps + ": must be >= 0");
        if (weightDecay < 0) throw new IllegalArgumentException("optim.weightDecay = " + weightDecay + ": must be >= 0");
        if (!(beta1 >= 0 && beta1 < 1)) throw new IllegalArgumentException("optim.beta1 = " + beta1 + ": must be in [0, 1)");
        if (!(beta2 >= 0 && beta2 < 1)) throw new IllegalArgumentException("optim.beta2 = " + beta2 + ": must be in [0, 1)");
        if (!(adamEps > 0)) throw new IllegalArgumentException("optim.eps = " + adamEps + ": must be > 0");
        if (evalEvery < 0) throw new IllegalArgumentException("train.evalEvery = " + evalEvery + ": must be >= 0");
        if (evalBatches < 0) throw new IllegalArgumentException("train.evalBatches = " + evalBatches + ": must be >= 0");
    }
}
