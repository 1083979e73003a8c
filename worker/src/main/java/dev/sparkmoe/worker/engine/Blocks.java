package dev.sparkmoe.worker.engine;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.executioner.OpExecutioner;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.FloatBuffer;

/**
 * Shared helpers of the engine records: key validation, naming, and bulk copies between
 * {@code float[]} and ND4J arrays (public: checkpoints move parameters the same way).
 */
public final class Blocks {
    private static final float[] NONE = new float[0];

    private Blocks() {}

    /**
     * All elements of {@code a} in row-major order as float32: one bulk copy out of host memory
     * when {@code a} is a contiguous row-major float array (a view included), else one cast/dup
     * first. ND4J's own {@code DataBuffer.asFloat()} and {@code Nd4j.create(float[], ...)} move
     * one element per call, which made these copies a third of the expert stages' time.
     */
    public static float[] floats(INDArray a) {
        if (a.length() == 0) return NONE;
        INDArray c = a.dataType() == DataType.FLOAT ? a : a.castTo(DataType.FLOAT);
        if (!contiguous(c)) c = c.dup('c');
        if (!onHost()) return c.dup('c').data().asFloat();
        float[] out = new float[Math.toIntExact(c.length())];
        hostView(c).get(out);
        return out;
    }

    /** The arrays one after another. */
    public static float[] concat(java.util.List<float[]> parts) {
        int n = 0;
        for (float[] p : parts) n += p.length;
        float[] out = new float[n];
        int at = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    /** {@code [rows, cols]} array of {@code dtype} holding {@code data} (row-major), one bulk copy in. */
    static INDArray matrix(float[] data, long rows, long cols, DataType dtype) {
        if (rows == 0) return Nd4j.create(dtype, 0, cols);
        return array(data, new long[]{rows, cols}, dtype);
    }

    /** A fresh row-major array of {@code shape} and {@code dtype} holding {@code data}, one bulk copy in. */
    public static INDArray array(float[] data, long[] shape, DataType dtype) {
        if (data.length == 0) return Nd4j.create(dtype, shape);
        INDArray x;
        if (onHost()) {
            x = Nd4j.createUninitialized(DataType.FLOAT, shape, 'c');
            hostView(x).put(data);
        } else {
            x = Nd4j.create(data, shape, 'c');
        }
        return dtype == DataType.FLOAT ? x : x.castTo(dtype);
    }

    /** Overwrites every element of {@code target} (any float type, view or not) with {@code data}, row-major. */
    public static void copyInto(float[] data, INDArray target) {
        if (target.length() != data.length) {
            throw new IllegalArgumentException("copy of " + data.length + " floats into an array of " + target.length());
        }
        if (onHost() && target.dataType() == DataType.FLOAT && contiguous(target)) {
            hostView(target).put(data);
        } else {
            target.assign(array(data, target.shape(), target.dataType()));
        }
    }

    private static boolean contiguous(INDArray a) {
        return a.ordering() == 'c' && Shape.hasDefaultStridesForShape(a);
    }

    /**
     * The host memory of a contiguous float array, positioned at its first element (a view's
     * buffer carries the view's offset, which {@code asNioFloat} applies).
     */
    private static FloatBuffer hostView(INDArray a) {
        return a.data().asNioFloat();
    }

    /** Whether arrays live in host memory (the CPU backend), so their buffers can be copied through NIO views. */
    private static boolean onHost() {
        return Nd4j.getExecutioner().type() == OpExecutioner.ExecutionerType.NATIVE_CPU;
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
