package dev.sparkmoe.routing;

import org.nd4j.linalg.api.buffer.DataType;

/**
 * Dynamic-K by attention importance (DA-MoE), ROUTING.md §3:
 * {@code K_i = clamp(ceil(r_i · E · kScale), kMin, kMax)}.
 *
 * @param kScale            scale of the normalised importance, {@code > 0}
 * @param kMin              smallest K, {@code >= 1}
 * @param kMax              largest K; {@code 0} means E (all live experts)
 * @param capacityFactor    capacity {@code ceil(cf · ΣK_i / E)}; {@code <= 0} is dropless
 * @param loadBalanceWeight Switch load-balancing loss weight (0 = off)
 * @param zLossWeight       router z-loss weight (0 = off)
 * @param previousBlock     take importance from the previous block's attention instead of this block's
 */
public record AttentionKConfig(double kScale, int kMin, int kMax, double capacityFactor, double loadBalanceWeight,
                               double zLossWeight, boolean previousBlock) implements RouterConfig {

    public AttentionKConfig {
        if (!(kScale > 0) || Double.isInfinite(kScale)) {
            throw new IllegalArgumentException("router.kScale = " + kScale + ": must be finite and > 0");
        }
        if (kMin < 1) throw new IllegalArgumentException("router.kMin = " + kMin + ": must be >= 1");
        if (kMax != 0 && kMax < kMin) {
            throw new IllegalArgumentException("router.kMax = " + kMax + ": must be 0 (= E) or >= router.kMin (" + kMin + ")");
        }
        RouterChecks.finite("router.capacityFactor", capacityFactor);
        RouterChecks.nonNegativeFinite("router.loadBalanceWeight", loadBalanceWeight);
        RouterChecks.nonNegativeFinite("router.zLossWeight", zLossWeight);
    }

    @Override public String kind() { return "attnk"; }

    @Override public void validate(int numExperts) {
        RouterChecks.experts(numExperts);
        if (kMin > numExperts) {
            throw new IllegalArgumentException("router.kMin = " + kMin + ": must be <= the number of experts ("
                    + numExperts + ")");
        }
    }

    /** {@code kMax} resolved against {@code E} live experts. */
    public int effectiveKMax(int numExperts) { return kMax == 0 ? numExperts : Math.min(kMax, numExperts); }

    @Override public Router create(int dModel, ExpertSet experts, long seed, DataType dtype) {
        validate(experts.size());
        return new AttentionKRouter(this, dModel, experts, seed, dtype);
    }

    @Override public double nominalK() { return Double.NaN; }
}
