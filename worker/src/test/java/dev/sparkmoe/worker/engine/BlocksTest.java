package dev.sparkmoe.worker.engine;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The bulk host copies between {@code float[]} and ND4J arrays: offsets, orders and types. */
class BlocksTest {
    private static final float[] SIX = {1, 2, 3, 4, 5, 6};

    @Test
    void copyIntoAViewWritesOnlyItsElements() {
        INDArray whole = Nd4j.zeros(DataType.FLOAT, 4, 3);
        INDArray middle = whole.get(NDArrayIndex.interval(1, 3), NDArrayIndex.all());
        Blocks.copyInto(SIX, middle);
        assertArrayEquals(new float[]{0, 0, 0, 1, 2, 3, 4, 5, 6, 0, 0, 0}, Blocks.floats(whole));
        assertArrayEquals(SIX, Blocks.floats(middle));
    }

    @Test
    void copyIntoDoubleAndFortranOrderArraysGoesThroughACast() {
        INDArray dbl = Nd4j.zeros(DataType.DOUBLE, 2, 3);
        Blocks.copyInto(SIX, dbl);
        assertEquals(6.0, dbl.getDouble(1, 2));
        INDArray f = Nd4j.create(DataType.FLOAT, new long[]{2, 3}, 'f');
        Blocks.copyInto(SIX, f);
        assertEquals(4f, f.getFloat(1, 0));
        assertArrayEquals(SIX, Blocks.floats(f));
    }

    @Test
    void arraysRoundTripBitExactlyAndEmptyOnesWork() {
        float[] odd = {Float.MIN_VALUE, -0f, Float.NaN, 1e30f, -7.25f, 3};
        INDArray a = Blocks.array(odd, new long[]{3, 2}, DataType.FLOAT);
        assertArrayEquals(new long[]{3, 2}, a.shape());
        assertEquals(-7.25f, a.getFloat(2, 0));
        assertArrayEquals(odd, Blocks.floats(a));
        assertEquals(0, Blocks.matrix(new float[0], 0, 4, DataType.FLOAT).length());
        assertEquals(0, Blocks.array(new float[0], new long[]{0}, DataType.DOUBLE).length());
    }

    @Test
    void copyIntoRejectsALengthMismatch() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Blocks.copyInto(SIX, Nd4j.zeros(DataType.FLOAT, 5)));
        assertEquals("copy of 6 floats into an array of 5", e.getMessage());
    }
}
