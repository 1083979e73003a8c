package dev.sparkmoe.routing;

import dev.sparkmoe.testing.GradientCheck;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleSupplier;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Helpers shared by the router tests. */
final class RouterTesting {
    private RouterTesting() {}

    static INDArray matrix(double[][] rows) {
        return Nd4j.create(rows).castTo(DataType.DOUBLE);
    }

    static INDArray matrix(double[][] rows, DataType dtype) {
        return Nd4j.create(rows).castTo(dtype);
    }

    /** Kept weights as doubles. */
    static double[] probs(RouterForward f) {
        return f.decision().nnz() == 0 ? new double[0] : f.decision().probs().castTo(DataType.DOUBLE).toDoubleVector();
    }

    /** Slots chosen by token {@code t}. */
    static int[] slotsOf(RoutingDecision d, int t) {
        return java.util.Arrays.copyOfRange(d.expertSlots(), d.tokenOffsets()[t], d.tokenOffsets()[t + 1]);
    }

    /** Weights of token {@code t}. */
    static double[] weightsOf(RouterForward f, int t) {
        RoutingDecision d = f.decision();
        return java.util.Arrays.copyOfRange(probs(f), d.tokenOffsets()[t], d.tokenOffsets()[t + 1]);
    }

    /** {@code [NNZ]} upstream gradient: entry j of token t to slot e gets {@code g[t, e]}. */
    static INDArray gradFor(RoutingDecision d, INDArray g) {
        if (d.nnz() == 0) return null;
        double[] out = new double[d.nnz()];
        for (int t = 0; t < d.numTokens(); t++) {
            for (int j = d.tokenOffsets()[t]; j < d.tokenOffsets()[t + 1]; j++) out[j] = g.getDouble(t, d.expertSlots()[j]);
        }
        return Nd4j.create(out, new long[]{out.length}, DataType.DOUBLE);
    }

    /** {@code Σ_j g[t_j, e_j] · probs_j}: the task loss whose gradient w.r.t. the weights is {@link #gradFor}. */
    static double taskLoss(RoutingDecision d, INDArray g) {
        if (d.nnz() == 0) return 0;
        return GradientCheck.dot(gradFor(d, g), d.probs());
    }

    static void zeroGrads(Router r) {
        for (Param p : r.params()) p.grad().assign(0);
    }

    /**
     * Gradient check of a router's backward w.r.t. all its parameters and {@code x}, with the
     * test loss {@code Σ g ⊙ probs + auxLoss} evaluated by the router's own forward pass.
     */
    static void checkRouterGradients(Router r, INDArray x, RoutingContext ctx, INDArray g) {
        DoubleSupplier loss = () -> {
            RouterForward f = r.forward(x, ctx);
            return taskLoss(f.decision(), g) + f.auxLoss();
        };
        checkAgainst(r, x, ctx, g, loss, 1e-8);
    }

    /** Gradient check of a router's backward against an arbitrary numeric loss. */
    static void checkAgainst(Router r, INDArray x, RoutingContext ctx, INDArray g, DoubleSupplier loss, double minAbs) {
        zeroGrads(r);
        RouterForward f = r.forward(x, ctx);
        INDArray dx = r.backward(f, gradFor(f.decision(), g));
        List<String> names = new ArrayList<>();
        List<INDArray> vars = new ArrayList<>();
        List<INDArray> grads = new ArrayList<>();
        for (Param p : r.params()) {
            names.add(p.name());
            vars.add(p.value());
            grads.add(p.grad().dup());
        }
        names.add("x");
        vars.add(x);
        grads.add(dx);
        List<GradientCheck.Failure> failures = GradientCheck.check(names.toArray(new String[0]),
                vars.toArray(new INDArray[0]), grads.toArray(new INDArray[0]), loss, 200, GradientCheck.EPS,
                GradientCheck.MAX_REL_ERROR, minAbs);
        assertTrue(failures.isEmpty(), () -> "gradient check failed: " + failures);
        // the check must not be vacuous
        double total = 0;
        for (INDArray a : grads) total += a.norm2Number().doubleValue();
        assertTrue(total > 1e-6, "all analytic gradients are ~0: the check would pass vacuously");
    }

    static long countTrue(boolean[] b) {
        long n = 0;
        for (boolean v : b) if (v) n++;
        return n;
    }
}
