package dev.sparkmoe.worker.nn;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Learned absolute position embeddings {@code P [maxLen, D]} (plain, no weight decay; init normal(0, 0.02)),
 * added to the token embeddings of every sequence: row {@code b·S + s} gets {@code P[s]}.
 */
public final class PositionalEmbedding {
    private final String name;
    private final int maxLen;
    private final long d;
    private ParamSlicer.View table;

    /** Positions {@code 0 .. maxLen−1} of {@code d} features. */
    public PositionalEmbedding(String name, int maxLen, long d) {
        if (maxLen <= 0 || d <= 0) {
            throw new IllegalArgumentException(name + ": maxLen and d must be positive, got " + maxLen + ", " + d);
        }
        this.name = name;
        this.maxLen = maxLen;
        this.d = d;
    }

    /** {@code maxLen·D} plain elements. */
    public ParamSlicer.Sizes sizes() {
        return new ParamSlicer.Sizes(0, (long) maxLen * d);
    }

    /** Takes {@code P = s.plainMatrix(maxLen, D)}. */
    public void bind(ParamSlicer s) {
        table = s.plainMatrix(maxLen, d);
    }

    /** Table normal(0, 0.02). */
    public void init(long seed) {
        Shapes.requireBound(name, table);
        Init.normal(table.value(), 0.02, seed, name, 0);
    }

    /**
     * Adds positions in place (one broadcast row add).
     *
     * @param x {@code [B·S, D]}, 'c'-contiguous (modified in place)
     */
    public void addTo(INDArray x, int batch, int seqLen) {
        ParamSlicer.View rows = check(x, batch, seqLen, "input");
        if (x.ordering() != 'c' || !Shape.hasDefaultStridesForShape(x)) {
            throw new IllegalArgumentException(name + ": input must be a 'c'-contiguous array to be updated in place");
        }
        x.reshape('c', batch, seqLen * d).addiRowVector(rows.value().reshape(seqLen * d));
    }

    /**
     * Adds {@code Σ_b dy[b·S + s]} into gradient row {@code s}, for {@code s < S}.
     *
     * @param dy {@code [B·S, D]}
     */
    public void backward(INDArray dy, int batch, int seqLen) {
        INDArray grad = check(dy, batch, seqLen, "output gradient").grad();
        ColumnSums.addInto(dy.reshape('c', batch, seqLen * d), grad);
    }

    /** The table view {@code [maxLen, D]} (value and gradient). */
    public ParamSlicer.View table() { return table; }

    public String name() { return name; }

    /** Validates and returns the first {@code seqLen} rows of the table (value and gradient views). */
    private ParamSlicer.View check(INDArray x, int batch, int seqLen, String what) {
        Shapes.requireBound(name, table);
        if (seqLen > maxLen) {
            throw new IllegalArgumentException(name + ": seqLen " + seqLen + " exceeds maxLen " + maxLen);
        }
        Shapes.requireMatrix(name, what, x, -1, d, dtype());
        Shapes.requireBatch(name, x.rows(), batch, seqLen);
        return new ParamSlicer.View(
                table.value().get(NDArrayIndex.interval(0, seqLen), NDArrayIndex.all()),
                table.grad().get(NDArrayIndex.interval(0, seqLen), NDArrayIndex.all()));
    }

    private DataType dtype() { return table.value().dataType(); }
}
