package dev.sparkmoe.routing;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;

/**
 * Token importance from self-attention (DA-MoE; ROUTING.md §3), stateless:
 * <pre>
 *   a_i = (1/H) Σ_h (1/n) Σ_{q valid} A_h[q, i]     the attention token i receives
 *   r_i = a_i / max_{j valid} a_j                    per sequence, in (0, 1]
 *   K_i = clamp(ceil(r_i · E · kScale), kMin, kMax)
 * </pre>
 * {@code A} is {@code [B, H, S, S]} ({@code [b, h, query, key]}); token {@code t = b·S + i};
 * {@code n} is the number of non-padding tokens of sequence {@code b}; padding tokens are
 * excluded as queries and as keys (their importance and K are 0). The sums run as one
 * matrix-vector product per sequence (query mask tiled over heads times the attention viewed as
 * {@code [H·S, S]}), never per token. Importance is a constant: nothing here has a gradient.
 *
 * <p>Edge cases (project choices): a sequence whose valid tokens all receive zero attention
 * has {@code r_i = 1}; the ceiling has a relative slack of 1e-6 so a value that is an integer
 * up to float32 rounding is not pushed to the next integer.
 */
public final class AttentionImportance {
    /** Relative slack of the ceiling in {@code K_i}. */
    public static final double CEIL_SLACK = 1e-6;

    private AttentionImportance() {}

    /**
     * {@code a_i}, {@code [T]} with {@code T = B·S}; 0 for padding.
     *
     * @param attentionProbs {@code [B, H, S, S]}
     * @param padMask        {@code [T]} true for padding, or null
     * @param sequenceLength expected {@code S}, or {@code <= 0} to take it from the attention
     */
    public static double[] importance(INDArray attentionProbs, boolean[] padMask, int numTokens, int sequenceLength) {
        long[] shape = check(attentionProbs, numTokens, sequenceLength);
        int b = (int) shape[0];
        int h = (int) shape[1];
        int s = (int) shape[2];
        int[] valid = new int[b];
        for (int t = 0; t < numTokens; t++) if (!Nd.isPad(padMask, t)) valid[t / s]++;
        // Per sequence, one gemv: received[k] = Σ_{h,q} m[q]·A[h,q,k] with A viewed as [H·S, S]
        // and m the query mask tiled over heads (reads the attention once, no per-token op).
        INDArray contiguous = attentionProbs.ordering() == 'c' && !attentionProbs.isView()
                ? attentionProbs : attentionProbs.dup('c');
        INDArray rows = contiguous.reshape(b, (long) h * s, s);       // [B, H·S(query), S(key)], a view
        double[] received = new double[b * s];
        double[] weights = new double[h * s];
        for (int seq = 0; seq < b; seq++) {
            if (valid[seq] == 0) continue;
            for (int q = 0; q < s; q++) {
                double m = Nd.isPad(padMask, seq * s + q) ? 0 : 1;
                for (int head = 0; head < h; head++) weights[head * s + q] = m;
            }
            INDArray mask = Nd.create(weights, attentionProbs.dataType(), 1, (long) h * s);
            double[] r = Nd.toDoubles(Nd4j.gemm(mask, rows.slice(seq), false, false));   // [1, S]
            System.arraycopy(r, 0, received, seq * s, s);
        }
        double[] a = new double[numTokens];
        for (int t = 0; t < numTokens; t++) {
            if (Nd.isPad(padMask, t)) continue;
            a[t] = received[t] / ((double) h * valid[t / s]);
        }
        return a;
    }

    /** {@code r_i = a_i / max_j a_j} per sequence of length {@code S}; 0 for padding. */
    public static double[] normalized(double[] importance, boolean[] padMask, int sequenceLength) {
        double[] r = new double[importance.length];
        for (int start = 0; start < importance.length; start += sequenceLength) {
            int end = Math.min(importance.length, start + sequenceLength);
            double max = 0;
            for (int t = start; t < end; t++) if (!Nd.isPad(padMask, t)) max = Math.max(max, importance[t]);
            for (int t = start; t < end; t++) {
                if (Nd.isPad(padMask, t)) continue;
                r[t] = max > 0 ? importance[t] / max : 1.0;
            }
        }
        return r;
    }

    /**
     * {@code K_i} per token, {@code [T]}, 0 for padding.
     *
     * @throws IllegalArgumentException when the attention is missing or mis-shaped
     */
    public static int[] kPerToken(INDArray attentionProbs, boolean[] padMask, int numTokens, int sequenceLength,
                                  int numExperts, AttentionKConfig config) {
        double[] a = importance(attentionProbs, padMask, numTokens, sequenceLength);
        int s = (int) attentionProbs.size(2);
        double[] r = normalized(a, padMask, s);
        int kMax = config.effectiveKMax(numExperts);
        int kMin = Math.min(config.kMin(), kMax);
        int[] k = new int[numTokens];
        for (int t = 0; t < numTokens; t++) {
            if (Nd.isPad(padMask, t)) continue;
            double v = Nd.ceilTolerant(r[t] * numExperts * config.kScale(), CEIL_SLACK);
            k[t] = (int) Math.max(kMin, Math.min(kMax, v));
        }
        return k;
    }

    private static long[] check(INDArray attn, int numTokens, int sequenceLength) {
        String expected = "[B, H, S, S] with B·S = T = " + numTokens
                + (sequenceLength > 0 ? " and S = sequenceLength = " + sequenceLength : "");
        if (attn == null) {
            throw new IllegalArgumentException("router attnk: RoutingContext.attentionProbs is missing; expected " + expected);
        }
        long[] shape = attn.shape();
        boolean ok = shape.length == 4 && shape[2] == shape[3] && shape[2] > 0 && shape[1] > 0
                && shape[0] * shape[2] == numTokens && (sequenceLength <= 0 || shape[2] == sequenceLength);
        if (!ok) {
            throw new IllegalArgumentException("router attnk: attentionProbs must be " + expected + ", got "
                    + Arrays.toString(shape));
        }
        return shape;
    }
}
