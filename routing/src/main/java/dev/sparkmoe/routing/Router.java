package dev.sparkmoe.routing;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;

/**
 * Decides which experts each token goes to, and with what combine weight, for one MoE layer.
 *
 * <p>Lifecycle per step: {@link #forward} (caching what backward needs in the returned
 * {@link RouterForward}), then {@link #backward} with the gradient of the loss with respect to
 * the combine weights. Implementations are deterministic functions of their input and
 * parameters; ties between experts go to the lower slot (lower id). They compute in the data
 * type of their parameters (float32 in training, float64 in gradient checks). Not thread-safe:
 * one instance per layer per task.
 *
 * <p>Between steps, the expert controller changes the live set with {@link #removeExperts}
 * and {@link #addExpert}; the router reshapes its per-expert parameters (value, gradient and
 * optimiser state together, see {@link ExpertRows}).
 */
public interface Router {

    /** The configuration this router was built from. */
    RouterConfig config();

    /** The live experts, in slot order. */
    ExpertSet experts();

    /** Trainable parameters, in a fixed order. */
    List<Param> params();

    /**
     * Routes {@code T} tokens.
     *
     * @param x   {@code [T, D]} router input (the normalised hidden state feeding the experts)
     * @param ctx training flag, padding, attention
     */
    RouterForward forward(INDArray x, RoutingContext ctx);

    /**
     * Backward pass of one {@link #forward}: adds the parameter gradients of the task loss
     * (through the combine weights) and of the weighted aux losses, times the forward call's
     * {@link RoutingContext#auxScale()}, to {@link #params()}.
     *
     * @param fwd       the forward pass to differentiate
     * @param gradProbs {@code [NNZ]} gradient of the loss with respect to {@code decision().probs()};
     *                  null when NNZ = 0
     * @return {@code [T, D]} gradient with respect to {@code x}
     */
    INDArray backward(RouterForward fwd, INDArray gradProbs);

    /** Removes live experts (their router parameters go with them). */
    void removeExperts(int... ids);

    /**
     * Adds expert {@link ExpertSet#nextId()}.
     *
     * @param gate {@code [D]} initial gate vector (top-any: {@code R_S/‖R_S‖}); null for the
     *             router's fresh initialisation, seeded from {@code seed}
     * @return the new expert's id
     */
    int addExpert(INDArray gate, long seed);
}
