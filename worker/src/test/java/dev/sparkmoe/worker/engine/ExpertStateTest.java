package dev.sparkmoe.worker.engine;

import dev.sparkmoe.worker.moe.Expert;
import dev.sparkmoe.worker.optim.AdamW;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExpertStateTest {
    private static final int D = 4;
    private static final int F = 6;

    private static Expert trained(long seed) {
        Expert e = Expert.create(1, 3, D, F, seed, DataType.FLOAT);
        AdamW opt = new AdamW(0.9, 0.95, 1e-8, 0.1);
        setGrads(e, seed + 1);
        opt.step(List.of(e.weights()), List.of(e.biases()), 0.01);
        return e;
    }

    private static void setGrads(Expert e, long seed) {
        Nd4j.getRandom().setSeed(seed);
        e.weights().grad().assign(Nd4j.randn(DataType.FLOAT, e.weights().length()));
        e.biases().grad().assign(Nd4j.randn(DataType.FLOAT, e.biases().length()));
    }

    @Test
    void freshExpertHasNoMomentsAndRoundTripsWithoutCreatingThem() {
        Expert e = Expert.create(0, 2, D, F, 7, DataType.FLOAT);
        ExpertState s = ExpertState.of(e);
        assertFalse(s.hasMoments());
        assertEquals(0, s.weightsM().length + s.weightsV().length + s.biasesM().length + s.biasesV().length);
        assertEquals(2 * D * F, s.weights().length);
        assertEquals(F + D, s.biases().length);
        Expert r = s.toExpert(DataType.FLOAT);
        assertEquals(0, r.weights().numSlots());
        assertEquals(0, r.biases().numSlots());
        assertEquals(List.of(0, 2), List.of(r.layer(), r.id()));
        assertEquals(s, ExpertState.of(r));
        assertEquals(s.hashCode(), ExpertState.of(r).hashCode());
    }

    @Test
    void trainedExpertRoundTripsBitExactlyAndKeepsTraining() {
        Expert e = trained(11);
        ExpertState s = ExpertState.of(e);
        assertTrue(s.hasMoments());
        assertArrayEquals(e.weights().slot(1).toFloatVector(), s.weightsV());
        Expert r = s.toExpert(DataType.FLOAT);
        assertEquals(2, r.weights().numSlots());
        assertEquals(2, r.biases().numSlots());
        assertEquals(s, ExpertState.of(r));
        assertEquals(0.0, r.weights().grad().sumNumber().doubleValue(), "gradients are not kept");

        INDArray x = Nd4j.rand(DataType.FLOAT, 5, D);
        assertEquals(e.ffn().forward(x), r.ffn().forward(x), "restored FFN views the restored params");

        AdamW a = new AdamW(0.9, 0.95, 1e-8, 0.1);
        AdamW b = new AdamW(0.9, 0.95, 1e-8, 0.1);
        a.setStepCount(1);
        b.setStepCount(1);
        setGrads(e, 99);
        setGrads(r, 99);
        a.step(List.of(e.weights()), List.of(e.biases()), 0.01);
        b.step(List.of(r.weights()), List.of(r.biases()), 0.01);
        assertEquals(ExpertState.of(e), ExpertState.of(r), "one more AdamW step is bitwise the same");
    }

    @Test
    void doubleRestoreHasDoubleParamsAndSlots() {
        Expert r = ExpertState.of(trained(3)).toExpert(DataType.DOUBLE);
        assertEquals(DataType.DOUBLE, r.weights().value().dataType());
        assertEquals(DataType.DOUBLE, r.biases().slot(1).dataType());
        assertEquals(DataType.DOUBLE, r.weights().grad().dataType());
    }

    @Test
    void equalityIsOverContents() {
        ExpertState s = ExpertState.of(trained(5));
        float[] w = s.weights().clone();
        ExpertState same = new ExpertState(1, 3, D, F, w, s.biases().clone(), s.weightsM().clone(),
                s.weightsV().clone(), s.biasesM().clone(), s.biasesV().clone());
        assertEquals(s, same);
        assertEquals(s.hashCode(), same.hashCode());
        w[0] = Math.nextUp(w[0]);
        assertNotEquals(s, same);
        assertNotEquals(s, new ExpertState(1, 4, D, F, s.weights(), s.biases(), s.weightsM(), s.weightsV(),
                s.biasesM(), s.biasesV()));
    }

    @Test
    void invalidStateNamesTheArrayAndTheExpectedLength() {
        float[] none = new float[0];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ExpertState(0, 1, D, F, new float[5], new float[F + D], none, none, none, none));
        assertTrue(e.getMessage().contains("moe0.expert1.weights") && e.getMessage().contains("48"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new ExpertState(0, 1, D, F, new float[2 * D * F],
                new float[F + D], none, new float[2 * D * F], none, none));
        assertTrue(e.getMessage().contains("no m"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new ExpertState(0, 1, D, F, new float[2 * D * F],
                new float[F + D], none, none, new float[3], none));
        assertTrue(e.getMessage().contains("biasesM") && e.getMessage().contains("10 or 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new ExpertState(0, -1, D, F, none, none, none, none,
                none, none));
        assertTrue(e.getMessage().contains("id=-1"), e.getMessage());
    }
}
