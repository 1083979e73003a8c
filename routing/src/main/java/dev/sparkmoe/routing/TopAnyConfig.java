package dev.sparkmoe.routing;

import org.nd4j.linalg.api.buffer.DataType;

/**
 * Top-any router (DynMoE), ROUTING.md §2.
 *
 * @param temperature          {@code τ} of {@code sigmoid(c/τ)}, {@code > 0}
 * @param trainableTemperature learn {@code τ} as a parameter
 * @param diverseSimpleWeight  weight of the diverse-and-simple loss (official language runs: 0.01)
 * @param balanceWeight        weight of the official code's balance loss (0 = off)
 * @param efficiencyWeight     weight of the efficiency loss {@code mean(k)/|A|} (0 = off)
 */
public record TopAnyConfig(double temperature, boolean trainableTemperature, double diverseSimpleWeight,
                           double balanceWeight, double efficiencyWeight) implements RouterConfig {

    public TopAnyConfig {
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("router.temperature = " + temperature + ": must be finite and > 0");
        }
        RouterChecks.nonNegativeFinite("router.diverseSimpleWeight", diverseSimpleWeight);
        RouterChecks.nonNegativeFinite("router.balanceWeight", balanceWeight);
        RouterChecks.nonNegativeFinite("router.efficiencyWeight", efficiencyWeight);
    }

    /** The official language-model setting: τ = 1 fixed, diverse-and-simple weight 0.01. */
    public static TopAnyConfig defaults() { return new TopAnyConfig(1.0, false, 0.01, 0.0, 0.0); }

    @Override public String kind() { return "topany"; }

    @Override public void validate(int numExperts) { RouterChecks.experts(numExperts); }

    @Override public Router create(int dModel, ExpertSet experts, long seed, DataType dtype) {
        validate(experts.size());
        return new TopAnyRouter(this, dModel, experts, seed, dtype);
    }

    @Override public double nominalK() { return Double.NaN; }
}
