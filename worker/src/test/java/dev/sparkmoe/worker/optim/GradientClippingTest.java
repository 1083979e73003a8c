package dev.sparkmoe.worker.optim;

import dev.sparkmoe.routing.Param;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GradientClippingTest {

    private static Param param(String name, double... grad) {
        return new Param(name, Nd4j.zeros(grad.length).castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE),
                Nd4j.createFromArray(grad));
    }

    private static double norm(List<Param> ps) {
        double s = 0;
        for (Param p : ps) s += Math.pow(p.grad().norm2Number().doubleValue(), 2);
        return Math.sqrt(s);
    }

    @Test
    void scalesToExactlyMaxNorm() {
        List<Param> ps = List.of(param("a", 3, 0), param("b", 0, 4, 0));   // global norm 5
        assertEquals(5.0, GradientClipping.clipGlobalNorm(ps, 1.0), 1e-15);
        assertEquals(1.0, norm(ps), 1e-12);
        assertEquals(0.6, ps.get(0).grad().getDouble(0), 1e-15);
        assertEquals(0.8, ps.get(1).grad().getDouble(1), 1e-15);
    }

    @Test
    void leavesSmallGradientsAndDisabledClippingAlone() {
        List<Param> ps = List.of(param("a", 3, 0), param("b", 0, 4));
        assertEquals(5.0, GradientClipping.clipGlobalNorm(ps, 10.0), 1e-15);
        assertEquals(3.0, ps.get(0).grad().getDouble(0));
        assertEquals(5.0, GradientClipping.clipGlobalNorm(ps, 0.0), 1e-15);
        assertEquals(4.0, ps.get(1).grad().getDouble(1));
    }

    @Test
    void nonFiniteGradientNamesTheParam() {
        List<Param> ps = List.of(param("ok", 1, 2), param("layer3.ffn", 1, Double.NaN));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> GradientClipping.clipGlobalNorm(ps, 1.0));
        assertTrue(e.getMessage().contains("layer3.ffn"), e.getMessage());
        List<Param> inf = List.of(param("emb", Double.POSITIVE_INFINITY));
        assertThrows(IllegalStateException.class, () -> GradientClipping.clipGlobalNorm(inf, 0.0));
    }
}
