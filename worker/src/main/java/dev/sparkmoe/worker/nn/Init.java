package dev.sparkmoe.worker.nn;

import dev.sparkmoe.routing.Seeds;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.SplittableRandom;

/**
 * Deterministic parameter initialisation: values come from a {@link SplittableRandom} seeded with
 * {@code Seeds.derive(seed, name.hashCode(), tensor)} (never ND4J's global RNG), so the same seed, layer name
 * and tensor index give the same numbers in any process. Layers sharing a seed still differ through their names.
 */
final class Init {
    private static final int CHUNK = 1 << 20;

    private Init() {}

    /** Fills {@code value} (any shape; a 'c'-contiguous view, as {@link ParamSlicer} hands out) with normal(0, std) draws. */
    static void normal(INDArray value, double std, long seed, String name, int tensor) {
        SplittableRandom rng = new SplittableRandom(Seeds.derive(seed, name.hashCode(), tensor));
        long n = value.length();
        INDArray flat = value.reshape(n);
        for (long at = 0; at < n; at += CHUNK) {
            int len = (int) Math.min(CHUNK, n - at);
            double[] data = new double[len];
            for (int i = 0; i < len; i++) data[i] = rng.nextGaussian() * std;
            INDArray chunk = Nd4j.createFromArray(data).castTo(value.dataType());
            flat.get(NDArrayIndex.interval(at, at + len)).assign(chunk);
        }
    }

    /** Sets every element of {@code value} to {@code c}. */
    static void constant(INDArray value, double c) {
        value.assign(c);
    }

    /** An empty {@code [0, cols]} matrix: ND4J ops on empty arrays fail, so layers short-cut {@code N = 0}. */
    static INDArray empty(DataType dtype, long cols) {
        return Nd4j.create(dtype, 0, cols);
    }
}
