package dev.sparkmoe.worker.nn;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Multi-head scaled dot-product self-attention (Vaswani et al. 2017), batched over all sequences and heads:
 * a fused projection {@code Wqkv [D, 3D]} + bias, {@code softmax(q·kᵀ/√Dh + mask)·v} per head as batched
 * {@code [B·H, S, ·]} matrix products, and an output projection {@code Wo [D, D]} + bias. Bind order:
 * {@code Wqkv, bqkv, Wo, bo}. The {@code 3D} columns of the fused projection are {@code [q | k | v]}, each
 * {@code H} heads of {@code Dh = D/H}.
 *
 * <p>Masking: causal (key after query) and padding keys get probability exactly 0; a query whose every key is
 * masked gets all-zero probabilities, hence a zero attention context (its output is the output bias), never NaN.
 */
public final class MultiHeadAttention {
    private final String name;
    private final long d;
    private final int heads;
    private final long dh;
    private final boolean causal;
    private final double scale;
    private final Linear qkv;
    private final Linear out;
    private INDArray q;       // [B·H, S, Dh], already scaled by 1/√Dh
    private INDArray k;       // [B·H, S, Dh]
    private INDArray v;       // [B·H, S, Dh]
    private INDArray probs;   // [B·H, S, S]
    private INDArray ctx;     // [B·H, S, Dh] = probs·v
    private int batch;
    private int seqLen;

    /** Self-attention over {@code d} features in {@code heads} heads; {@code d} must be divisible by {@code heads}. */
    public MultiHeadAttention(String name, long d, int heads, boolean causal) {
        if (heads <= 0 || d <= 0 || d % heads != 0) {
            throw new IllegalArgumentException(name + ": d=" + d + " must be a positive multiple of heads=" + heads);
        }
        this.name = name;
        this.d = d;
        this.heads = heads;
        this.dh = d / heads;
        this.causal = causal;
        this.scale = 1.0 / Math.sqrt(dh);
        this.qkv = new Linear(name + ".qkv", d, 3 * d);
        this.out = new Linear(name + ".out", d, d);
    }

    /** {@code 4·D²} decayed, {@code 4·D} plain elements. */
    public ParamSlicer.Sizes sizes() {
        return qkv.sizes().plus(out.sizes());
    }

    /** Binds the fused projection (W, b) then the output projection (W, b). */
    public void bind(ParamSlicer s) {
        qkv.bind(s);
        out.bind(s);
    }

    /** Weights normal(0, 0.02), biases zero. */
    public void init(long seed) {
        qkv.init(seed);
        out.init(seed);
    }

    /**
     * @param x       {@code [T, D]}, {@code T = batch·seqLen}, token {@code t = b·S + position}
     * @param padMask {@code [T]}, true = padding key (never attended to); null = no padding
     * @return {@code [T, D]}
     */
    public INDArray forward(INDArray x, int batch, int seqLen, boolean[] padMask) {
        Shapes.requireBound(name, qkv.weight());
        Shapes.requireMatrix(name, "input", x, -1, d, dtype());
        Shapes.requireBatch(name, x.rows(), batch, seqLen);
        if (padMask != null && padMask.length != x.rows()) {
            throw new IllegalArgumentException(name + ": padMask expected length " + x.rows() + ", got " + padMask.length);
        }
        long t = x.rows();
        long bh = (long) batch * heads;
        this.batch = batch;
        this.seqLen = seqLen;
        INDArray fused = qkv.forward(x)                                              // [T, 3D]
                .reshape('c', batch, seqLen, 3, heads, dh).permute(2, 0, 3, 1, 4)     // [3, B, H, S, Dh]
                .dup('c').reshape('c', 3, bh, seqLen, dh);                            // [3, B·H, S, Dh]
        q = fused.get(NDArrayIndex.point(0)).muli(scale);
        k = fused.get(NDArrayIndex.point(1));
        v = fused.get(NDArrayIndex.point(2));
        probs = softmaxScores(AttentionMask.build(batch, seqLen, causal, padMask, dtype()));
        ctx = Nd4j.createUninitialized(dtype(), bh, seqLen, dh);
        Nd4j.matmul(probs, v, ctx, false, false, false);                              // [B·H, S, Dh]
        INDArray merged = ctx.reshape('c', batch, heads, seqLen, dh).permute(0, 2, 1, 3)  // [B, S, H, Dh]
                .dup('c').reshape('c', t, d);
        return out.forward(merged);
    }

