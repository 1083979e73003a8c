package dev.sparkmoe.routing;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What a router may need besides its input rows.
 *
 * @param training         training (aux losses, top-any's "route nowhere") or evaluation
 *                         (top-any's top-1 fallback)
 * @param padMask          {@code [T]}: true for padding tokens, which are not routed, not
 *                         recorded and not in any aux-loss mean; null when there is none
 * @param attentionProbs   {@code [B, H, S, S]} softmax attention of the block feeding this MoE
 *                         layer ({@code [b, h, query, key]}), for the attention-importance
 *                         router; null for the others
 * @param sequenceLength   {@code S}: tokens are laid out as {@code t = b·S + position}
 * @param auxScale         factor on every aux loss of this call, value and gradient alike
 *                         ({@code RouterForward.auxLoss()} reports {@code auxScale · Σ weight·loss};
 *                         {@code auxLossTerms()} stay unscaled). 1 for a call that routes the whole
 *                         batch; {@code T_g/T} for one routing group of a batch routed in groups,
 *                         so that the layer's aux loss is the token-weighted mean over groups.
 *                         Finite and {@code >= 0}.
 */
public record RoutingContext(boolean training, boolean[] padMask, INDArray attentionProbs, int sequenceLength,
                             double auxScale) {

    public RoutingContext {
        if (!(auxScale >= 0) || Double.isInfinite(auxScale)) {
            throw new IllegalArgumentException("RoutingContext.auxScale = " + auxScale + ": must be finite and >= 0");
        }
    }

    /** A context with aux scale 1 (the whole batch in one call). */
    public RoutingContext(boolean training, boolean[] padMask, INDArray attentionProbs, int sequenceLength) {
        this(training, padMask, attentionProbs, sequenceLength, 1.0);
    }

    /** Training on unpadded sequences of length {@code s}, no attention. */
    public static RoutingContext training(int s) { return new RoutingContext(true, null, null, s); }

    /** Evaluation on unpadded sequences of length {@code s}, no attention. */
    public static RoutingContext evaluation(int s) { return new RoutingContext(false, null, null, s); }

    /** The same context carrying the block's attention probabilities {@code [B, H, S, S]}. */
    public RoutingContext withAttention(INDArray probs) {
        return new RoutingContext(training, padMask, probs, sequenceLength, auxScale);
    }

    /** The same context with a padding mask {@code [T]}. */
    public RoutingContext withPadMask(boolean[] mask) {
        return new RoutingContext(training, mask, attentionProbs, sequenceLength, auxScale);
    }

    /** The same context with aux scale {@code scale} (see the record documentation). */
    public RoutingContext withAuxScale(double scale) {
        return new RoutingContext(training, padMask, attentionProbs, sequenceLength, scale);
    }

    /** True when token {@code t} is padding. */
    public boolean isPad(int t) { return padMask != null && padMask[t]; }
}
