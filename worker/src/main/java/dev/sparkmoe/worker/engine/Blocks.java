package dev.sparkmoe.worker.engine;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;

/** Shared helpers of the engine records: key validation, naming, bulk copies (package-private). */
final class Blocks {
    private static final float[] NONE = new float[0];

    private Blocks() {}

    /**
     * All elements of {@code a} in row-major order as float32: one bulk copy out of the buffer
     * when {@code a} owns a dense row-major float buffer, else one cast/dup first.
     */
    static float[] floats(INDArray a) {
        if (a.length() == 0) return NONE;
        INDArray c = a.dataType() == DataType.FLOAT ? a : a.castTo(DataType.FLOAT);
        if (c.isView() || c.ordering() != 'c' || !Shape.hasDefaultStridesForShape(c) || c.data().length() != c.length()) {
            c = c.dup('c');
        }
        return c.data().asFloat();
    }

    /** {@code [rows, cols]} array of {@code dtype} holding {@code data} (row-major), one bulk copy in. */
    static INDArray matrix(float[] data, long rows, long cols, DataType dtype) {
        if (rows == 0) return Nd4j.create(dtype, 0, cols);
        INDArray x = Nd4j.create(data, new long[]{rows, cols}, 'c');
        return dtype == DataType.FLOAT ? x : x.castTo(dtype);
    }

    static void requireKeys(String what, int sourcePartition, int layer, int expertId, int dModel) {
        if (sourcePartition < 0 || layer < 0 || expertId < 0 || dModel < 1) {
            throw new IllegalArgumentException(what + ": need sourcePartition >= 0, layer >= 0, expertId >= 0, dModel >= 1, got "
                    + "sourcePartition=" + sourcePartition + ", layer=" + layer + ", expertId=" + expertId
                    + ", dModel=" + dModel);
        }
    }

    static String describe(String what, int sourcePartition, int layer, int expertId) {
        return what + "(source " + sourcePartition + " -> moe" + layer + ".expert" + expertId + ")";
    }
}
