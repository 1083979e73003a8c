package dev.sparkmoe.routing;

import org.nd4j.linalg.api.buffer.DataType;

/**
 * Top-k router (GShard / Switch), ROUTING.md §1.
 *
 * @param k                 experts per token, 1..E
 * @param capacityFactor    expert capacity {@code ceil(cf · T · k / E)}; {@code <= 0} is dropless
 * @param renormalize       renormalise the k selected probabilities to sum to 1 (when k > 1)
 * @param loadBalanceWeight weight of the Switch load-balancing loss (0 = off)
 * @param zLossWeight       weight of the router z-loss (0 = off)
 */
public record TopKConfig(int k, double capacityFactor, boolean renormalize, double loadBalanceWeight,
                         double zLossWeight) implements RouterConfig {

    public TopKConfig {
        if (k < 1) throw new IllegalArgumentException("router.k = " + k + ": must be >= 1");
        RouterChecks.nonNegativeFinite("router.loadBalanceWeight", loadBalanceWeight);
        RouterChecks.nonNegativeFinite("router.zLossWeight", zLossWeight);
        RouterChecks.finite("router.capacityFactor", capacityFactor);
    }

    @Override public String kind() { return "topk"; }

    @Override public void validate(int numExperts) {
        RouterChecks.experts(numExperts);
        if (k > numExperts) {
            throw new IllegalArgumentException("router.k = " + k + ": must be <= the number of experts ("
                    + numExperts + ")");
        }
    }

    @Override public Router create(int dModel, ExpertSet experts, long seed, DataType dtype) {
        validate(experts.size());
        return new TopKRouter(this, dModel, experts, seed, dtype);
    }

    @Override public double nominalK() { return k; }
}
