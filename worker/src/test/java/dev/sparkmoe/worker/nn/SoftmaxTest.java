package dev.sparkmoe.worker.nn;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SoftmaxTest {
    @Test
    void stableForVeryNegativeAndVeryPositiveRowsInBothPrecisions() {
        for (DataType dt : new DataType[] {DataType.DOUBLE, DataType.FLOAT}) {
            INDArray z = Nd4j.createFromArray(new double[][] {{-1000, -1001}, {1000, 1001}, {-1e9, -1e9}}).castTo(dt);
            Softmax.rowsInPlace(z);
            double a = 1 / (1 + Math.exp(-1));
            assertEquals(a, z.getDouble(0, 0), 1e-6, dt.toString());
            assertEquals(a, z.getDouble(1, 1), 1e-6, dt.toString());
            assertEquals(0.5, z.getDouble(2, 0), 1e-6, dt.toString());
        }
    }
}
