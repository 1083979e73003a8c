package dev.sparkmoe.worker.optim;

import dev.sparkmoe.routing.Param;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class AdamWTest {
    private static final double B1 = 0.9;
    private static final double B2 = 0.95;
    private static final double EPS = 1e-8;
    private static final double WD = 0.1;
    private static final double LR = 0.01;

    private static Param param(String name, double[] value, double[] grad) {
        return new Param(name, Nd4j.createFromArray(value.clone()), Nd4j.createFromArray(grad.clone()));
    }

    /** The textbook AdamW update of one scalar at step t, with moments m and v (updated in place). */
    private static double reference(double p, double g, double[] mv, long t, boolean decay) {
        if (decay) p -= LR * WD * p;
        mv[0] = B1 * mv[0] + (1 - B1) * g;
        mv[1] = B2 * mv[1] + (1 - B2) * g * g;
        double mHat = mv[0] / (1 - Math.pow(B1, t));
        double vHat = mv[1] / (1 - Math.pow(B2, t));
        return p - LR * mHat / (Math.sqrt(vHat) + EPS);
    }

    @Test
    void twoStepsMatchHandComputationWithAndWithoutDecay() {
        double[] value = {0.5, -1.0, 2.0};
        double[][] grads = {{0.1, -0.2, 0.0}, {-0.3, 0.05, 1.5}};
        Param w = param("w", value, grads[0]);
        Param b = param("b", value, grads[0]);
        AdamW opt = new AdamW(B1, B2, EPS, WD);
        double[] refW = value.clone();
        double[] refB = value.clone();
        double[][] mvW = new double[3][2];
        double[][] mvB = new double[3][2];
        for (int step = 0; step < 2; step++) {
            w.grad().assign(Nd4j.createFromArray(grads[step]));
            b.grad().assign(Nd4j.createFromArray(grads[step]));
            opt.step(List.of(w), List.of(b), LR);
            for (int i = 0; i < 3; i++) {
                refW[i] = reference(refW[i], grads[step][i], mvW[i], step + 1, true);
                refB[i] = reference(refB[i], grads[step][i], mvB[i], step + 1, false);
            }
            for (int i = 0; i < 3; i++) {
                assertEquals(refW[i], w.value().getDouble(i), 1e-14, "decayed, step " + step + " element " + i);
                assertEquals(refB[i], b.value().getDouble(i), 1e-14, "plain, step " + step + " element " + i);
                assertEquals(mvW[i][0], w.slot(0).getDouble(i), 1e-15);
                assertEquals(mvW[i][1], w.slot(1).getDouble(i), 1e-15);
            }
        }
        assertEquals(2, opt.stepCount());
    }

    @Test
    void firstStepMovesEachElementByAboutLr() {
        Param w = param("w", new double[] {1.0, 1.0}, new double[] {3.0, -0.001});
        new AdamW(B1, B2, EPS, 0).step(List.of(w), List.of(), LR);
        assertEquals(1.0 - LR, w.value().getDouble(0), 1e-9);   // bias-corrected m̂/√v̂ = sign(g)
        assertEquals(1.0 + LR, w.value().getDouble(1), 1e-6);
    }

    @Test
    void stepCounterIsGlobalAndRestorable() {
        AdamW opt = new AdamW(B1, B2, EPS, WD);
        opt.setStepCount(9);
        Param w = param("w", new double[] {0.5}, new double[] {0.2});
        opt.step(List.of(w), List.of(), LR);
        assertEquals(10, opt.stepCount());
        double[] mv = new double[2];
        assertEquals(reference(0.5, 0.2, mv, 10, true), w.value().getDouble(0), 1e-14);
        assertThrows(IllegalArgumentException.class, () -> opt.setStepCount(-1));
    }

    @Test
    void worksOnFloatViewsOfFlatBuffers() {
        Param flat = new Param("flat", Nd4j.ones(DataType.FLOAT, 6));
        flat.grad().assign(0.5);
        new AdamW(B1, B2, EPS, WD).step(List.of(flat), List.of(), LR);
        assertEquals(1.0 - LR * WD - LR, flat.value().getDouble(5), 1e-6);
    }

    @Test
    void rejectsBadHyperparameters() {
        assertThrows(IllegalArgumentException.class, () -> new AdamW(1.0, B2, EPS, WD));
        assertThrows(IllegalArgumentException.class, () -> new AdamW(B1, B2, 0, WD));
        assertThrows(IllegalArgumentException.class, () -> new AdamW(B1, B2, EPS, -1));
    }
}
