package dev.sparkmoe.routing;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RouterInitTest {

    @Test
    void normalIsSeededAndHasTheRequestedSpread() {
        double[] a = RouterInit.normalDoubles(7, 20001, 0.02);
        assertArrayEquals(a, RouterInit.normalDoubles(7, 20001, 0.02));
        assertNotEquals(a[0], RouterInit.normalDoubles(8, 1, 0.02)[0]);
        double mean = 0, sq = 0;
        for (double v : a) mean += v / a.length;
        for (double v : a) sq += (v - mean) * (v - mean) / a.length;
        assertEquals(0, mean, 0.001);
        assertEquals(0.02, Math.sqrt(sq), 0.0005);
        // independent of ND4J's global RNG
        Nd4j.getRandom().setSeed(1);
        INDArray x = RouterInit.normal(7, 3, 4, 0.02, DataType.FLOAT);
        Nd4j.getRandom().setSeed(2);
        assertEquals(x, RouterInit.normal(7, 3, 4, 0.02, DataType.FLOAT));
    }

    @Test
    void orthonormalRows() {
        for (int[] ed : new int[][]{{1, 4}, {4, 4}, {8, 16}, {3, 64}}) {
            INDArray w = RouterInit.orthonormalRows(5, ed[0], ed[1], DataType.DOUBLE);
            assertTrue(w.mmul(w.transpose()).equalsWithEps(Nd4j.eye(ed[0]).castTo(DataType.DOUBLE), 1e-12),
                    () -> "E=" + ed[0] + " D=" + ed[1]);
        }
        INDArray frame = RouterInit.orthonormalRows(5, 6, 2, DataType.DOUBLE);
        assertTrue(frame.transpose().mmul(frame).equalsWithEps(Nd4j.eye(2).castTo(DataType.DOUBLE), 1e-12));
        assertEquals(RouterInit.orthonormalRows(5, 8, 16, DataType.DOUBLE), RouterInit.orthonormalRows(5, 8, 16, DataType.DOUBLE));
    }

    @Test
    void freshGateWhenTheLiveGatesSpanTheSpace() {
        double[] live = Nd.toDoubles(RouterInit.orthonormalRows(1, 3, 3, DataType.DOUBLE));
        double[] g = RouterInit.freshGate(9, live, 3, 3);
        double n = 0;
        for (double v : g) n += v * v;
        assertEquals(1.0, n, 1e-12);
        assertArrayEquals(g, RouterInit.freshGate(9, live, 3, 3));
    }
}
