package dev.sparkmoe.worker.nn;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Column sums of a row-major matrix as a GEMM with a row of ones. ND4J's {@code sum(0)} walks
 * strided columns and took as long as the layer's weight-gradient GEMM; the ones-GEMM reads the
 * matrix once, in order. Used for bias, gain and position gradients.
 */
final class ColumnSums {
    private ColumnSums() {}

    /** {@code target += Σ_rows rows}, with {@code rows [N, C]} and {@code target} of length {@code C}. */
    static void addInto(INDArray rows, INDArray target) {
        long n = rows.rows();
        long c = rows.columns();
        if (n == 0) return;
        INDArray ones = Nd4j.ones(rows.dataType(), 1, n);
        target.addi(Nd4j.gemm(ones, rows, false, false).reshape(target.shape()));
    }
}
