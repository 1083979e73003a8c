package dev.sparkmoe.routing;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;

/**
 * Small array utilities shared by the routers: input checks, one bulk copy from an
 * {@link INDArray} into a primitive array, one wrap of a primitive array into an
 * {@link INDArray}. Nothing here runs per token.
 */
final class Nd {
    private Nd() {}

    /** All entries of {@code a} in row-major ('c') order, one bulk copy. */
    static double[] toDoubles(INDArray a) {
        if (a.length() == 0) return new double[0];
        INDArray c = a.ordering() == 'c' && !a.isView() ? a : a.dup('c');
        return c.reshape(c.length()).toDoubleVector();
    }

    /** A row-major array of the given shape and data type holding {@code data}. */
    static INDArray create(double[] data, DataType dtype, long... shape) {
        return Nd4j.create(data, shape, dtype);
    }

    /**
     * Checks the router input {@code [T, D]} and returns it in the parameters' data type.
     *
     * @throws IllegalArgumentException naming the router, the expected and the actual shape
     */
    static INDArray routerInput(INDArray x, int dModel, DataType dtype, String router) {
        if (x == null) throw new IllegalArgumentException("router " + router + ": input x is null, expected [T, " + dModel + "]");
        if (x.rank() != 2 || x.columns() != dModel) {
            throw new IllegalArgumentException("router " + router + ": input x must have shape [T, D=" + dModel
                    + "], got " + Arrays.toString(x.shape()));
        }
        if (!x.dataType().isFPType()) {
            throw new IllegalArgumentException("router " + router + ": input x must be floating point, got " + x.dataType());
        }
        return x.dataType() == dtype ? x : x.castTo(dtype);
    }

    /**
     * The padding mask of {@code ctx} checked against {@code T} tokens; null when there is none.
     */
    static boolean[] padMask(RoutingContext ctx, int numTokens, String router) {
        boolean[] pad = ctx.padMask();
        if (pad != null && pad.length != numTokens) {
            throw new IllegalArgumentException("router " + router + ": padMask must have T=" + numTokens
                    + " entries, got " + pad.length);
        }
        return pad;
    }

    static boolean isPad(boolean[] pad, int t) { return pad != null && pad[t]; }

    /** Non-padding tokens among {@code T}. */
    static int validTokens(boolean[] pad, int numTokens) {
        if (pad == null) return numTokens;
        int n = 0;
        for (int t = 0; t < numTokens; t++) if (!pad[t]) n++;
        return n;
    }

    /**
     * {@code ceil(v)} with a relative slack, so that a value that is an integer up to rounding
     * (e.g. {@code 1.1 · 100 / 10 = 11.000000000000002}) is not pushed to the next integer.
     */
    static double ceilTolerant(double v, double relativeSlack) {
        return Math.ceil(v - relativeSlack * Math.max(1.0, Math.abs(v)));
    }

    static void checkFloatingPoint(DataType dtype, String router) {
        if (dtype == null || !dtype.isFPType()) {
            throw new IllegalArgumentException("router " + router + ": parameter data type must be floating point, got " + dtype);
        }
    }

    static void checkDModel(int dModel, String router) {
        if (dModel < 1) throw new IllegalArgumentException("router " + router + ": model.dModel = " + dModel + ": must be >= 1");
    }
}
