package dev.sparkmoe.routing;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Top-any router (DynMoE, arXiv 2405.14297, behaviour of the official code), ROUTING.md §2.
 * For each non-padding token {@code x ∈ R^D} and live expert slot {@code e}:
 * <pre>
 *   c_e = cos(x, w_e) = x̂·ŵ_e          w_e = row e of "router.gates" [E, D] (init orthonormal)
 *   s_e = sigmoid(c_e / τ)
 *   t_e = sigmoid(g_e / τ)               g_e = row e of "router.thresholds" [E, 1] (init 0)
 *   a_e = 1 if s_e > t_e else 0          evaluated as c_e > g_e (exact; same for τ > 0)
 *   k   = Σ_e a_e;   combine weight of every activated expert = 1/k
 * </pre>
 * A token with {@code k = 0}: in training it is routed nowhere (recorded in {@code R_S},
 * {@code R_N}); in evaluation it falls back to {@code argmax_e c_e} (ties: lower slot) with
 * weight 1. No capacity, no dropping.
 *
 * <p>Backward (straight-through, as the official code): {@code a_e} is treated as
 * {@code relu(s_e − t_e)} and {@code 1/k} as a constant, so for an activated pair
 * {@code ∂L/∂s_e = ∂L/∂a_e}, {@code ∂L/∂t_e = −∂L/∂a_e}; then {@code ∂c_e = ∂s_e·s_e(1−s_e)/τ},
 * {@code ∂g_e = ∂t_e·t_e(1−t_e)/τ}, and {@code ∂c} flows to {@code w_e} and {@code x} through the
 * cosine (norms clamped at ε = 1e-12, as {@code F.normalize}):
 * {@code ∂x_t = Σ_e ∂c_te·ŵ_e/‖x_t‖ − (Σ_e ∂c_te·c_te)·x_t/‖x_t‖²}, {@code ∂ŵ_e = Σ_t ∂c_te·x̂_t}
 * then through the gate normalisation. Non-activated pairs and
 * evaluation fallbacks send no gradient. {@code ∂L/∂a_e} is {@code g/k} from the task loss plus
 * the balance and efficiency terms.
 *
 * <p>Temperature: fixed {@code τ} by default. When trainable, the parameter is
 * {@code "router.logitScale"} {@code [1, 1]} holding {@code θ = ln(1/τ)} (as the official code),
 * so {@code τ = exp(−min(θ, θ_max))} stays positive, with {@code θ_max = max(ln 100, ln(1/τ₀))}
 * (the official clamp at τ = 0.01, relaxed if the configured τ₀ is smaller); above the clamp
 * {@code θ} gets no gradient.
 *
 * <p>Aux losses (training, each with its weight, all times {@link RoutingContext#auxScale()}):
 * {@link DiverseSimpleLoss} on the gates, {@link TopAnyBalanceLoss} and {@link EfficiencyLoss}
 * through the straight-through activations.
 */
public final class TopAnyRouter implements Router {
    public static final String GATES = "router.gates";
    public static final String THRESHOLDS = "router.thresholds";
    public static final String LOGIT_SCALE = "router.logitScale";
    /** Smallest temperature a trainable τ can reach unless configured lower (official code: 0.01). */
    public static final double MIN_TRAINABLE_TEMPERATURE = 0.01;

    private final TopAnyConfig config;
    private final int dModel;
    private final DataType dtype;
    private final Param gates;
    private final Param thresholds;
    private final Param logitScale;
    private final double logitScaleMax;
    private ExpertSet experts;

    /** Gates orthonormal from {@code seed} ({@link RouterInit#orthonormalRows}), thresholds 0. */
    public TopAnyRouter(TopAnyConfig config, int dModel, ExpertSet experts, long seed, DataType dtype) {
        Nd.checkDModel(dModel, config.kind());
        Nd.checkFloatingPoint(dtype, config.kind());
        config.validate(experts.size());
        this.config = config;
        this.dModel = dModel;
        this.dtype = dtype;
        this.experts = experts;
        this.gates = new Param(GATES, RouterInit.orthonormalRows(seed, experts.size(), dModel, dtype));
        this.thresholds = new Param(THRESHOLDS, Nd4j.zeros(dtype, experts.size(), 1));
        double theta0 = Math.log(1.0 / config.temperature());
        this.logitScaleMax = Math.max(Math.log(1.0 / MIN_TRAINABLE_TEMPERATURE), theta0);
        this.logitScale = config.trainableTemperature()
                ? new Param(LOGIT_SCALE, Nd.create(new double[]{theta0}, dtype, 1, 1)) : null;
    }

    @Override public TopAnyConfig config() { return config; }
    @Override public ExpertSet experts() { return experts; }

    /** Gates, thresholds, and the logit scale when the temperature is trainable. */
    @Override public List<Param> params() {
        return logitScale == null ? List.of(gates, thresholds) : List.of(gates, thresholds, logitScale);
    }

    public int dModel() { return dModel; }
    public Param gates() { return gates; }
    public Param thresholds() { return thresholds; }

    /** The current temperature {@code τ}. */
    public double temperature() {
        if (logitScale == null) return config.temperature();
        return Math.exp(-Math.min(logitScale.value().getDouble(0), logitScaleMax));
    }

    private boolean logitScaleClamped() {
        return logitScale != null && logitScale.value().getDouble(0) > logitScaleMax;
    }

    /**
     * Routes {@code T} tokens (see the class documentation).
     *
     * @param xIn {@code [T, D]}; cast to the parameters' data type when it differs
     */
    @Override
    public RouterForward forward(INDArray xIn, RoutingContext ctx) {
        INDArray x = Nd.routerInput(xIn, dModel, dtype, config.kind());
        int numTokens = x.rows();
        int numExperts = experts.size();
        boolean[] pad = Nd.padMask(ctx, numTokens, config.kind());
        TopAnyForward f = new TopAnyForward(numTokens, numExperts, pad, ctx.training(), ctx.auxScale());
        f.x = x;
        f.gateValue = gates.value();
        f.tau = temperature();
        f.thr = Nd.toDoubles(thresholds.value());
        f.c = new double[0];
        if (numTokens > 0) {
            // c = (x·Ŵᵀ) / ‖x‖: normalise the small [T, E] product instead of the [T, D] input
            f.wNorm = RowNorm.of(gates.value());
            f.xNorms = Nd.toDoubles(x.norm2(1));                                        // [T]
            f.c = Nd.toDoubles(Nd4j.gemm(x, f.wNorm.unit(), false, true));              // [T·E] x·ŵ
            for (int t = 0; t < numTokens; t++) {
                double n = Math.max(f.xNorms[t], RowNorm.EPS);
                for (int e = 0; e < numExperts; e++) f.c[t * numExperts + e] /= n;
            }
        }
        activate(f);
        return finish(f);
    }

    /** Fills the activations, counts and (in evaluation) fallbacks. */
    private static void activate(TopAnyForward f) {
        int numExperts = f.numExperts;
        for (int t = 0; t < f.numTokens; t++) {
            if (Nd.isPad(f.pad, t)) continue;
            int base = t * numExperts;
            int kt = 0;
            for (int e = 0; e < numExperts; e++) {
                if (f.c[base + e] > f.thr[e]) {
                    f.a[base + e] = 1;
                    kt++;
                }
            }
            f.k[t] = kt;
            if (kt == 0 && !f.training) {
                int best = 0;
                for (int e = 1; e < numExperts; e++) if (f.c[base + e] > f.c[base + best]) best = e;
                f.fallback[t] = best;
            }
        }
    }

    /** Builds the decision (weights 1/k, or 1 for a fallback), the record and the aux losses. */
    private TopAnyForward finish(TopAnyForward f) {
        int numTokens = f.numTokens;
        int numExperts = f.numExperts;
        int[] offsets = new int[numTokens + 1];
        int nnz = 0;
        for (int t = 0; t < numTokens; t++) nnz += f.k[t] > 0 ? f.k[t] : (f.fallback[t] >= 0 ? 1 : 0);
        int[] slots = new int[nnz];
        double[] weights = new double[nnz];
        boolean[] unrouted = new boolean[numTokens];
        int unroutedCount = 0;
        int j = 0;
        for (int t = 0; t < numTokens; t++) {
            int base = t * numExperts;
            if (f.k[t] > 0) {
                for (int e = 0; e < numExperts; e++) {
                    if (f.a[base + e] == 0) continue;
                    slots[j] = e;
                    weights[j++] = 1.0 / f.k[t];
                }
            } else if (f.fallback[t] >= 0) {
                slots[j] = f.fallback[t];
                weights[j++] = 1.0;
            } else if (!Nd.isPad(f.pad, t)) {
                unrouted[t] = true;
                unroutedCount++;
            }
            offsets[t + 1] = j;
        }
        INDArray probs = nnz == 0 ? null : Nd.create(weights, dtype, nnz);
        RoutingDecision decision = new RoutingDecision(numExperts, offsets, slots, probs, 0, unroutedCount);
        long tokens = Nd.validTokens(f.pad, numTokens);
        RoutingRecord record = Records.build(experts, decision.tokensPerExpert(), f.x, unrouted, tokens, 0);
        Map<String, Double> terms = new LinkedHashMap<>();
        double aux = auxLosses(f, terms);
        f.complete(this, experts, decision, aux, terms, record);
        return f;
    }

    /** Enabled aux losses (training only): unweighted values into {@code terms}, the weighted sum returned. */
    private double auxLosses(TopAnyForward f, Map<String, Double> terms) {
        if (!f.training) return 0;
        double aux = 0;
        if (config.diverseSimpleWeight() > 0) {
            double ds = DiverseSimpleLoss.value(gates.value());
            terms.put("diverseSimple", ds);
            aux += config.diverseSimpleWeight() * f.auxScale * ds;
            f.withDiverseSimple = true;
        }
        if (config.balanceWeight() > 0) {
            double b = TopAnyBalanceLoss.value(f.a, f.k, f.numExperts);
            terms.put("balance", b);
            aux += config.balanceWeight() * f.auxScale * b;
            f.withBalance = true;
        }
        if (config.efficiencyWeight() > 0) {
            double eff = EfficiencyLoss.value(f.a, f.numTokens, f.numExperts, f.pad);
            terms.put("efficiency", eff);
            aux += config.efficiencyWeight() * f.auxScale * eff;
            f.withEfficiency = true;
        }
        return aux;
    }

    @Override
    public INDArray backward(RouterForward fwd, INDArray gradProbs) {
        return BaseForward.backward(fwd, TopAnyForward.class, this, f -> backwardOf(f, gradProbs));
    }

    private INDArray backwardOf(TopAnyForward f, INDArray gradProbs) {
        int numTokens = f.numTokens;
        int numExperts = f.numExperts;
        if (f.withDiverseSimple) {
            gates.grad().addi(DiverseSimpleLoss.gradient(f.gateValue).muli(config.diverseSimpleWeight() * f.auxScale));
        }
        if (numTokens == 0) return Nd4j.zeros(dtype, 0, dModel);
        double[] dA = activationGradient(f, gradProbs);
        double[] dC = new double[numTokens * numExperts];
        double[] dThr = new double[numExperts];
        double dTau = straightThrough(f, dA, dC, dThr);
        double[] gamma = scaleByInputNorm(f, dC);
        INDArray dcScaled = Nd.create(dC, dtype, numTokens, numExperts);       // ∂c / ‖x‖
        INDArray dwUnit = Nd4j.gemm(dcScaled, f.x, true, false);                // [E, D] = ∂cᵀ·x̂
        gates.grad().addi(RowNorm.backward(f.wNorm, dwUnit));
        thresholds.grad().addi(Nd.create(dThr, dtype, numExperts, 1));
        if (logitScale != null && !logitScaleClamped()) {
            // τ = exp(−θ): ∂L/∂θ = −τ · ∂L/∂τ
            logitScale.grad().addi(Nd.create(new double[]{-f.tau * dTau}, dtype, 1, 1));
        }
        // ∂x = (∂c/‖x‖)·Ŵ − γ ⊙ x, γ_t = Σ_e ∂c_te·c_te / ‖x_t‖²: one row scaling and one gemm
        INDArray dx = f.x.mulColumnVector(Nd.create(gamma, dtype, numTokens, 1));
        Nd4j.gemm(dcScaled, f.wNorm.unit(), dx, false, false, 1.0, -1.0);
        return dx;
    }

    /**
     * Backward of {@code c = x·ŵ / max(‖x‖, ε)}: divides {@code dC} in place by the clamped norm
     * and returns {@code γ_t = Σ_e ∂c_te·c_te / ‖x_t‖²} (0 where ‖x_t‖ < ε, where the forward
     * divided by the constant ε).
     */
    private static double[] scaleByInputNorm(TopAnyForward f, double[] dC) {
        int numExperts = f.numExperts;
        double[] gamma = new double[f.numTokens];
        for (int t = 0; t < f.numTokens; t++) {
            double n = f.xNorms[t];
            double clamped = Math.max(n, RowNorm.EPS);
            double beta = 0;
            for (int e = 0; e < numExperts; e++) {
                int i = t * numExperts + e;
                beta += dC[i] * f.c[i];
                dC[i] /= clamped;
            }
            gamma[t] = n < RowNorm.EPS ? 0 : beta / (n * n);
        }
        return gamma;
    }

    /** {@code ∂L/∂a} {@code [T·E]}: task loss (g/k, 1/k constant) plus balance and efficiency. */
    private double[] activationGradient(TopAnyForward f, INDArray gradProbs) {
        int numExperts = f.numExperts;
        int nnz = f.decision().nnz();
        double[] dA = new double[f.numTokens * numExperts];
        if (nnz > 0) {
            if (gradProbs == null || gradProbs.length() != nnz) {
                throw new IllegalArgumentException("router " + config.kind() + ": gradProbs must have NNZ=" + nnz
                        + " entries, got " + (gradProbs == null ? "null" : java.util.Arrays.toString(gradProbs.shape())));
            }
            double[] g = Nd.toDoubles(gradProbs);
            int[] off = f.decision().tokenOffsets();
            int[] slots = f.decision().expertSlots();
            for (int t = 0; t < f.numTokens; t++) {
                if (f.k[t] == 0) continue;                      // evaluation fallback: no gradient
                for (int j = off[t]; j < off[t + 1]; j++) dA[t * numExperts + slots[j]] += g[j] / f.k[t];
            }
        }
        if (f.withBalance) TopAnyBalanceLoss.addGradient(dA, f.a, f.k, numExperts, config.balanceWeight() * f.auxScale);
        if (f.withEfficiency) {
            EfficiencyLoss.addGradient(dA, f.numTokens, numExperts, f.pad, config.efficiencyWeight() * f.auxScale);
        }
        return dA;
    }

    /**
     * Sends {@code ∂L/∂a} of activated pairs through {@code relu(s − t)}: fills {@code ∂L/∂c}
     * and {@code ∂L/∂g}, returns {@code ∂L/∂τ}.
     */
    private static double straightThrough(TopAnyForward f, double[] dA, double[] dC, double[] dThr) {
        int numExperts = f.numExperts;
        double tau = f.tau;
        double[] tGate = new double[numExperts];
        for (int e = 0; e < numExperts; e++) tGate[e] = sigmoid(f.thr[e] / tau);
        double dTau = 0;
        for (int i = 0; i < dA.length; i++) {
            if (f.a[i] == 0 || dA[i] == 0) continue;
            int e = i % numExperts;
            double s = sigmoid(f.c[i] / tau);
            double ds = s * (1 - s);
            double dt = tGate[e] * (1 - tGate[e]);
            dC[i] = dA[i] * ds / tau;
            dThr[e] -= dA[i] * dt / tau;
            dTau += dA[i] * (ds * (-f.c[i] / (tau * tau)) - dt * (-f.thr[e] / (tau * tau)));
        }
        return dTau;
    }

    private static double sigmoid(double v) {
        return v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v));
    }

    @Override
    public void removeExperts(int... ids) {
        ExpertSet after = experts.without(ids);
        config.validate(after.size());
        ExpertRows.remap(gates, experts, after, new int[0], new INDArray[0]);
        ExpertRows.remap(thresholds, experts, after, new int[0], new INDArray[0]);
        experts = after;
    }

    /**
     * Adds expert {@link ExpertSet#nextId()} with gate {@code gate / ‖gate‖} (ROUTING.md §4.2:
     * {@code R_S/‖R_S‖}) and threshold 0; with {@code gate == null}, a fresh seeded unit gate
     * orthogonal to the live gates where possible ({@link RouterInit#freshGate}).
     *
     * @throws IllegalArgumentException when {@code gate} has the wrong length, or zero or non-finite norm
     */
    @Override
    public int addExpert(INDArray gate, long seed) {
        double[] row;
        if (gate == null) {
            row = RouterInit.freshGate(seed, Nd.toDoubles(gates.value()), experts.size(), dModel);
        } else {
            if (gate.length() != dModel) {
                throw new IllegalArgumentException("router topany: new gate must have D=" + dModel + " entries, got "
                        + java.util.Arrays.toString(gate.shape()));
            }
            row = Nd.toDoubles(gate);
            double norm = 0;
            for (double v : row) norm += v * v;
            norm = Math.sqrt(norm);
            if (!(norm > 0) || !Double.isFinite(norm)) {
                throw new IllegalArgumentException("router topany: new gate must have a finite, non-zero norm, got " + norm);
            }
            for (int i = 0; i < row.length; i++) row[i] /= norm;
        }
        ExpertSet after = experts.withNew();
        int id = experts.nextId();
        ExpertRows.remap(gates, experts, after, new int[]{id}, new INDArray[]{Nd.create(row, dtype, dModel)});
        ExpertRows.remap(thresholds, experts, after, new int[]{id}, new INDArray[]{Nd4j.zeros(dtype, 1)});
        experts = after;
        return id;
    }

    /** The forward pass of the top-any router and its backward caches. */
    static final class TopAnyForward extends BaseForward {
        final int numTokens;
        final int numExperts;
        final boolean[] pad;
        final boolean training;
        final double auxScale;
        final double[] a;          // [T·E] 0/1 activations
        final int[] k;             // [T] activated experts
        final int[] fallback;      // [T] evaluation fallback slot, -1 for none
        boolean withDiverseSimple;
        boolean withBalance;
        boolean withEfficiency;
        INDArray x;
        INDArray gateValue;
        double[] xNorms;           // [T] ‖x_t‖
        RowNorm.Normalized wNorm;
        double[] c;
        double[] thr;
        double tau;

        TopAnyForward(int numTokens, int numExperts, boolean[] pad, boolean training, double auxScale) {
            this.numTokens = numTokens;
            this.numExperts = numExperts;
            this.pad = pad;
            this.training = training;
            this.auxScale = auxScale;
            this.a = new double[numTokens * numExperts];
            this.k = new int[numTokens];
            this.fallback = new int[numTokens];
            java.util.Arrays.fill(fallback, -1);
        }

        @Override void release() {
            x = null;
            gateValue = null;
            xNorms = null;
            wNorm = null;
            c = null;
        }
    }
}
