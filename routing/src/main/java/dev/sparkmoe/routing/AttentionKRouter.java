package dev.sparkmoe.routing;

import org.nd4j.linalg.api.buffer.DataType;

/**
 * Dynamic-K router by attention importance (DA-MoE, arXiv 2409.06669), ROUTING.md §3, the
 * project's reading. For each non-padding token {@code i} of a sequence of {@code n} valid tokens:
 * <pre>
 *   a_i = (1/H) Σ_h (1/n) Σ_q A_h[q, i]        attention received ({@link AttentionImportance};
 *                                              padding excluded as query and key; no gradient)
 *   r_i = a_i / max_j a_j                      per sequence
 *   K_i = clamp(ceil(r_i · E · kScale), kMin, kMax)     (kMax = 0 means E)
 *   z = x_i·Wᵀ,  p = softmax(z),  W = "router.w" [E, D], init N(0, 0.02²) from the seed
 *   C_i = the K_i largest p_e (ties: lower slot)
 *   w_e = p_e / Σ_{f∈C_i} p_f                   always renormalised (K_i = 1 gives weight 1)
 *   capacity = ceil(capacityFactor · Σ_i K_i / E) per expert (<= 0: dropless): each expert's
 *     share of the batch's assignments times the factor, which is top-k's formula with
 *     T·k replaced by ΣK_i; overflow dropped lowest p first, as in {@link TopKRouter}
 *   aux (training): load balance E·Σ_e f_e·P_e (f_e = share of the ΣK_i pre-drop assignments)
 *                   and z-loss mean_i lse(z_i)², as in {@link TopKRouter}
 * </pre>
 * The attention comes from {@link RoutingContext#attentionProbs()} {@code [B, H, S, S]}; which
 * block's attention it is (this block's or, with {@code previousBlock}, the previous one's) is
 * the caller's choice. Backward as in {@link TopKRouter}; nothing flows into the attention.
 */
public final class AttentionKRouter extends SoftmaxRouter {
    private final AttentionKConfig config;

    /** A router with {@code W} drawn from {@code N(0, 0.02²)} seeded by {@code seed}. */
    public AttentionKRouter(AttentionKConfig config, int dModel, ExpertSet experts, long seed, DataType dtype) {
        super(config, dModel, experts, seed, dtype, config.capacityFactor(), config.loadBalanceWeight(),
                config.zLossWeight());
        this.config = config;
    }

    @Override
    int[] tokenK(RoutingContext ctx, boolean[] pad, int numTokens, int numExperts) {
        return AttentionImportance.kPerToken(ctx.attentionProbs(), pad, numTokens, ctx.sequenceLength(), numExperts,
                config);
    }

    @Override
    boolean renormalizes(int k) { return true; }
}
