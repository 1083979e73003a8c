package dev.sparkmoe.routing;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * L2 normalisation of the rows of a matrix, {@code u = v / max(‖v‖, ε)} (PyTorch's
 * {@code F.normalize}, ε = 1e-12), and its backward pass, in batched ND4J ops.
 */
final class RowNorm {
    static final double EPS = 1e-12;

    private RowNorm() {}

    /**
     * A normalised matrix with what its backward pass needs.
     *
     * @param unit    {@code [R, C]} normalised rows
     * @param clamped {@code [R]} {@code max(‖v_r‖, ε)}
     * @param norms   {@code [R]} {@code ‖v_r‖} as doubles
     */
    record Normalized(INDArray unit, INDArray clamped, double[] norms) {}

    /** Normalises the rows of {@code v} {@code [R, C]}. */
    static Normalized of(INDArray v) {
        INDArray norms = v.norm2(1);                       // [R]
        INDArray clamped = Transforms.max(norms, EPS, true);
        INDArray unit = v.divColumnVector(clamped.reshape(clamped.length(), 1));
        return new Normalized(unit, clamped, Nd.toDoubles(norms));
    }

    /**
     * Gradient with respect to {@code v} given {@code dUnit} {@code [R, C]}:
     * {@code (du − u·(u·du)) / ‖v‖}, or {@code du / ε} for rows whose norm is below ε
     * (where the forward pass divided by the constant ε).
     */
    static INDArray backward(Normalized n, INDArray dUnit) {
        INDArray dots = n.unit().mul(dUnit).sum(1);        // [R]
        boolean anySmall = false;
        for (double norm : n.norms()) anySmall |= norm < EPS;
        if (anySmall) {
            double[] keep = new double[n.norms().length];
            for (int r = 0; r < keep.length; r++) keep[r] = n.norms()[r] < EPS ? 0 : 1;
            dots.muli(Nd.create(keep, dots.dataType(), keep.length));
        }
        long rows = dots.length();
        INDArray projected = dUnit.sub(n.unit().mulColumnVector(dots.reshape(rows, 1)));
        return projected.diviColumnVector(n.clamped().reshape(rows, 1));
    }
}
