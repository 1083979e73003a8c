package dev.sparkmoe.worker.moe;

import dev.sparkmoe.routing.RoutingDecision;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Moves token rows to their experts and the experts' outputs back (Megatron-Core's token
 * dispatcher). Forward: {@link #dispatch} then, after the experts ran, {@link #combine}.
 * Backward mirrors it: {@link #combineBackward} then {@link #dispatchBackward}. One instance
 * serves one MoE layer and caches what its backward needs between these calls.
 */
public interface TokenDispatcher {

    /**
     * Gathers each expert's token rows.
     *
     * @param x        {@code [T, D]} expert input (the normalised hidden state)
     * @param decision the router's kept assignments
     * @return the rows in expert-major order
     */
    ExpertBlocks dispatch(INDArray x, RoutingDecision decision);

    /**
     * Sums each token's expert outputs weighted by its combine weights:
     * {@code y[t] = Σ_j probs[j] · out[j]} over the token's kept assignments.
     *
     * @param expertOutput {@code [NNZ, D]} expert outputs, expert-major (null when NNZ = 0)
     * @return {@code [T, D]}; rows of tokens routed nowhere are 0
     */
    INDArray combine(INDArray expertOutput);

    /**
     * Backward of {@link #combine}.
     *
     * @param dy {@code [T, D]} gradient of the layer output
     */
    CombineGrad combineBackward(INDArray dy);

    /**
     * Backward of {@link #dispatch}: sums each token's expert-input gradients.
     *
     * @param dExpertInput {@code [NNZ, D]}, expert-major (null when NNZ = 0)
     * @return {@code [T, D]}
     */
    INDArray dispatchBackward(INDArray dExpertInput);

    /**
     * Gradients out of the combine step.
     *
     * @param dExpertOutput {@code [NNZ, D]} expert-major, null when NNZ = 0
     * @param dProbs        {@code [NNZ]} in the decision's CSR order, null when NNZ = 0
     */
    record CombineGrad(INDArray dExpertOutput, INDArray dProbs) {}
}
