package dev.sparkmoe.routing;

import dev.sparkmoe.testing.GradientCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.function.DoubleSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Checks top-any's straight-through backward against its defined surrogate: the same loss with
 * every activated {@code a_e} replaced by {@code relu(s_e − t_e)} and {@code k} held at its forward
 * value, evaluated away from the thresholds so the activated set does not change under ±ε. The
 * surrogate is coded here independently of the router.
 */
class TopAnyRouterGradientTest {
    private static final int T = 8;
    private static final int D = 5;
    private static final int E = 4;

    /**
     * A router with random (non-orthonormal) gates and thresholds, every pair at least 0.02 from
     * its threshold, with a mix of tokens activating none, one and several experts. Thresholds
     * are drawn from successive seeds until those hold (deterministic).
     */
    private static TopAnyRouter router(TopAnyConfig cfg, INDArray x) {
        TopAnyRouter r = new TopAnyRouter(cfg, D, ExpertSet.initial(E), 3, DataType.DOUBLE);
        r.gates().value().assign(GradientCheck.random(41, 1.0, E, D));
        double[][] c = cosines(x, r.gates().value());
        for (long seed = 42; seed < 1042; seed++) {
            double[] g = GradientCheck.random(seed, 0.4, E).toDoubleVector();
            double margin = Double.MAX_VALUE;
            boolean none = false, several = false;
            for (double[] row : c) {
                int k = 0;
                for (int e = 0; e < E; e++) {
                    margin = Math.min(margin, Math.abs(row[e] - g[e]));
                    if (row[e] > g[e]) k++;
                }
                none |= k == 0;
                several |= k >= 2;
            }
            if (margin > 0.02 && none && several) {
                r.thresholds().value().assign(org.nd4j.linalg.factory.Nd4j.create(g, new long[]{E, 1}, DataType.DOUBLE));
                return r;
            }
        }
        throw new AssertionError("no suitable thresholds found");
    }

    static double[][] cosines(INDArray x, INDArray w) {
        double[][] c = new double[(int) x.rows()][(int) w.rows()];
        for (int t = 0; t < x.rows(); t++) {
            double[] xv = x.getRow(t).toDoubleVector();
            for (int e = 0; e < w.rows(); e++) {
                double[] wv = w.getRow(e).toDoubleVector();
                double dot = 0, nx = 0, nw = 0;
                for (int i = 0; i < xv.length; i++) {
                    dot += xv[i] * wv[i];
                    nx += xv[i] * xv[i];
                    nw += wv[i] * wv[i];
                }
                c[t][e] = dot / Math.sqrt(nx * nw);
            }
        }
        return c;
    }

    private static double sigmoid(double v) { return 1 / (1 + Math.exp(-v)); }

    /** The surrogate loss (see the class documentation) at the router's current parameters and {@code x}. */
    private static double surrogate(TopAnyRouter r, INDArray x, boolean[] pad, boolean[][] active, int[] k, double[] ce,
                                    INDArray g) {
        TopAnyConfig cfg = r.config();
        double tau = r.temperature();
        double[][] c = cosines(x, r.gates().value());
        double[] thr = r.thresholds().value().toDoubleVector();
        int valid = 0, withK = 0;
        for (int t = 0; t < T; t++) {
            if (pad != null && pad[t]) continue;
            valid++;
            if (k[t] > 0) withK++;
        }
        double task = 0, balance = 0, efficiency = 0;
        for (int t = 0; t < T; t++) {
            for (int e = 0; e < E; e++) {
                if (!active[t][e]) continue;
                double a = Math.max(0, sigmoid(c[t][e] / tau) - sigmoid(thr[e] / tau));   // relu(s − t)
                task += g.getDouble(t, e) * a / k[t];
                balance += E * ce[e] * a / k[t] / withK;
                efficiency += a / ((double) valid * E);
            }
        }
        double loss = task + cfg.balanceWeight() * balance + cfg.efficiencyWeight() * efficiency;
        if (cfg.diverseSimpleWeight() > 0) loss += cfg.diverseSimpleWeight() * diverseSimple(r.gates().value());
        return loss;
    }

