package dev.sparkmoe.worker.engine;

import dev.sparkmoe.routing.ExpertSet;
import dev.sparkmoe.worker.moe.ExpertBlocks;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Converts between the MoE layer's in-process row blocks and the records the Spark engine
 * shuffles, in bulk: one copy out of ND4J and one copy in per call, never an INDArray per token.
 * Stateless; every method runs inside an executor task.
 *
 * <pre>
 * data side:    ExpertBlocks  --toTokenBlocks-->  TokenBlock per non-empty expert   (dispatch)
 * expert side:  TokenBlocks   --byExpert, concatRows-->  [N, D] per expert
 *               [N, D] output --toOutputBlocks--> ExpertOutputBlock per TokenBlock  (combine)
 * data side:    ExpertOutputBlocks --gatherOutputs--> [NNZ, D] expert-major
 * </pre>
 *
 * Determinism (docs/spark-engine.md): an expert's input rows are its blocks in ascending
 * source-partition order, each block's rows in ascending token order, whatever order the
 * shuffle delivered them in.
 */
public final class DispatchBlocks {
    private static final Comparator<TokenBlock> BY_SOURCE = Comparator.comparingInt(TokenBlock::sourcePartition);

    private DispatchBlocks() {}

    /**
     * Splits one data partition's dispatched rows of one layer into one {@link TokenBlock} per
     * expert that received rows (experts without rows get no block), in slot order.
     *
     * @param experts    the live set whose slot order {@code blocks} follows ({@code E} slots)
     * @param blocks     {@code [NNZ, D]} expert-major rows and {@code [E+1]} offsets; rows null iff NNZ = 0
     * @param tokenIndex {@code [NNZ]} token of each expert-major row ({@code RoutingDecision.tokenIndex()})
     */
    public static List<TokenBlock> toTokenBlocks(int sourcePartition, int layer, ExpertSet experts,
                                                 ExpertBlocks blocks, int[] tokenIndex) {
        int[] off = blocks.offsets();
        if (blocks.numExperts() != experts.size()) {
            throw new IllegalArgumentException("layer " + layer + ", partition " + sourcePartition + ": expected "
                    + experts.size() + " expert slots (" + experts + "), got " + blocks.numExperts());
        }
        int nnz = off[off.length - 1];
        if (tokenIndex.length != nnz) {
            throw new IllegalArgumentException("layer " + layer + ", partition " + sourcePartition
                    + ": expected tokenIndex of length NNZ = " + nnz + ", got " + tokenIndex.length);
        }
        List<TokenBlock> out = new ArrayList<>();
        if (nnz == 0) return out;
        INDArray rows = blocks.rows();
        if (rows == null || rows.rank() != 2 || rows.rows() != nnz) {
            throw new IllegalArgumentException("layer " + layer + ", partition " + sourcePartition
                    + ": expected rows [" + nnz + ", D], got " + (rows == null ? "null" : Arrays.toString(rows.shape())));
        }
        int d = Math.toIntExact(rows.columns());
        float[] all = Blocks.floats(rows);                                   // the one copy out of ND4J
        for (int slot = 0; slot < experts.size(); slot++) {
            if (off[slot + 1] == off[slot]) continue;
            out.add(new TokenBlock(sourcePartition, layer, experts.id(slot),
                    Arrays.copyOfRange(tokenIndex, off[slot], off[slot + 1]),
                    Arrays.copyOfRange(all, off[slot] * d, off[slot + 1] * d), d));
        }
        return out;
    }

    /**
     * Groups the token blocks one expert partition received for one layer by expert id
     * (ascending), each list sorted by source partition.
     *
     * @throws IllegalArgumentException if blocks of several layers are mixed, or one source
     *                                  partition sent one expert two blocks
     */
    public static SortedMap<Integer, List<TokenBlock>> byExpert(Iterator<TokenBlock> blocks) {
        SortedMap<Integer, List<TokenBlock>> out = new TreeMap<>();
        int layer = -1;
        while (blocks.hasNext()) {
            TokenBlock b = blocks.next();
            if (layer >= 0 && b.layer() != layer) {
                throw new IllegalArgumentException("expected token blocks of one layer (" + layer + "), got " + b);
            }
            layer = b.layer();
            out.computeIfAbsent(b.expertId(), k -> new ArrayList<>()).add(b);
        }
        for (List<TokenBlock> list : out.values()) {
            list.sort(BY_SOURCE);
            requireAscendingSources(list);
        }
        return out;
    }

