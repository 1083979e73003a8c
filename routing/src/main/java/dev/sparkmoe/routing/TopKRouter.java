package dev.sparkmoe.routing;

import org.nd4j.linalg.api.buffer.DataType;

/**
 * Top-k router (GShard / Switch), ROUTING.md §1. For each non-padding token {@code x ∈ R^D}:
 * <pre>
 *   z = x·Wᵀ,  W = "router.w" [E, D] (one row per live expert slot), init N(0, 0.02²) from the seed
 *   p = softmax(z)
 *   C = the k largest p_e (ties: lower slot = lower expert id)
 *   w_e = p_e / Σ_{f∈C} p_f   if renormalize and k > 1,   else p_e          (e ∈ C)
 *   capacity = ceil(capacityFactor · T_valid · k / E) per expert (capacityFactor <= 0: dropless);
 *     overflowing assignments are dropped lowest p_e first (ties: lower token index kept) and
 *     counted; kept weights are not renormalised again; a token with every assignment dropped
 *     is unrouted (its MoE output is 0; recorded in R_S/R_N)
 *   aux (training only, each with its weight):
 *     load balance  E · Σ_e f_e · P_e,  f_e = pre-drop assignments to e / (T_valid·k) (constant),
 *                   P_e = mean_t p_e over non-padding tokens
 *     z-loss        mean_t (logsumexp_e z_e)²
 * </pre>
 * Backward: the task-loss gradient with respect to the kept weights goes through the
 * renormalisation and the softmax to {@code W} and {@code x}; the weighted aux-loss gradients
 * are added. Padding tokens are not routed, not recorded and in no mean.
 */
public final class TopKRouter extends SoftmaxRouter {
    private final TopKConfig config;

    /** A router with {@code W} drawn from {@code N(0, 0.02²)} seeded by {@code seed}. */
    public TopKRouter(TopKConfig config, int dModel, ExpertSet experts, long seed, DataType dtype) {
        super(config, dModel, experts, seed, dtype, config.capacityFactor(), config.loadBalanceWeight(),
                config.zLossWeight());
        this.config = config;
    }

    @Override
    int[] tokenK(RoutingContext ctx, boolean[] pad, int numTokens, int numExperts) {
        int[] k = new int[numTokens];
        for (int t = 0; t < numTokens; t++) k[t] = Nd.isPad(pad, t) ? 0 : config.k();
        return k;
    }

    @Override
    boolean renormalizes(int k) { return config.renormalize() && k > 1; }
}
