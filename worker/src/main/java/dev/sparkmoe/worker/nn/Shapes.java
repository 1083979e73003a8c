package dev.sparkmoe.worker.nn;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;

/** Input validation shared by the layers: shape errors name the layer, the expected and the actual shape. */
final class Shapes {
    private Shapes() {}

    /**
     * Throws {@link IllegalArgumentException} unless {@code x} is a matrix {@code [rows, cols]} of {@code dtype};
     * {@code rows < 0} accepts any row count.
     */
    static void requireMatrix(String layer, String what, INDArray x, long rows, long cols, DataType dtype) {
        if (x == null) {
            throw new IllegalArgumentException(layer + ": " + what + " is null");
        }
        boolean ok = x.rank() == 2 && (rows < 0 || x.rows() == rows) && x.columns() == cols;
        if (!ok) {
            String expected = "[" + (rows < 0 ? "N" : Long.toString(rows)) + ", " + cols + "]";
            throw new IllegalArgumentException(layer + ": " + what + " expected shape " + expected + ", got "
                    + Arrays.toString(x.shape()));
        }
        requireType(layer, what, x, dtype);
    }

    /** Throws {@link IllegalArgumentException} unless {@code x} has the layer's parameter data type. */
    static void requireType(String layer, String what, INDArray x, DataType dtype) {
        if (x.dataType() != dtype) {
            throw new IllegalArgumentException(layer + ": " + what + " expected data type " + dtype + " (the layer's"
                    + " parameters), got " + x.dataType());
        }
    }

    /** Throws {@link IllegalArgumentException} unless {@code batch · seqLen == tokens} with both positive. */
    static void requireBatch(String layer, long tokens, int batch, int seqLen) {
        if (batch <= 0 || seqLen <= 0 || (long) batch * seqLen != tokens) {
            throw new IllegalArgumentException(layer + ": expected " + tokens + " token rows = batch × seqLen, got batch "
                    + batch + " × seqLen " + seqLen);
        }
    }

    /** Throws {@link IllegalStateException} when a layer is used before {@code bind}. */
    static void requireBound(String layer, Object view) {
        if (view == null) {
            throw new IllegalStateException(layer + ": not bound to parameters (call bind first)");
        }
    }

    /** Throws {@link IllegalStateException} when backward runs without a cached forward. */
    static void requireCache(String layer, Object cache) {
        if (cache == null) {
            throw new IllegalStateException(layer + ": backward called without a preceding forward");
        }
    }
}