    /** ‖ŴᵀŴ − I‖_F + (1/E)Σ‖w_e‖, coded directly. */
    static double diverseSimple(INDArray w) {
        int n = (int) w.rows();
        double[][] c = cosines(w, w);
        double fro = 0, simple = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) fro += Math.pow(c[i][j] - (i == j ? 1 : 0), 2);
            simple += w.getRow(i).norm2Number().doubleValue();
        }
        return Math.sqrt(fro) + simple / n;
    }

    private static void check(TopAnyConfig cfg, boolean[] pad, INDArray g, long xSeed) {
        INDArray x = GradientCheck.random(xSeed, 1.0, T, D);
        TopAnyRouter r = router(cfg, x);
        RoutingContext ctx = RoutingContext.training(T).withPadMask(pad);
        RouterForward f = r.forward(x, ctx);
        boolean[][] active = new boolean[T][E];
        int[] k = new int[T];
        double[] ce = new double[E];
        int withK = 0;
        for (int t = 0; t < T; t++) {
            k[t] = f.decision().tokenK(t);
            if (k[t] > 0) withK++;
            for (int e : RouterTesting.slotsOf(f.decision(), t)) active[t][e] = true;
        }
        for (int t = 0; t < T; t++) for (int e = 0; e < E; e++) if (active[t][e]) ce[e] += 1.0 / withK;
        assertTrue(f.decision().unroutedTokens() > 0 || pad != null, "want at least one unrouted token");
        DoubleSupplier loss = () -> surrogate(r, x, pad, active, k, ce, g);
        RouterTesting.checkAgainst(r, x, ctx, g, loss, 1e-9);
    }

    @ParameterizedTest(name = "tau={0} trainable={1} ds={2} bal={3} eff={4}")
    @CsvSource({
            "1.0, false, 0,    0,   0",
            "0.5, false, 0,    0,   0",
            "1.0, true,  0,    0,   0",
            "0.3, true,  0,    0,   0",
            "1.0, false, 0.1,  0,   0",
            "1.0, false, 0,    0.5, 0",
            "1.0, false, 0,    0,   0.5",
            "0.7, true,  0.1,  0.5, 0.5",
    })
    void straightThroughMatchesTheSurrogate(double tau, boolean trainable, double ds, double bal, double eff) {
        check(new TopAnyConfig(tau, trainable, ds, bal, eff), null, GradientCheck.random(51, 1.0, T, E), 61);
    }

    @Test
    void eachAuxLossAloneWithoutTaskGradient() {
        INDArray zero = org.nd4j.linalg.factory.Nd4j.zeros(DataType.DOUBLE, T, E);
        check(new TopAnyConfig(1.0, true, 0.3, 0, 0), null, zero, 62);
        check(new TopAnyConfig(1.0, true, 0, 0.3, 0), null, zero, 62);
        check(new TopAnyConfig(1.0, true, 0, 0, 0.3), null, zero, 62);
    }

    @Test
    void withPadding() {
        boolean[] pad = {false, true, false, false, true, false, false, false};
        check(new TopAnyConfig(0.8, true, 0.1, 0.5, 0.5), pad, GradientCheck.random(52, 1.0, T, E), 61);
    }

    @Test
    void nonActivatedPairsSendNoGradient() {
        INDArray x = GradientCheck.random(61, 1.0, T, D);
        TopAnyRouter r = router(new TopAnyConfig(1.0, false, 0, 0, 0), x);
        RouterForward f = r.forward(x, RoutingContext.training(T));
        INDArray g = GradientCheck.random(53, 1.0, T, E);
        INDArray dx = r.backward(f, RouterTesting.gradFor(f.decision(), g));
        double[] thrGrad = r.thresholds().grad().toDoubleVector();
        int[] perExpert = f.decision().tokensPerExpert();
        for (int e = 0; e < E; e++) assertEquals(perExpert[e] == 0, thrGrad[e] == 0.0, "expert " + e);
        for (int t = 0; t < T; t++) {
            if (f.decision().tokenK(t) == 0) assertEquals(0.0, dx.getRow(t).norm2Number().doubleValue(), 0.0);
        }
    }

    @Test
    void evaluationFallbackSendsNoGradient() {
        INDArray x = GradientCheck.random(61, 1.0, T, D);
        TopAnyRouter r = router(new TopAnyConfig(1.0, false, 0, 0, 0), x);
        RouterForward f = r.forward(x, RoutingContext.evaluation(T));
        assertEquals(0, f.decision().unroutedTokens());
        INDArray dx = r.backward(f, RouterTesting.gradFor(f.decision(), GradientCheck.random(53, 1.0, T, E)));
        RouterForward train = r.forward(x, RoutingContext.training(T));
        for (int t = 0; t < T; t++) {
            if (train.decision().tokenK(t) == 0) {
                assertEquals(1, f.decision().tokenK(t));
                assertEquals(0.0, dx.getRow(t).norm2Number().doubleValue(), 0.0);
            }
        }
    }
}
