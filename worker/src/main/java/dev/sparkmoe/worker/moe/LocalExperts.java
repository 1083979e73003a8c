package dev.sparkmoe.worker.moe;

import dev.sparkmoe.routing.ExpertSet;
import dev.sparkmoe.routing.Param;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * The experts of one MoE layer hosted in this process (all of them in the single-process
 * trainer; a placement's share of them on a Spark executor). Runs each expert's FFN on its
 * contiguous block of expert-major rows: one pair of GEMMs per expert, never per token.
 */
public final class LocalExperts {
    private final TreeMap<Integer, Expert> byId = new TreeMap<>();
    private ExpertSet order;
    private ExpertBlocks input;

    /** Adds (or replaces) an expert. */
    public void put(Expert expert) { byId.put(expert.id(), expert); }

    /** Removes the expert with this id, if hosted. */
    public void remove(int id) { byId.remove(id); }

    public Expert get(int id) {
        Expert e = byId.get(id);
        if (e == null) throw new IllegalStateException("expert " + id + " is not hosted here; hosted: " + byId.keySet());
        return e;
    }

    public int size() { return byId.size(); }

    /** Hosted expert ids, ascending. */
    public int[] ids() { return byId.keySet().stream().mapToInt(Integer::intValue).toArray(); }

    /** Every hosted expert's parameters, in ascending id order. */
    public List<Param> params() {
        List<Param> out = new ArrayList<>();
        for (Expert e : byId.values()) out.addAll(e.params());
        return out;
    }

    /**
     * Runs slot {@code e}'s expert on its rows, for every slot with tokens.
     *
     * @param experts the live set whose slot order {@code blocks} follows
     * @return {@code [NNZ, D]} outputs in the same expert-major order; null when NNZ = 0
     */
    public INDArray forward(ExpertSet experts, ExpertBlocks blocks) {
        this.order = experts;
        this.input = blocks;
        if (blocks.rows() == null) return null;
        INDArray out = blocks.rows().ulike();
        for (int slot = 0; slot < blocks.numExperts(); slot++) {
            if (blocks.count(slot) == 0) continue;
            rowsOf(out, blocks, slot).assign(get(experts.id(slot)).ffn().forward(blocks.block(slot)));
        }
        return out;
    }

    /**
     * Backward of {@link #forward}: adds each expert's parameter gradients.
     *
     * @param dOutput {@code [NNZ, D]} expert-major; null when NNZ = 0
     * @return {@code [NNZ, D]} gradient of the expert inputs; null when NNZ = 0
     */
    public INDArray backward(INDArray dOutput) {
        ExpertBlocks blocks = input;
        input = null;
        if (dOutput == null) return null;
        INDArray dInput = dOutput.ulike();
        for (int slot = 0; slot < blocks.numExperts(); slot++) {
            if (blocks.count(slot) == 0) continue;
            INDArray dy = rowsOf(dOutput, blocks, slot);
            rowsOf(dInput, blocks, slot).assign(get(order.id(slot)).ffn().backward(dy));
        }
        return dInput;
    }

    private static INDArray rowsOf(INDArray a, ExpertBlocks blocks, int slot) {
        return a.get(NDArrayIndex.interval(blocks.offsets()[slot], blocks.offsets()[slot + 1]), NDArrayIndex.all());
    }

}
