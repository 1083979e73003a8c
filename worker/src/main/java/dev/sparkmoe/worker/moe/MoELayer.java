package dev.sparkmoe.worker.moe;

import dev.sparkmoe.routing.ExpertSet;
import dev.sparkmoe.routing.Param;
import dev.sparkmoe.routing.Router;
import dev.sparkmoe.routing.RouterConfig;
import dev.sparkmoe.routing.RouterForward;
import dev.sparkmoe.routing.RoutingContext;
import dev.sparkmoe.routing.Seeds;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;

/**
 * A Mixture-of-Experts FFN: router → dispatch → experts → combine, and the mirror image
 * backward. Holds nothing but the wiring; each phase is its own type.
 *
 * <p>The data-side phases are public so a step can stop at the expert boundary (the Spark
 * engine shuffles the rows to the expert partitions there): forward is {@link #route} →
 * experts → {@link #combine}, backward {@link #combineBackward} → experts' backward →
 * {@link #dispatchBackward}. {@link #forward}/{@link #backward} are exactly these phases in
 * sequence with the experts hosted here ({@link #experts()}).
 *
 * <p>The layer's output for token {@code t} is {@code Σ_j probs[j] · FFN_{e_j}(x_t)} over its
 * kept assignments (0 when it has none: the block's residual path carries it).
 */
public final class MoELayer {
    private final int layer;
    private final long dModel;
    private final long ffnDim;
    private final long seed;
    private final DataType dtype;
    private final Router router;
    private final TokenDispatcher dispatcher;
    private final LocalExperts experts = new LocalExperts();
    private final boolean hostExperts;
    private RouterForward lastRouting;
    private INDArray pendingDProbs;   // [NNZ] CSR order, between combineBackward and dispatchBackward

    /**
     * @param layer  index of this MoE layer among the model's MoE layers (seeds, names)
     * @param seed   run seed; router and expert initialisation derive from (seed, layer, id)
     */
    public MoELayer(int layer, long dModel, long ffnDim, RouterConfig routerConfig, ExpertSet initial, long seed,
                    DataType dtype, TokenDispatcher dispatcher) {
        this(layer, dModel, ffnDim, routerConfig, initial, seed, dtype, dispatcher, true);
    }

    /**
     * @param hostExperts whether this layer holds its experts' FFNs; false for the Spark engine's
     *                    data-side and driver replicas, whose experts live on expert partitions
     *                    ({@link #experts()} stays empty, {@link #addExpert} only grows the router)
     */
    public MoELayer(int layer, long dModel, long ffnDim, RouterConfig routerConfig, ExpertSet initial, long seed,
                    DataType dtype, TokenDispatcher dispatcher, boolean hostExperts) {
        this.layer = layer;
        this.dModel = dModel;
        this.ffnDim = ffnDim;
        this.seed = seed;
        this.dtype = dtype;
        this.router = routerConfig.create((int) dModel, initial, Seeds.derive(seed, 0xA0L, layer), dtype);
        this.dispatcher = dispatcher;
        this.hostExperts = hostExperts;
        if (hostExperts) for (int id : initial.ids()) experts.put(Expert.create(layer, id, dModel, ffnDim, seed, dtype));
    }

    /**
     * Forward with the whole batch as one routing group.
     *
     * @param x   {@code [T, D]} the normalised hidden state
     * @param ctx training flag, padding and (for DA-MoE) the block's attention
     * @return {@code [T, D]}
     */
    public INDArray forward(INDArray x, RoutingContext ctx) {
        return forward(x, ctx, null);
    }

    /**
     * Forward with the batch's sequences in routing groups: one router call per non-empty group
     * ({@link GroupedRouting}), one dispatch and one GEMM pair per expert over all groups' rows
     * in group order. One group ({@code null} or {@code {0, B}}) is a single router call on all
     * {@code T} rows, exactly {@link #forward(INDArray, RoutingContext)}. The in-process
     * composition of the four phases: {@link #route}, the hosted experts, {@link #combine}.
     *
     * @param x            {@code [T, D]} the normalised hidden state, {@code T = B·S}
     * @param ctx          training flag, padding {@code [T]} and (for DA-MoE) the block's attention
     *                     {@code [B, H, S, S]}
     * @param groupOffsets {@code [G+1]} sequence offsets of the routing groups, or null for one group
     * @return {@code [T, D]}
     */
    public INDArray forward(INDArray x, RoutingContext ctx, int[] groupOffsets) {
        ExpertBlocks blocks = route(x, ctx, groupOffsets);
        return combine(experts.forward(router.experts(), blocks));
    }

