package dev.sparkmoe.testing;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;

/**
 * Numerical gradient checks in double precision (DESIGN.md invariant 3): central differences
 * {@code (L(x+ε) − L(x−ε)) / 2ε} against an analytic gradient, compared by relative error
 * {@code |a − n| / max(|a|, |n|)}, entries where both are below {@code minAbsError} passing.
 *
 * <p>Use it with a scalar test loss {@code L = Σ G ⊙ y} for a fixed random {@code G}, so the
 * upstream gradient of the layer output is exactly {@code G}.
 */
public final class GradientCheck {
    private GradientCheck() {}

    /** Default tolerances: ε = 1e-6, max relative error 1e-5, min absolute error 1e-8. */
    public static final double EPS = 1e-6;
    public static final double MAX_REL_ERROR = 1e-5;
    public static final double MIN_ABS_ERROR = 1e-8;

    /** One entry that failed the check. */
    public record Failure(String variable, long index, double analytic, double numeric, double relError) {}

    /**
     * Perturbs up to {@code maxPerVariable} entries of each variable (all when it is smaller),
     * evaluates {@code loss} at ±ε and compares with {@code analytic}. Variables must be float64.
     *
     * @return the failures (empty when the check passes)
     */
    public static List<Failure> check(String[] names, INDArray[] variables, INDArray[] analytic, DoubleSupplier loss,
                                      int maxPerVariable, double eps, double maxRelError, double minAbsError) {
        List<Failure> failures = new ArrayList<>();
        SplittableRandom rng = new SplittableRandom(12345);
        for (int v = 0; v < variables.length; v++) {
            INDArray x = variables[v];
            if (x.dataType() != DataType.DOUBLE) {
                throw new IllegalArgumentException(names[v] + " must be float64 for a gradient check, got " + x.dataType());
            }
            INDArray flat = x.reshape(x.length());
            INDArray grad = analytic[v].reshape(x.length());
            long n = x.length();
            int count = (int) Math.min(n, maxPerVariable);
            for (int c = 0; c < count; c++) {
                long i = count == n ? c : rng.nextLong(n);
                double orig = flat.getDouble(i);
                flat.putScalar(i, orig + eps);
                double plus = loss.getAsDouble();
                flat.putScalar(i, orig - eps);
                double minus = loss.getAsDouble();
                flat.putScalar(i, orig);
                double numeric = (plus - minus) / (2 * eps);
                double a = grad.getDouble(i);
                double absErr = Math.abs(a - numeric);
                double rel = absErr == 0 ? 0 : absErr / Math.max(Math.abs(a), Math.abs(numeric));
                if (absErr > minAbsError && rel > maxRelError) {
                    failures.add(new Failure(names[v], i, a, numeric, rel));
                }
            }
        }
        return failures;
    }

    /** {@link #check} with the default tolerances and at most 200 entries per variable. */
    public static List<Failure> check(String[] names, INDArray[] variables, INDArray[] analytic, DoubleSupplier loss) {
        return check(names, variables, analytic, loss, 200, EPS, MAX_REL_ERROR, MIN_ABS_ERROR);
    }

    /** An empty set of variables to check; add arrays and parameters, then {@link Variables#check}. */
    public static Variables variables() {
        return new Variables();
    }

    /** The variables of one check: named arrays with their analytic gradients. */
    public static final class Variables {
        private final List<String> names = new ArrayList<>();
        private final List<INDArray> values = new ArrayList<>();
        private final List<INDArray> grads = new ArrayList<>();

        private Variables() {}

        /** A variable (an input, say) and its analytic gradient. */
        public Variables add(String name, INDArray value, INDArray grad) {
            names.add(name);
            values.add(value);
            grads.add(grad);
            return this;
        }

        /** Every parameter, with a copy of its current gradient as the analytic one. */
        public Variables addParams(List<dev.sparkmoe.routing.Param> params) {
            for (dev.sparkmoe.routing.Param p : params) add(p.name(), p.value(), p.grad().dup());
            return this;
        }

        /** {@link GradientCheck#check} with the default tolerances and at most 200 entries per variable. */
        public List<Failure> check(DoubleSupplier loss) {
            return check(loss, 200, EPS, MAX_REL_ERROR, MIN_ABS_ERROR);
        }

        /** {@link GradientCheck#check} over these variables. */
        public List<Failure> check(DoubleSupplier loss, int maxPerVariable, double eps, double maxRelError,
                                   double minAbsError) {
            return GradientCheck.check(names.toArray(String[]::new), values.toArray(INDArray[]::new),
                    grads.toArray(INDArray[]::new), loss, maxPerVariable, eps, maxRelError, minAbsError);
        }
    }

    /** A float64 array of the given shape with entries uniform in [-scale, scale), seeded. */
    public static INDArray random(long seed, double scale, long... shape) {
        SplittableRandom rng = new SplittableRandom(seed);
        long n = 1;
        for (long s : shape) n *= s;
        double[] data = new double[(int) n];
        for (int i = 0; i < data.length; i++) data[i] = (rng.nextDouble() * 2 - 1) * scale;
        return Nd4j.create(data, shape, DataType.DOUBLE);
    }

    /** {@code Σ g ⊙ y} in double: the test loss whose gradient with respect to {@code y} is {@code g}. */
    public static double dot(INDArray g, INDArray y) {
        return g.castTo(DataType.DOUBLE).reshape(g.length()).mul(y.castTo(DataType.DOUBLE).reshape(y.length()))
                .sumNumber().doubleValue();
    }
}
