package dev.sparkmoe.routing;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Builds one forward pass's {@link RoutingRecord} (ROUTING.md §4): kept assignments per expert
 * id, and the sum and count of the router inputs of non-padding tokens routed nowhere.
 */
final class Records {
    private Records() {}

    /**
     * @param keptPerSlot {@code [E]} kept assignments per slot
     * @param x           {@code [T, D]} router input
     * @param unrouted    {@code [T]} true for non-padding tokens with no kept assignment
     * @param tokens      non-padding tokens
     */
    static RoutingRecord build(ExpertSet experts, int[] keptPerSlot, INDArray x, boolean[] unrouted, long tokens,
                               long dropped) {
        int numTokens = unrouted.length;
        long[] counts = new long[keptPerSlot.length];
        for (int e = 0; e < counts.length; e++) counts[e] = keptPerSlot[e];   // slot order = ascending id
        double[] indicator = new double[numTokens];
        int unroutedCount = 0;
        for (int t = 0; t < numTokens; t++) {
            if (unrouted[t]) {
                indicator[t] = 1;
                unroutedCount++;
            }
        }
        double[] sum;
        if (unroutedCount == 0) {
            sum = new double[x.columns()];
        } else {
            // R_S = 1ᵀ_unrouted · x: one gemm instead of one op per token.
            INDArray mask = Nd.create(indicator, x.dataType(), 1, numTokens);
            sum = Nd.toDoubles(Nd4j.gemm(mask, x, false, false));
        }
        return new RoutingRecord(experts.ids(), counts, sum, unroutedCount, tokens, dropped);
    }
}
