package dev.sparkmoe.worker.nn;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Token embedding table {@code E [V, D]} (weight-decayed, init normal(0, 0.02)), usable twice: as the input
 * lookup ({@link #forward}/{@link #backward}) and as the tied language-model head
 * ({@link #logits}/{@link #logitsBackward}, Press &amp; Wolf 2017). Both uses share the table and accumulate into
 * its one gradient; each keeps its own forward cache.
 */
public final class TokenEmbedding {
    private final String name;
    private final int vocab;
    private final long d;
    private ParamSlicer.View table;
    private int[] tokenIds;      // [T], cached by forward
    private INDArray hidden;     // [T, D], cached by logits

    /** A table of {@code vocab} rows of {@code d} features. */
    public TokenEmbedding(String name, int vocab, long d) {
        if (vocab <= 0 || d <= 0) {
            throw new IllegalArgumentException(name + ": vocab and d must be positive, got vocab=" + vocab + ", d=" + d);
        }
        this.name = name;
        this.vocab = vocab;
        this.d = d;
    }

    /** {@code V·D} decayed elements. */
    public ParamSlicer.Sizes sizes() {
        return new ParamSlicer.Sizes((long) vocab * d, 0);
    }

    /** Takes {@code E = s.weight(V, D)}. */
    public void bind(ParamSlicer s) {
        table = s.weight(vocab, d);
    }

    /** Table normal(0, 0.02). */
    public void init(long seed) {
        Shapes.requireBound(name, table);
        Init.normal(table.value(), 0.02, seed, name, 0);
    }

    /**
     * Looks up rows: one {@code pullRows}.
     *
     * @param tokens {@code [T]} ids in {@code [0, V)}
     * @return {@code [T, D]}
     */
    public INDArray forward(int[] tokens) {
        Shapes.requireBound(name, table);
        for (int i = 0; i < tokens.length; i++) {
            if (tokens[i] < 0 || tokens[i] >= vocab) {
                throw new IllegalArgumentException(name + ": token id " + tokens[i] + " at position " + i
                        + " outside the vocabulary [0, " + vocab + ")");
            }
        }
        tokenIds = tokens.clone();
        if (tokens.length == 0) return Init.empty(dtype(), d);
        return Nd4j.pullRows(table.value(), 1, tokens);
    }

    /**
     * Adds each row of {@code dy} into its token's row of the table gradient (one in-place {@code scatter_add},
     * serialised so repeated ids accumulate deterministically).
     *
     * @param dy {@code [T, D]}
     */
    public void backward(INDArray dy) {
        Shapes.requireCache(name, tokenIds);
        int[] ids = tokenIds;
        tokenIds = null;
        Shapes.requireMatrix(name, "output gradient", dy, ids.length, d, dtype());
        if (ids.length == 0) return;
        INDArray grad = table.grad();
        Nd4j.exec(DynamicCustomOp.builder("scatter_add")
                .addInputs(grad, Nd4j.createFromArray(ids), dy)
                .addOutputs(grad)
                .addBooleanArguments(true, false)      // lock: serial over ids (duplicates); no index re-check
                .build());
    }

    /**
     * Tied language-model head {@code h·Eᵀ}.
     *
     * @param h {@code [T, D]} (kept by reference until {@link #logitsBackward})
     * @return logits {@code [T, V]}
     */
    public INDArray logits(INDArray h) {
        Shapes.requireBound(name, table);
        Shapes.requireMatrix(name, "head input", h, -1, d, dtype());
        hidden = h;
        if (h.rows() == 0) return Init.empty(dtype(), vocab);
        INDArray y = Nd4j.createUninitialized(dtype(), h.rows(), vocab);
        return Nd4j.gemm(h, table.value(), y, false, true, 1.0, 0.0);
    }

    /**
     * Adds {@code dLogitsᵀ·h} to the table gradient.
     *
     * @param dLogits {@code [T, V]}
     * @return dh {@code [T, D]}
     */
    public INDArray logitsBackward(INDArray dLogits) {
        Shapes.requireCache(name, hidden);
        INDArray h = hidden;
        hidden = null;
        Shapes.requireMatrix(name, "logits gradient", dLogits, h.rows(), vocab, dtype());
        if (h.rows() == 0) return Init.empty(dtype(), d);
        Nd4j.gemm(dLogits, h, table.grad(), true, false, 1.0, 1.0);
        INDArray dh = Nd4j.createUninitialized(dtype(), h.rows(), d);
        return Nd4j.gemm(dLogits, table.value(), dh, false, false, 1.0, 0.0);
    }

    /** The table view {@code [V, D]} (value and gradient). */
    public ParamSlicer.View table() { return table; }

    public int vocab() { return vocab; }

    public String name() { return name; }

    private DataType dtype() { return table.value().dataType(); }
}