    /**
     * Backward of the last {@link #forward}; adds router (with its weighted aux losses) and
     * expert gradients: {@link #combineBackward}, the hosted experts' backward,
     * {@link #dispatchBackward}.
     *
     * @param dy {@code [T, D]}
     * @return {@code [T, D]} gradient of {@code x}
     */
    public INDArray backward(INDArray dy) {
        return dispatchBackward(experts.backward(combineBackward(dy)));
    }

    /**
     * Forward phase 1 (data side, before the dispatch shuffle): routes the groups and gathers
     * each live expert's rows. Caches the routing and the dispatch for the later phases.
     *
     * @param x            {@code [T, D]} the normalised hidden state, {@code T = B·S}
     * @param ctx          training flag, padding {@code [T]} and (for DA-MoE) the block's attention
     * @param groupOffsets {@code [G+1]} sequence offsets of the routing groups, or null for one group
     * @return {@code [NNZ, D]} rows, expert-major in the slot order of {@link #liveExperts()},
     *         with {@code [E+1]} offsets (rows null when NNZ = 0)
     */
    public ExpertBlocks route(INDArray x, RoutingContext ctx, int[] groupOffsets) {
        if (groupOffsets != null) GroupedRouting.checkGroups(groupOffsets, x.rows(), ctx.sequenceLength());
        lastRouting = groupOffsets == null || groupOffsets.length == 2 ? router.forward(x, ctx)
                : GroupedRouting.route(router, x, ctx, groupOffsets);
        return dispatcher.dispatch(x, lastRouting.decision());
    }

    /**
     * Forward phase 2 (data side, after the combine shuffle): the weighted sum of each token's
     * expert outputs.
     *
     * @param expertOutput {@code [NNZ, D]} the experts' outputs for {@link #route}'s rows, same
     *                     order; null when NNZ = 0
     * @return {@code [T, D]} the layer output; rows of tokens routed nowhere are 0
     */
    public INDArray combine(INDArray expertOutput) {
        return dispatcher.combine(expertOutput);
    }

    /**
     * Backward phase 1 (data side, before the gradient shuffle to the experts): backward of
     * {@link #combine}. Keeps the combine-weight gradient for {@link #dispatchBackward}.
     *
     * @param dy {@code [T, D]} gradient of the layer output
     * @return {@code [NNZ, D]} gradient of the expert outputs, expert-major; null when NNZ = 0
     */
    public INDArray combineBackward(INDArray dy) {
        TokenDispatcher.CombineGrad g = dispatcher.combineBackward(dy);
        pendingDProbs = g.dProbs();
        return g.dExpertOutput();
    }

    /**
     * Backward phase 2 (data side, after the experts' input gradients came back): backward of
     * {@link #route}: the dispatch's row sums plus the router's backward (adds router gradients,
     * with its weighted aux losses).
     *
     * @param dExpertInput {@code [NNZ, D]} gradient of the expert inputs, expert-major; null when NNZ = 0
     * @return {@code [T, D]} gradient of {@code x}
     */
    public INDArray dispatchBackward(INDArray dExpertInput) {
        INDArray dProbs = pendingDProbs;
        pendingDProbs = null;
        INDArray dx = dispatcher.dispatchBackward(dExpertInput);
        INDArray dxRouter = lastRouting instanceof GroupedRouting grouped ? grouped.backward(router, dProbs)
                : router.backward(lastRouting, dProbs);
        return dx.addi(dxRouter);
    }

    /**
     * The routing of the last forward: decision, aux loss, record (a {@link GroupedRouting} when
     * it routed more than one group).
     */
    public RouterForward lastRouting() { return lastRouting; }

    public int layerIndex() { return layer; }
    public Router router() { return router; }
    public LocalExperts experts() { return experts; }
    public ExpertSet liveExperts() { return router.experts(); }

    /** Router parameters, then every expert's, in ascending expert id. */
    public List<Param> params() {
        List<Param> out = new ArrayList<>(router.params());
        out.addAll(experts.params());
        return out;
    }

    /** Removes experts (router rows and FFNs with their optimiser state). */
    public void removeExperts(int... ids) {
        router.removeExperts(ids);
        for (int id : ids) experts.remove(id);
    }

    /**
     * Adds one expert with fresh FFN weights seeded from (seed, layer, id) and the given
     * router gate ({@code [D]}, or null for the router's own initialisation).
     *
     * @return the new expert's id
     */
    public int addExpert(double[] gate) {
        int next = router.experts().nextId();
        INDArray g = gate == null ? null : Nd4j.create(gate, new long[]{gate.length}, dtype);
        int id = router.addExpert(g, Seeds.derive(seed, 0xADDL, layer, next));
        if (hostExperts) experts.put(Expert.create(layer, id, dModel, ffnDim, seed, dtype));
        return id;
    }
}
