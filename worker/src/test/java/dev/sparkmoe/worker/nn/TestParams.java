package dev.sparkmoe.worker.nn;

import dev.sparkmoe.routing.Param;
import dev.sparkmoe.testing.GradientCheck;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleSupplier;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Float64 flat parameters for a layer under test, and the gradient-check assertion. */
final class TestParams {
    final Param decayed;
    final Param plain;

    private TestParams(Param decayed, Param plain) {
        this.decayed = decayed;
        this.plain = plain;
    }

    /** Zero float64 buffers of the given sizes (at least one element each, so that ND4J accepts them). */
    static TestParams zeros(ParamSlicer.Sizes sizes) {
        return new TestParams(new Param("decayed", Nd4j.zeros(DataType.DOUBLE, Math.max(1, sizes.decayed()))),
                new Param("plain", Nd4j.zeros(DataType.DOUBLE, Math.max(1, sizes.plain()))));
    }

    ParamSlicer slicer() {
        return new ParamSlicer(decayed, plain);
    }

    /** Overwrites both value buffers with uniform(−scale, scale) draws (larger than init, for sharper checks). */
    TestParams randomise(long seed, double scale) {
        decayed.value().assign(GradientCheck.random(seed, scale, decayed.length()));
        plain.value().assign(GradientCheck.random(seed + 1, scale, plain.length()));
        return this;
    }

    void zeroGrad() {
        decayed.grad().assign(0);
        plain.grad().assign(0);
    }

    /**
     * Asserts that the analytic gradients (parameter grads plus {@code inputs[i]} ↔ {@code inputGrads[i]}) match
     * central differences of {@code loss}.
     */
    void assertGradients(DoubleSupplier loss, String[] inputNames, INDArray[] inputs, INDArray[] inputGrads) {
        List<String> names = new ArrayList<>(List.of("decayed", "plain"));
        List<INDArray> vars = new ArrayList<>(List.of(decayed.value(), plain.value()));
        List<INDArray> grads = new ArrayList<>(List.of(decayed.grad().dup(), plain.grad().dup()));
        for (int i = 0; i < inputs.length; i++) {
            names.add(inputNames[i]);
            vars.add(inputs[i]);
            grads.add(inputGrads[i]);
        }
        assertNoFailures(names.toArray(new String[0]), vars.toArray(new INDArray[0]), grads.toArray(new INDArray[0]), loss);
    }

    /** Asserts a gradient check without parameters. */
    static void assertNoFailures(String[] names, INDArray[] vars, INDArray[] grads, DoubleSupplier loss) {
        List<GradientCheck.Failure> failures = GradientCheck.check(names, vars, grads, loss);
        assertTrue(failures.isEmpty(), () -> failures.size() + " gradient mismatches, first: "
                + failures.subList(0, Math.min(5, failures.size())));
    }

    /** Sanity: a gradient check must see a non-trivial gradient, or it could pass vacuously. */
    static void assertNonZero(INDArray grad, String what) {
        assertTrue(grad.norm2Number().doubleValue() > 1e-6, what + " gradient is all zero");
    }
}