    /**
     * The last forward's attention probabilities, valid until backward: {@code [B, H, S, S]} indexed
     * {@code [b, head, query, key]}; rows sum to 1 (0 for a query whose every key is masked).
     */
    public INDArray attentionProbs() {
        if (probs == null) {
            throw new IllegalStateException(name + ": no attention probabilities (call forward first)");
        }
        return probs.reshape('c', batch, heads, seqLen, seqLen);
    }

    /**
     * @param dy {@code [T, D]}
     * @return dx {@code [T, D]}
     */
    public INDArray backward(INDArray dy) {
        Shapes.requireCache(name, probs);
        long t = (long) batch * seqLen;
        long bh = (long) batch * heads;
        Shapes.requireMatrix(name, "output gradient", dy, t, d, dtype());
        INDArray dctx = out.backward(dy)                                              // [T, D]
                .reshape('c', batch, seqLen, heads, dh).permute(0, 2, 1, 3)           // [B, H, S, Dh]
                .dup('c').reshape('c', bh, seqLen, dh);
        INDArray dFused = Nd4j.createUninitialized(dtype(), 3, bh, seqLen, dh);       // [3, B·H, S, Dh]
        INDArray dScores = Nd4j.createUninitialized(dtype(), bh, seqLen, seqLen);
        Nd4j.matmul(dctx, v, dScores, false, true, false);                            // dP = dctx·vᵀ
        Nd4j.matmul(probs, dctx, dFused.get(NDArrayIndex.point(2)), true, false, false);  // dv = Pᵀ·dctx
        softmaxBackward(dScores, dctx);                                               // dS = P⊙(dP − Σ dP⊙P)
        INDArray dq = dFused.get(NDArrayIndex.point(0));
        Nd4j.matmul(dScores, k, dq, false, false, false);
        dq.muli(scale);                                                               // q was scaled in forward
        Nd4j.matmul(dScores, q, dFused.get(NDArrayIndex.point(1)), true, false, false);   // dk = dSᵀ·(q/√Dh)
        q = k = v = probs = ctx = null;
        INDArray dqkv = dFused.reshape('c', 3, batch, heads, seqLen, dh).permute(1, 3, 0, 2, 4)  // [B, S, 3, H, Dh]
                .dup('c').reshape('c', t, 3 * d);
        return qkv.backward(dqkv);
    }

    public String name() { return name; }

    private INDArray softmaxScores(AttentionMask mask) {
        long bh = (long) batch * heads;
        INDArray scores = Nd4j.createUninitialized(dtype(), bh, seqLen, seqLen);
        Nd4j.matmul(q, k, scores, false, true, false);                                // [B·H, S, S]
        INDArray byBatch = scores.reshape('c', batch, heads, seqLen, seqLen);
        if (mask.additive() != null) byBatch.addi(mask.additive());
        INDArray rows = scores.reshape('c', bh * seqLen, seqLen);
        Softmax.rowsInPlace(rows);
        if (mask.rowKeep() != null) byBatch.muli(mask.rowKeep());
        return scores;
    }

    /**
     * In place {@code dS = P ⊙ (dP − rowsum(dP ⊙ P))}, with {@code rowsum(dP ⊙ P) = rowsum(dctx ⊙ ctx)}
     * (FlashAttention's identity: {@code Σ_j dP_ij P_ij = dctx_i · Σ_j P_ij v_j}), which costs {@code T·D}
     * instead of {@code B·H·S²}.
     */
    private void softmaxBackward(INDArray dScores, INDArray dctx) {
        long rows = (long) batch * heads * seqLen;
        INDArray rowDot = dctx.mul(ctx).sum(2).reshape(rows, 1);                      // [B·H·S, 1]
        INDArray p = probs.reshape('c', rows, seqLen);
        dScores.reshape('c', rows, seqLen).subiColumnVector(rowDot).muli(p);
    }

    private DataType dtype() { return qkv.weight().value().dataType(); }
}
