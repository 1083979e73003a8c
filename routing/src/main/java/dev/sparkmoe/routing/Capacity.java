package dev.sparkmoe.routing;

import java.util.Arrays;

/**
 * Expert capacity (ROUTING.md §1): at most {@code capacity} assignments per expert and batch;
 * the overflow is dropped lowest router probability first, ties keeping the lower token index.
 * Stateless; works on primitive arrays.
 */
final class Capacity {
    /** Slack of the ceiling, see {@link Nd#ceilTolerant}. */
    static final double CEIL_SLACK = 1e-9;

    private Capacity() {}

    /**
     * {@code ceil(capacityFactor · assignments / E)}; {@link Integer#MAX_VALUE} (no limit) when
     * {@code capacityFactor <= 0}. For top-k {@code assignments = T_valid · k}, for DA-MoE
     * {@code ΣK_i}: both read "the expert's share of the batch's assignments, times the factor".
     */
    static int limit(double capacityFactor, long assignments, int numExperts) {
        if (capacityFactor <= 0) return Integer.MAX_VALUE;
        double c = Nd.ceilTolerant(capacityFactor * (double) assignments / numExperts, CEIL_SLACK);
        return c >= Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) Math.max(0, c);
    }

    /**
     * Marks which candidate assignments are kept.
     *
     * @param offsets {@code [T+1]} token-major CSR offsets of the candidates
     * @param slots   {@code [N]} candidate slots
     * @param probs   {@code [T·E]} router probabilities, row-major
     * @param keep    {@code [N]} output: true for kept candidates
     * @return the number of dropped candidates
     */
    static long apply(int[] offsets, int[] slots, double[] probs, int numExperts, int limit, boolean[] keep) {
        Arrays.fill(keep, true);
        int n = slots.length;
        if (limit == Integer.MAX_VALUE || n == 0) return 0;
        int numTokens = offsets.length - 1;
        // Expert-major lists of candidate entries, each in ascending token order.
        int[] start = new int[numExperts + 1];
        for (int s : slots) start[s + 1]++;
        for (int e = 0; e < numExperts; e++) start[e + 1] += start[e];
        int[] fill = Arrays.copyOf(start, numExperts);
        int[] entry = new int[n];
        int[] token = new int[n];
        for (int t = 0; t < numTokens; t++) {
            for (int j = offsets[t]; j < offsets[t + 1]; j++) {
                int pos = fill[slots[j]]++;
                entry[pos] = j;
                token[pos] = t;
            }
        }
        long dropped = 0;
        for (int e = 0; e < numExperts; e++) {
            int count = start[e + 1] - start[e];
            if (count <= limit) continue;
            dropped += count - limit;
            if (limit == 0) {
                for (int i = start[e]; i < start[e + 1]; i++) keep[entry[i]] = false;
                continue;
            }
            double[] p = new double[count];
            for (int i = 0; i < count; i++) p[i] = probs[token[start[e] + i] * numExperts + e];
            double[] sorted = p.clone();
            Arrays.sort(sorted);
            double threshold = sorted[count - limit];      // the limit-th largest
            int above = 0;
            for (double v : p) if (v > threshold) above++;
            int tiesToKeep = limit - above;                  // ties at the threshold: lower tokens first
            for (int i = 0; i < count; i++) {
                boolean k = p[i] > threshold || (p[i] == threshold && tiesToKeep-- > 0);
                keep[entry[start[e] + i]] = k;
            }
        }
        return dropped;
    }
}
