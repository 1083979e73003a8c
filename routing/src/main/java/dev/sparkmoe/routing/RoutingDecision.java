package dev.sparkmoe.routing;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;

/**
 * The kept (token, expert) assignments of one MoE layer for one batch, in CSR form,
 * token-major: the assignments of token {@code t} are entries
 * {@code tokenOffsets[t] .. tokenOffsets[t+1]-1}; entry {@code j} sends token {@code t} to
 * slot {@code expertSlots[j]} with combine weight {@code probs[j]}. Within a token, entries
 * are in ascending slot order. Dropped assignments (capacity) are not in the CSR; they are
 * counted in {@link #droppedAssignments()}.
 *
 * <p>The expert-major view ({@link #expertOffsets()}, {@link #tokenIndex()},
 * {@link #entryIndex()}) is what dispatchers use: the entries of slot {@code e} are
 * {@code expertOffsets[e] .. expertOffsets[e+1]-1}, in ascending token order, and
 * {@code entryIndex} maps them back to CSR entries.
 */
public final class RoutingDecision {
    private final int numTokens;
    private final int numExperts;
    private final int[] tokenOffsets;
    private final int[] expertSlots;
    private final INDArray probs;
    private final long droppedAssignments;
    private final int unroutedTokens;
    private int[] expertOffsets;
    private int[] tokenIndex;
    private int[] entryIndex;

    /**
     * @param tokenOffsets       {@code [T+1]}, non-decreasing, starting at 0
     * @param expertSlots        {@code [NNZ]}, each in {@code [0, E)}
     * @param probs              {@code [NNZ]} combine weights (null only when NNZ = 0)
     * @param droppedAssignments assignments removed by capacity
     * @param unroutedTokens     non-padding tokens with no kept assignment
     */
    public RoutingDecision(int numExperts, int[] tokenOffsets, int[] expertSlots, INDArray probs,
                           long droppedAssignments, int unroutedTokens) {
        this.numTokens = tokenOffsets.length - 1;
        this.numExperts = numExperts;
        this.tokenOffsets = tokenOffsets;
        this.expertSlots = expertSlots;
        this.probs = probs;
        this.droppedAssignments = droppedAssignments;
        this.unroutedTokens = unroutedTokens;
        int nnz = expertSlots.length;
        if (tokenOffsets[0] != 0 || tokenOffsets[numTokens] != nnz) {
            throw new IllegalArgumentException("tokenOffsets must run from 0 to NNZ=" + nnz + ", got "
                    + tokenOffsets[0] + ".." + tokenOffsets[numTokens]);
        }
        if (nnz > 0 && (probs == null || probs.length() != nnz)) {
            throw new IllegalArgumentException("probs must have NNZ=" + nnz + " entries, got "
                    + (probs == null ? "null" : Arrays.toString(probs.shape())));
        }
    }

    public int numTokens() { return numTokens; }
    public int numExperts() { return numExperts; }
    public int nnz() { return expertSlots.length; }
    public int[] tokenOffsets() { return tokenOffsets; }
    public int[] expertSlots() { return expertSlots; }
    /** Combine weights {@code [NNZ]}; null when NNZ = 0. */
    public INDArray probs() { return probs; }
    public long droppedAssignments() { return droppedAssignments; }
    public int unroutedTokens() { return unroutedTokens; }

    /** Experts activated by token {@code t}. */
    public int tokenK(int t) { return tokenOffsets[t + 1] - tokenOffsets[t]; }

    /** Kept assignments per slot, {@code int[E]}. */
    public int[] tokensPerExpert() {
        int[] off = expertOffsets();
        int[] counts = new int[numExperts];
        for (int e = 0; e < numExperts; e++) counts[e] = off[e + 1] - off[e];
        return counts;
    }

    /** {@code [E+1]} offsets of each slot's entries in the expert-major order. */
    public int[] expertOffsets() { buildExpertMajor(); return expertOffsets; }

    /** {@code [NNZ]} token of each expert-major entry. */
    public int[] tokenIndex() { buildExpertMajor(); return tokenIndex; }

    /** {@code [NNZ]} CSR entry of each expert-major entry. */
    public int[] entryIndex() { buildExpertMajor(); return entryIndex; }

    private void buildExpertMajor() {
        if (expertOffsets != null) return;
        int nnz = nnz();
        int[] off = new int[numExperts + 1];
        for (int s : expertSlots) off[s + 1]++;
        for (int e = 0; e < numExperts; e++) off[e + 1] += off[e];
        int[] fill = Arrays.copyOf(off, numExperts);
        int[] tok = new int[nnz];
        int[] ent = new int[nnz];
        for (int t = 0; t < numTokens; t++) {
            for (int j = tokenOffsets[t]; j < tokenOffsets[t + 1]; j++) {
                int pos = fill[expertSlots[j]]++;
                tok[pos] = t;
                ent[pos] = j;
            }
        }
        expertOffsets = off;
        tokenIndex = tok;
        entryIndex = ent;
    }
}