    /**
     * Concatenates one expert's incoming blocks into its input rows.
     *
     * @param blocks one expert's blocks in strictly ascending source-partition order (see {@link #byExpert})
     * @return {@code [N, D]} with {@code N = Σ n}; {@code [0, D]} when {@code blocks} is empty
     */
    public static INDArray concatRows(List<TokenBlock> blocks, int dModel, DataType dtype) {
        requireAscendingSources(blocks);
        int n = 0;
        for (TokenBlock b : blocks) {
            if (b.dModel() != dModel) {
                throw new IllegalArgumentException(b + ": expected dModel " + dModel + ", got " + b.dModel());
            }
            n += b.numRows();
        }
        float[] all = new float[Math.multiplyExact(n, dModel)];
        int at = 0;
        for (TokenBlock b : blocks) {
            System.arraycopy(b.rows(), 0, all, at, b.rows().length);
            at += b.rows().length;
        }
        return Blocks.matrix(all, n, dModel, dtype);                       // the one copy into ND4J
    }

    /**
     * Splits an expert's output rows back into one block per input block (same keys, same rows).
     *
     * @param inputs the blocks {@code output} was computed from, in {@link #concatRows} order
     * @param output {@code [N, D]}, row {@code i} the output of concatenated input row {@code i}
     */
    public static List<ExpertOutputBlock> toOutputBlocks(List<TokenBlock> inputs, INDArray output) {
        long n = 0;
        for (TokenBlock b : inputs) n += b.numRows();
        int d = inputs.isEmpty() ? 0 : inputs.get(0).dModel();
        if (output.rank() != 2 || output.rows() != n || (n > 0 && output.columns() != d)) {
            throw new IllegalArgumentException("expert output: expected [" + n + ", " + d + "] for "
                    + inputs.size() + " blocks, got " + Arrays.toString(output.shape()));
        }
        float[] all = Blocks.floats(output);                                 // the one copy out of ND4J
        List<ExpertOutputBlock> out = new ArrayList<>(inputs.size());
        int at = 0;
        for (TokenBlock b : inputs) {
            int len = b.rows().length;
            out.add(new ExpertOutputBlock(b.sourcePartition(), b.layer(), b.expertId(),
                    Arrays.copyOfRange(all, at, at + len), b.dModel()));
            at += len;
        }
        return out;
    }

    /**
     * Places the output blocks one data partition got back for one layer into expert-major
     * order: the inverse of {@link #toTokenBlocks}, ready for the dispatcher's combine.
     *
     * @param experts the live set the partition dispatched with ({@code E} slots)
     * @param offsets {@code [E+1]} the dispatch's expert-major offsets
     * @param outputs exactly one block for every slot with rows, in any order
     * @return {@code [NNZ, D]} expert-major outputs; null when NNZ = 0 (as {@code LocalExperts.forward})
     */
    public static INDArray gatherOutputs(int sourcePartition, int layer, ExpertSet experts, int[] offsets, int dModel,
                                         Iterator<ExpertOutputBlock> outputs, DataType dtype) {
        if (offsets.length != experts.size() + 1) {
            throw new IllegalArgumentException("layer " + layer + ", partition " + sourcePartition + ": expected "
                    + (experts.size() + 1) + " offsets for " + experts + ", got " + offsets.length);
        }
        int nnz = offsets[experts.size()];
        float[] all = new float[Math.multiplyExact(nnz, dModel)];
        boolean[] seen = new boolean[experts.size()];
        while (outputs.hasNext()) {
            ExpertOutputBlock b = outputs.next();
            int slot = experts.slotOf(b.expertId());
            if (b.sourcePartition() != sourcePartition || b.layer() != layer || slot < 0 || b.dModel() != dModel) {
                throw new IllegalArgumentException("partition " + sourcePartition + ", layer " + layer + " (D=" + dModel
                        + ", experts " + experts + "): unexpected " + b);
            }
            int n = offsets[slot + 1] - offsets[slot];
            if (seen[slot] || b.numRows() != n) {
                throw new IllegalArgumentException(b + ": expected one block of " + n + " rows, got "
                        + (seen[slot] ? "a second block" : b.numRows() + " rows"));
            }
            seen[slot] = true;
            System.arraycopy(b.rows(), 0, all, offsets[slot] * dModel, b.rows().length);
        }
        for (int slot = 0; slot < seen.length; slot++) {
            if (!seen[slot] && offsets[slot + 1] > offsets[slot]) {
                throw new IllegalArgumentException("partition " + sourcePartition + ", layer " + layer + ": no output block from expert "
                        + experts.id(slot) + " (" + (offsets[slot + 1] - offsets[slot]) + " rows sent)");
            }
        }
        return nnz == 0 ? null : Blocks.matrix(all, nnz, dModel, dtype);
    }

    private static void requireAscendingSources(List<TokenBlock> blocks) {
        for (int i = 1; i < blocks.size(); i++) {
            TokenBlock a = blocks.get(i - 1);
            TokenBlock b = blocks.get(i);
            if (a.layer() != b.layer() || a.expertId() != b.expertId()) {
                throw new IllegalArgumentException("expected blocks of one expert, got " + a + " and " + b);
            }
            if (b.sourcePartition() <= a.sourcePartition()) {
                throw new IllegalArgumentException("expected strictly ascending source partitions, got " + a + " then " + b);
            }
        }
    }
}
