package dev.sparkmoe.routing;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The math shared by the softmax routers (top-k, ROUTING.md §1, and DA-MoE, §3), which differ
 * only in how many experts {@code K_t} each token takes and whether a single choice is
 * renormalised:
 * <pre>
 *   z = x·Wᵀ                     [T, E], W = "router.w" [E, D] (row per slot)
 *   p = softmax(z)               over the live experts
 *   C_t = the K_t largest p[t,·] (ties: lower slot)
 *   w[t,e] = p[t,e] / S_t,  S_t = Σ_{e∈C_t} p[t,e]   when renormalising, else p[t,e]
 *   capacity: ceil(cf · Σ_t K_t / E) per slot; overflow dropped lowest p first
 *             (ties: lower token kept); weights of kept entries are not re-renormalised
 *   aux (training, weight > 0): s · (lb · E·Σ_e f_e·P_e  +  z · mean_t lse(z_t)²),
 *        s = {@link RoutingContext#auxScale()} (value and gradient alike)
 * </pre>
 * Backward: {@code ∂L/∂p[t,i] = [i kept]·g_i/S_t − (Σ_{j kept} g_j·p_j)/S_t²} for
 * {@code i ∈ C_t} (renormalised) or {@code g_i} (not), plus the load-balance term; through the
 * softmax {@code ∂L/∂z = p ⊙ (∂L/∂p − Σ_e p·∂L/∂p)}, plus the z-loss term; then
 * {@code ∂W = ∂zᵀ·x} and {@code ∂x = ∂z·W} (two gemms).
 */
abstract class SoftmaxRouter implements Router {
    /** Name of the router weight parameter {@code [E, D]}. */
    public static final String WEIGHT = "router.w";
    /** Standard deviation of the initial router weights. */
    public static final double INIT_STD = 0.02;

    private final RouterConfig config;
    private final int dModel;
    private final DataType dtype;
    private final double capacityFactor;
    private final double loadBalanceWeight;
    private final double zLossWeight;
    private final Param weight;
    private ExpertSet experts;

    SoftmaxRouter(RouterConfig config, int dModel, ExpertSet experts, long seed, DataType dtype,
                  double capacityFactor, double loadBalanceWeight, double zLossWeight) {
        Nd.checkDModel(dModel, config.kind());
        Nd.checkFloatingPoint(dtype, config.kind());
        config.validate(experts.size());
        this.config = config;
        this.dModel = dModel;
        this.dtype = dtype;
        this.capacityFactor = capacityFactor;
        this.loadBalanceWeight = loadBalanceWeight;
        this.zLossWeight = zLossWeight;
        this.experts = experts;
        this.weight = new Param(WEIGHT, RouterInit.normal(seed, experts.size(), dModel, INIT_STD, dtype));
    }

    /** {@code [T]} experts per token, 0 for padding. */
    abstract int[] tokenK(RoutingContext ctx, boolean[] pad, int numTokens, int numExperts);

    /** Whether a token that chose {@code k} experts gets its weights renormalised over them. */
    abstract boolean renormalizes(int k);

    @Override public RouterConfig config() { return config; }
    @Override public ExpertSet experts() { return experts; }
    @Override public List<Param> params() { return List.of(weight); }

    /** Hidden size {@code D}. */
    public int dModel() { return dModel; }

    /** The router weight, {@code [E, D]}. */
    public Param weight() { return weight; }

    /**
     * Routes {@code T} tokens; see the class documentation for the equations.
     *
     * @param x {@code [T, D]}; cast to the parameters' data type when it differs
     */
    @Override
    public RouterForward forward(INDArray xIn, RoutingContext ctx) {
        INDArray x = Nd.routerInput(xIn, dModel, dtype, config.kind());
        int numTokens = x.rows();
        int numExperts = experts.size();
        boolean[] pad = Nd.padMask(ctx, numTokens, config.kind());
        int[] k = tokenK(ctx, pad, numTokens, numExperts);
        boolean withLb = ctx.training() && loadBalanceWeight > 0;
        boolean withZ = ctx.training() && zLossWeight > 0;

        double[] p = new double[0];
        double[] lse = withZ ? new double[0] : null;
        if (numTokens > 0) {
            INDArray logits = Nd4j.gemm(x, weight.value(), false, true);     // [T, E]
            if (withZ) lse = ZLoss.logSumExp(logits);
            p = Nd.toDoubles(Transforms.softmax(logits, false));            // [T·E]
        }
        return new Assembler(this, x, pad, k, p, lse, withLb, withZ, ctx.auxScale()).run();
    }

    @Override
    public INDArray backward(RouterForward fwd, INDArray gradProbs) {
        return BaseForward.backward(fwd, SoftmaxForward.class, this, f -> backwardOf(f, gradProbs));
    }

    private INDArray backwardOf(SoftmaxForward f, INDArray gradProbs) {
        int numTokens = f.numTokens;
        int numExperts = f.numExperts;
        if (numTokens == 0) return Nd4j.zeros(dtype, 0, dModel);
        double[] g = gradientOfProbs(f.decision().nnz(), gradProbs);
        double[] gp = new double[numTokens * numExperts];                  // ∂L/∂p
        addCombineGradient(f, g, gp);
        if (f.withLb) {
            LoadBalanceLoss.addGradient(gp, numTokens, numExperts, f.pad, f.assignments, loadBalanceWeight * f.auxScale);
        }
        double[] gz = softmaxBackward(f.p, gp, numTokens, numExperts);    // ∂L/∂z
        if (f.withZ) ZLoss.addGradient(gz, f.p, f.lse, numExperts, f.pad, zLossWeight * f.auxScale);
        INDArray dz = Nd.create(gz, dtype, numTokens, numExperts);
        weight.grad().addi(Nd4j.gemm(dz, f.x, true, false));               // [E, D]
        return Nd4j.gemm(dz, weight.value(), false, false);                 // [T, D]
    }

    private double[] gradientOfProbs(int nnz, INDArray gradProbs) {
        if (nnz == 0) return new double[0];
        if (gradProbs == null || gradProbs.length() != nnz) {
            throw new IllegalArgumentException("router " + config.kind() + ": gradProbs must have NNZ=" + nnz
                    + " entries, got " + (gradProbs == null ? "null" : java.util.Arrays.toString(gradProbs.shape())));
        }
        return Nd.toDoubles(gradProbs);
    }

    /** Gradient of {@code Σ_j g_j·w_j} with respect to the router probabilities. */
    private static void addCombineGradient(SoftmaxForward f, double[] g, double[] gp) {
        int numExperts = f.numExperts;
        int[] off = f.decision().tokenOffsets();
        int[] slots = f.decision().expertSlots();
        for (int t = 0; t < f.numTokens; t++) {
            int base = t * numExperts;
            double s = f.denominators[t];
            if (s == 0) {                                   // not renormalised: w = p
                for (int j = off[t]; j < off[t + 1]; j++) gp[base + slots[j]] += g[j];
                continue;
            }
            double acc = 0;
            for (int j = off[t]; j < off[t + 1]; j++) {
                gp[base + slots[j]] += g[j] / s;
                acc += g[j] * f.p[base + slots[j]];
            }
            double common = acc / (s * s);
            for (int c = f.chosen.offsets()[t]; c < f.chosen.offsets()[t + 1]; c++) gp[base + f.chosen.slots()[c]] -= common;
        }
    }

    private static double[] softmaxBackward(double[] p, double[] gp, int numTokens, int numExperts) {
        double[] gz = new double[numTokens * numExperts];
        for (int t = 0; t < numTokens; t++) {
            int base = t * numExperts;
            double dot = 0;
            for (int e = 0; e < numExperts; e++) dot += gp[base + e] * p[base + e];
            for (int e = 0; e < numExperts; e++) gz[base + e] = p[base + e] * (gp[base + e] - dot);
        }
        return gz;
    }

    @Override
    public void removeExperts(int... ids) {
        ExpertSet after = experts.without(ids);
        config.validate(after.size());
        ExpertRows.remap(weight, experts, after, new int[0], new INDArray[0]);
        experts = after;
    }

    /**
     * Adds expert {@link ExpertSet#nextId()} with router row {@code gate} as given, or, when
     * {@code gate} is null, a fresh row from {@code N(0, 0.02²)} seeded by {@code seed}.
     */
    @Override
    public int addExpert(INDArray gate, long seed) {
        ExpertSet after = experts.withNew();
        INDArray row;
        if (gate == null) {
            row = RouterInit.normal(seed, 1, dModel, INIT_STD, dtype).reshape(dModel);
        } else {
            if (gate.length() != dModel) {
                throw new IllegalArgumentException("router " + config.kind() + ": new expert row must have D=" + dModel
                        + " entries, got " + java.util.Arrays.toString(gate.shape()));
            }
            row = gate.castTo(dtype).reshape(dModel);
        }
        int id = experts.nextId();
        ExpertRows.remap(weight, experts, after, new int[]{id}, new INDArray[]{row});
        experts = after;
        return id;
    }

    /** Builds the decision, aux losses and record of one forward pass from the probabilities. */
    private static final class Assembler {
        private final SoftmaxRouter r;
        private final INDArray x;
        private final boolean[] pad;
        private final int[] k;
        private final double[] p;
        private final double[] lse;
        private final boolean withLb;
        private final boolean withZ;
        private final double auxScale;

        Assembler(SoftmaxRouter r, INDArray x, boolean[] pad, int[] k, double[] p, double[] lse,
                  boolean withLb, boolean withZ, double auxScale) {
            this.r = r;
            this.x = x;
            this.pad = pad;
            this.k = k;
            this.p = p;
            this.lse = lse;
            this.withLb = withLb;
            this.withZ = withZ;
            this.auxScale = auxScale;
        }

        SoftmaxForward run() {
            int numExperts = r.experts.size();
            LargestK.Chosen chosen = LargestK.select(p, k.length, numExperts, k);
            double[] denominators = denominators(chosen, numExperts);
            boolean[] keep = new boolean[chosen.total()];
            int limit = Capacity.limit(r.capacityFactor, chosen.total(), numExperts);
            long dropped = Capacity.apply(chosen.offsets(), chosen.slots(), p, numExperts, limit, keep);
            Kept kept = keep(chosen, keep, denominators, numExperts, dropped);
            long tokens = Nd.validTokens(pad, k.length);
            RoutingRecord record = Records.build(r.experts, kept.decision().tokensPerExpert(), x, kept.unrouted(),
                    tokens, dropped);
            Map<String, Double> terms = new LinkedHashMap<>();
            double aux = auxLosses(kept.assignments(), terms);
            return new SoftmaxForward(r, r.experts, kept.decision(), aux, terms, record, x, pad, p, lse, chosen,
                    denominators, kept.assignments(), withLb, withZ, auxScale);
        }

        /**
         * The decision and its side products.
         *
         * @param assignments {@code [E]} pre-drop assignments per slot
         * @param unrouted    {@code [T]} non-padding tokens left with no kept assignment
         */
        private record Kept(RoutingDecision decision, long[] assignments, boolean[] unrouted) {}

        /** Token-major CSR of the kept candidates with their combine weights. */
        private Kept keep(LargestK.Chosen chosen, boolean[] keep, double[] denominators, int numExperts, long dropped) {
            int numTokens = k.length;
            int kept = 0;
            for (boolean b : keep) if (b) kept++;
            int[] offsets = new int[numTokens + 1];
            int[] slots = new int[kept];
            double[] weights = new double[kept];
            long[] assignments = new long[numExperts];
            boolean[] unrouted = new boolean[numTokens];
            int unroutedCount = 0;
            int j = 0;
            for (int t = 0; t < numTokens; t++) {
                for (int c = chosen.offsets()[t]; c < chosen.offsets()[t + 1]; c++) {
                    int e = chosen.slots()[c];
                    assignments[e]++;
                    if (!keep[c]) continue;
                    double pe = p[t * numExperts + e];
                    slots[j] = e;
                    weights[j++] = denominators[t] > 0 ? pe / denominators[t] : pe;
                }
                offsets[t + 1] = j;
                if (!Nd.isPad(pad, t) && offsets[t + 1] == offsets[t]) {
                    unrouted[t] = true;
                    unroutedCount++;
                }
            }
            INDArray probs = kept == 0 ? null : Nd.create(weights, r.dtype, kept);
            return new Kept(new RoutingDecision(numExperts, offsets, slots, probs, dropped, unroutedCount),
                    assignments, unrouted);
        }

        /** Enabled aux losses: unweighted values into {@code terms}, the weighted (and scaled) sum returned. */
        private double auxLosses(long[] assignments, Map<String, Double> terms) {
            double aux = 0;
            if (withLb) {
                double lb = LoadBalanceLoss.value(p, k.length, r.experts.size(), pad, assignments);
                terms.put("loadBalance", lb);
                aux += r.loadBalanceWeight * auxScale * lb;
            }
            if (withZ) {
                double z = ZLoss.value(lse, pad);
                terms.put("zLoss", z);
                aux += r.zLossWeight * auxScale * z;
            }
            return aux;
        }

        /** {@code S_t} of tokens whose weights are renormalised, 0 for the others. */
        private double[] denominators(LargestK.Chosen chosen, int numExperts) {
            double[] s = new double[k.length];
            for (int t = 0; t < k.length; t++) {
                int kt = chosen.offsets()[t + 1] - chosen.offsets()[t];
                if (kt == 0 || !r.renormalizes(kt)) continue;
                double sum = 0;
                for (int c = chosen.offsets()[t]; c < chosen.offsets()[t + 1]; c++) sum += p[t * numExperts + chosen.slots()[c]];
                s[t] = Math.max(sum, Double.MIN_NORMAL);
            }
            return s;
        }
    }

    /** The forward pass of a softmax router and its backward caches. */
    static final class SoftmaxForward extends BaseForward {
        final int numTokens;
        final int numExperts;
        final boolean[] pad;
        final long[] assignments;
        final boolean withLb;
        final boolean withZ;
        final double auxScale;
        INDArray x;
        double[] p;
        double[] lse;
        LargestK.Chosen chosen;
        double[] denominators;

        SoftmaxForward(Router owner, ExpertSet experts, RoutingDecision decision, double auxLoss,
                       Map<String, Double> terms, RoutingRecord record, INDArray x, boolean[] pad, double[] p,
                       double[] lse, LargestK.Chosen chosen, double[] denominators, long[] assignments,
                       boolean withLb, boolean withZ, double auxScale) {
            complete(owner, experts, decision, auxLoss, terms, record);
            this.numTokens = chosen.offsets().length - 1;
            this.numExperts = experts.size();
            this.x = x;
            this.pad = pad;
            this.p = p;
            this.lse = lse;
            this.chosen = chosen;
            this.denominators = denominators;
            this.assignments = assignments;
            this.withLb = withLb;
            this.withZ = withZ;
            this.auxScale = auxScale;
        }

        @Override void release() {
            x = null;
            p = null;
            lse = null;
            chosen = null;
            denominators = null;
        }
    }
}
