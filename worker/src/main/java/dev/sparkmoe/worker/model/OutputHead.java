package dev.sparkmoe.worker.model;

import dev.sparkmoe.routing.Seeds;
import dev.sparkmoe.worker.nn.ClassificationHead;
import dev.sparkmoe.worker.nn.LossResult;
import dev.sparkmoe.worker.nn.MeanSquaredError;
import dev.sparkmoe.worker.nn.ParamSlicer;
import dev.sparkmoe.worker.nn.SoftmaxCrossEntropy;
import dev.sparkmoe.worker.nn.TokenEmbedding;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A {@link MoETransformer}'s head ({@link ModelHead}) on the final normalised rows, and its
 * loss: the tied language-model projection with next-token cross-entropy, or a pooled sequence
 * head ({@link ClassificationHead}) with cross-entropy over classes or squared error. Bound
 * after everything else, so the language model's dense buffers are a prefix of a fine-tuned
 * model's.
 */
final class OutputHead {
    private final ModelHead spec;
    private final TokenEmbedding tied;          // the language model's projection
    private final ClassificationHead sequence;  // classification and regression

    OutputHead(ModelConfig config, TokenEmbedding tokens) {
        this.spec = config.head();
        this.tied = spec.perSequence() ? null : tokens;
        this.sequence = spec.perSequence() ? new ClassificationHead("head", config.dModel(), spec.classes(), spec.pooling()) : null;
        if (!spec.perSequence() && tokens == null) {
            throw new IllegalArgumentException("a language-model head needs token input (its projection is the token table)");
        }
    }

    ParamSlicer.Sizes sizes() { return sequence == null ? ParamSlicer.Sizes.ZERO : sequence.sizes(); }

    void bind(ParamSlicer slicer) { if (sequence != null) sequence.bind(slicer); }

    void init(long seed) { if (sequence != null) sequence.init(Seeds.derive(seed, 6)); }

    /** {@code [T, V]} next-token logits, or {@code [B, C]} per-sequence outputs. */
    INDArray forward(INDArray normed, TokenBatch batch) {
        if (sequence == null) return tied.logits(normed);
        return sequence.forward(normed, batch.batch(), batch.seqLen(), batch.padMask());
    }

    /**
     * The loss of {@code outputs} against the batch's targets, divided by {@code denominator}
     * (the whole batch's counted targets; 0 for this batch's own count).
     */
    LossResult loss(INDArray outputs, TokenBatch batch, int denominator) {
        switch (spec.kind()) {
            case REGRESSION -> {
                if (batch.scores() == null) throw new IllegalArgumentException("a regression head needs scores; the batch has none");
                return MeanSquaredError.compute(outputs, batch.scores(), denominator);
            }
            case CLASSIFICATION -> {
                requireTargets(batch, batch.batch(), "B class ids");
                return SoftmaxCrossEntropy.compute(outputs, batch.targets(), TokenBatch.IGNORE, denominator);
            }
            default -> {
                requireTargets(batch, batch.tokens(), "B·S next-token ids");
                return SoftmaxCrossEntropy.compute(outputs, batch.targets(), TokenBatch.IGNORE, denominator);
            }
        }
    }

    /** {@code [T, D]} gradient of the normalised rows from the gradient of the outputs. */
    INDArray backward(INDArray dOutputs) {
        return sequence == null ? tied.logitsBackward(dOutputs) : sequence.backward(dOutputs);
    }

    private void requireTargets(TokenBatch batch, int expected, String what) {
        if (batch.targets() == null || batch.targets().length != expected) {
            throw new IllegalArgumentException(spec.kind() + " head: the batch's targets must be " + what + " ("
                    + expected + "), got " + (batch.targets() == null ? "none" : batch.targets().length));
        }
    }
}
