package dev.sparkmoe.worker.moe;

import dev.sparkmoe.routing.Router;
import dev.sparkmoe.routing.RouterForward;
import dev.sparkmoe.routing.RoutingContext;
import dev.sparkmoe.routing.RoutingDecision;
import dev.sparkmoe.routing.RoutingRecord;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One MoE layer's routing of a batch in routing groups (docs/spark-engine.md, "Routing groups"):
 * one {@link Router#forward} per non-empty group on the group's contiguous token rows, combined
 * into one {@link RouterForward} over all {@code T} tokens, so that dispatch, experts and combine
 * run unchanged and each expert sees its rows of every group in group order.
 *
 * <p>Group {@code g} holds sequences {@code groupOffsets[g] .. groupOffsets[g+1]-1}, i.e. tokens
 * {@code groupOffsets[g]·S .. groupOffsets[g+1]·S-1}. Its router call gets the batch's training
 * flag and sequence length, the padding mask and attention ({@code [B_g, H, S, S]}) of its own
 * sequences, and {@code auxScale = s·T_g/T}, where {@code s} is the caller's aux scale and
 * {@code T_g}, {@code T} count non-padding tokens (when the batch has none, {@code s/G'} over the
 * {@code G'} non-empty groups). The combined forward is:
 * <ul>
 *   <li>decision: the groups' CSR concatenated (token offsets shifted, slots as they are, probs
 *       concatenated), dropped assignments and unrouted tokens summed;</li>
 *   <li>{@link #auxLoss()}: {@code Σ_g (T_g/T)·aux_g}, the token-weighted mean of the groups'
 *       weighted aux losses (each group's call already applied its scale);</li>
 *   <li>{@link #auxLossTerms()}: per name, {@code Σ_g (T_g/T)·term_g};</li>
 *   <li>{@link #record()}: the groups' records merged in group order.</li>
 * </ul>
 * {@link #backward} splits the gradient of the combine weights back per group and runs each
 * group's router backward, which applies that group's aux gradient at its scale.
 */
public final class GroupedRouting implements RouterForward {
    private final int[] tokenStart;            // [G'+1] token offsets of the routed (non-empty) groups
    private final List<RouterForward> groups;  // one per non-empty group, in group order
    private final int[] nnzStart;              // [G'+1] CSR entry offsets of the groups
    private final int numTokens;
    private final long dModel;
    private final RoutingDecision decision;
    private final double auxLoss;
    private final Map<String, Double> auxLossTerms;
    private final RoutingRecord record;

    private GroupedRouting(int[] tokenStart, List<RouterForward> groups, double[] scales, int numTokens, long dModel) {
        this.tokenStart = tokenStart;
        this.groups = Collections.unmodifiableList(groups);
        this.numTokens = numTokens;
        this.dModel = dModel;
        this.nnzStart = new int[groups.size() + 1];
        for (int g = 0; g < groups.size(); g++) nnzStart[g + 1] = nnzStart[g] + groups.get(g).decision().nnz();
        this.decision = concatenate(groups, tokenStart, nnzStart, numTokens);
        double aux = 0;
        Map<String, Double> terms = new LinkedHashMap<>();
        RoutingRecord rec = null;
        for (int g = 0; g < groups.size(); g++) {
            RouterForward f = groups.get(g);
            aux += f.auxLoss();
            for (Map.Entry<String, Double> e : f.auxLossTerms().entrySet()) {
                terms.merge(e.getKey(), scales[g] * e.getValue(), Double::sum);
            }
            rec = rec == null ? f.record() : rec.merge(f.record());
        }
        this.auxLoss = aux;
        this.auxLossTerms = Collections.unmodifiableMap(terms);
        this.record = rec;
    }

    /**
     * Routes {@code x} group by group.
     *
     * @param x            {@code [T, D]} router input, {@code T = B·S}
     * @param ctx          the batch's context ({@code S = ctx.sequenceLength()}, padding {@code [T]},
     *                     attention {@code [B, H, S, S]} or null)
     * @param groupOffsets {@code [G+1]} sequence offsets: 0, non-decreasing, {@code B}
     */
    public static GroupedRouting route(Router router, INDArray x, RoutingContext ctx, int[] groupOffsets) {
        int numTokens = x.rows();
        checkGroups(groupOffsets, numTokens, ctx.sequenceLength());
        int s = ctx.sequenceLength();
        boolean[] pad = ctx.padMask();
        int total = valid(pad, 0, numTokens);
        int nonEmpty = 0;
        for (int g = 0; g + 1 < groupOffsets.length; g++) if (groupOffsets[g + 1] > groupOffsets[g]) nonEmpty++;
        int[] tokenStart = new int[nonEmpty + 1];
        double[] scales = new double[nonEmpty];
        List<RouterForward> forwards = new ArrayList<>(nonEmpty);
        int i = 0;
        for (int g = 0; g + 1 < groupOffsets.length; g++) {
            int b0 = groupOffsets[g], b1 = groupOffsets[g + 1];
            if (b1 == b0) continue;
            int t0 = b0 * s, t1 = b1 * s;
            scales[i] = total > 0 ? (double) valid(pad, t0, t1) / total : 1.0 / nonEmpty;
            INDArray rows = x.get(NDArrayIndex.interval(t0, t1), NDArrayIndex.all()).dup('c');   // [T_g, D]
            boolean[] padG = pad == null ? null : Arrays.copyOfRange(pad, t0, t1);
            INDArray attn = ctx.attentionProbs() == null ? null
                    : ctx.attentionProbs().get(NDArrayIndex.interval(b0, b1), NDArrayIndex.all(), NDArrayIndex.all(),
                    NDArrayIndex.all());                                                       // [B_g, H, S, S]
            RoutingContext c = new RoutingContext(ctx.training(), padG, attn, s, ctx.auxScale() * scales[i]);
            forwards.add(router.forward(rows, c));
            tokenStart[i] = t0;
            tokenStart[++i] = t1;
        }
        return new GroupedRouting(tokenStart, forwards, scales, numTokens, x.columns());
    }

    /**
     * Backward of the grouped forward: each group's router backward on its slice of
     * {@code gradProbs}; adds the router's parameter gradients.
     *
     * @param gradProbs {@code [NNZ]} gradient of the combined decision's probs (null when NNZ = 0)
     * @return {@code [T, D]} gradient of the router input
     */
    public INDArray backward(Router router, INDArray gradProbs) {
        INDArray dx = null;
        for (int g = 0; g < groups.size(); g++) {
            INDArray gp = nnzStart[g + 1] == nnzStart[g] ? null
                    : gradProbs.get(NDArrayIndex.interval(nnzStart[g], nnzStart[g + 1]));
            INDArray dxg = router.backward(groups.get(g), gp);                                // [T_g, D]
            if (dx == null) dx = Nd4j.zeros(dxg.dataType(), numTokens, dModel);
            dx.get(NDArrayIndex.interval(tokenStart[g], tokenStart[g + 1]), NDArrayIndex.all()).assign(dxg);
        }
        return dx;
    }

    /** The router calls of the non-empty groups, in group order. */
    public List<RouterForward> groups() { return groups; }

    @Override public RoutingDecision decision() { return decision; }
    @Override public double auxLoss() { return auxLoss; }
    @Override public Map<String, Double> auxLossTerms() { return auxLossTerms; }
    @Override public RoutingRecord record() { return record; }

    /**
     * Checks group offsets against {@code T = B·S} tokens.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    static void checkGroups(int[] groupOffsets, int numTokens, int s) {
        if (groupOffsets == null || groupOffsets.length < 2 || groupOffsets[0] != 0) {
            throw new IllegalArgumentException("MoE routing groups: offsets must start {0, ...}, got "
                    + Arrays.toString(groupOffsets));
        }
        for (int g = 1; g < groupOffsets.length; g++) {
            if (groupOffsets[g] < groupOffsets[g - 1]) {
                throw new IllegalArgumentException("MoE routing groups: offsets must be non-decreasing, got "
                        + Arrays.toString(groupOffsets));
            }
        }
        long last = groupOffsets[groupOffsets.length - 1];
        if (s < 1 || last * s != numTokens) {
            throw new IllegalArgumentException("MoE routing groups: offsets must end at B with B·S = T = " + numTokens
                    + " (S = " + s + "), got " + Arrays.toString(groupOffsets));
        }
    }

    private static int valid(boolean[] pad, int from, int to) {
        if (pad == null) return to - from;
        int n = 0;
        for (int t = from; t < to; t++) if (!pad[t]) n++;
        return n;
    }

    private static RoutingDecision concatenate(List<RouterForward> groups, int[] tokenStart, int[] nnzStart,
                                               int numTokens) {
        int numExperts = groups.get(0).decision().numExperts();
        int nnz = nnzStart[groups.size()];
        int[] offsets = new int[numTokens + 1];
        int[] slots = new int[nnz];
        List<INDArray> probs = new ArrayList<>();
        long dropped = 0;
        int unrouted = 0;
        for (int g = 0; g < groups.size(); g++) {
            RoutingDecision d = groups.get(g).decision();
            int[] off = d.tokenOffsets();
            for (int t = 0; t < d.numTokens(); t++) offsets[tokenStart[g] + t + 1] = nnzStart[g] + off[t + 1];
            System.arraycopy(d.expertSlots(), 0, slots, nnzStart[g], d.nnz());
            if (d.nnz() > 0) probs.add(d.probs().reshape(d.nnz()));
            dropped += d.droppedAssignments();
            unrouted += d.unroutedTokens();
        }
        INDArray p = probs.isEmpty() ? null : probs.size() == 1 ? probs.get(0)
                : Nd4j.concat(0, probs.toArray(INDArray[]::new));
        return new RoutingDecision(numExperts, offsets, slots, p, dropped, unrouted);
    }
}
