package dev.sparkmoe.worker.engine;

import dev.sparkmoe.routing.Param;
import dev.sparkmoe.worker.moe.Expert;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;

/**
 * One expert's parameters and AdamW moments as flat {@code float[]}: what the Spark engine's
 * experts RDD holds, what crosses a shuffle when placement moves an expert, and what a
 * checkpoint writes. Built and unpacked on executors ({@link #of}, {@link #toExpert}); the
 * driver sees it only at checkpoints.
 *
 * <p>Layout follows {@link Expert}: {@code weights} is the decayed flat buffer
 * ({@code 2·D·F} elements: fc1 W then fc2 W), {@code biases} the plain one ({@code F + D}).
 * The moments are {@link dev.sparkmoe.worker.optim.AdamW}'s slots: {@code m} is slot 0 and
 * {@code v} slot 1 of each param. A slot array is empty while the optimiser has not created
 * that slot (a fresh expert), and {@link #toExpert} recreates exactly the slots that were
 * present, so the optimiser's "first use" behaviour is preserved.
 *
 * <p>Gradients are not kept: a restored expert has zero gradients (the engine ships state
 * between steps, after the update). Values are float32: the round trip
 * {@code of(e).toExpert(FLOAT)} is bit-exact for a float32 expert; a float64 expert is rounded.
 * The arrays are not copied on construction or access: treat them as immutable.
 * {@code equals}/{@code hashCode} compare contents (floats bitwise, via {@link Arrays#equals(float[], float[])}).
 *
 * @param layer    MoE layer index, {@code >= 0}
 * @param id       expert id within the layer, {@code >= 0}
 * @param dModel   {@code D >= 1}
 * @param ffnDim   {@code F >= 1}
 * @param weights  {@code [2·D·F]}
 * @param biases   {@code [F + D]}
 * @param weightsM AdamW {@code m} of the weights: {@code [2·D·F]} or empty
 * @param weightsV AdamW {@code v} of the weights: {@code [2·D·F]} or empty (empty when {@code m} is)
 * @param biasesM  AdamW {@code m} of the biases: {@code [F + D]} or empty
 * @param biasesV  AdamW {@code v} of the biases: {@code [F + D]} or empty (empty when {@code m} is)
 */
public record ExpertState(int layer, int id, int dModel, int ffnDim, float[] weights, float[] biases,
                          float[] weightsM, float[] weightsV, float[] biasesM, float[] biasesV) {

    private static final float[] NONE = new float[0];

    /** Validates sizes; every error names the expert, the array and the expected length. */
    public ExpertState {
        if (layer < 0 || id < 0 || dModel < 1 || ffnDim < 1) {
            throw new IllegalArgumentException("expert state: need layer >= 0, id >= 0, dModel >= 1, ffnDim >= 1, got layer="
                    + layer + ", id=" + id + ", dModel=" + dModel + ", ffnDim=" + ffnDim);
        }
        long nw = 2L * dModel * ffnDim;
        long nb = (long) ffnDim + dModel;
        requireLength(layer, id, "weights", weights, nw, false);
        requireLength(layer, id, "biases", biases, nb, false);
        requireLength(layer, id, "weightsM", weightsM, nw, true);
        requireLength(layer, id, "weightsV", weightsV, nw, true);
        requireLength(layer, id, "biasesM", biasesM, nb, true);
        requireLength(layer, id, "biasesV", biasesV, nb, true);
        requireSlotOrder(layer, id, "weights", weightsM, weightsV);
        requireSlotOrder(layer, id, "biases", biasesM, biasesV);
    }

    /**
     * Copies an expert's values and optimiser slots out of ND4J, one bulk copy per array.
     *
     * @throws IllegalArgumentException if a param holds more than the two AdamW slots
     */
    public static ExpertState of(Expert e) {
        long d = e.ffn().fc1().weight().value().rows();
        long f = e.ffn().fc1().weight().value().columns();
        Param w = e.weights();
        Param b = e.biases();
        return new ExpertState(e.layer(), e.id(), Math.toIntExact(d), Math.toIntExact(f), flat(w.value()),
                flat(b.value()), slot(w, 0), slot(w, 1), slot(b, 0), slot(b, 1));
    }

    /**
     * Rebuilds the expert in {@code dtype}: new flat params (allocated outside any workspace)
     * holding these values, zero gradients, and exactly the optimiser slots present here.
     */
    public Expert toExpert(DataType dtype) {
        String name = Expert.name(layer, id);
        Param w = param(name + ".weights", weights, weightsM, weightsV, dtype);
        Param b = param(name + ".biases", biases, biasesM, biasesV, dtype);
        return Expert.restore(layer, id, dModel, ffnDim, w, b);
    }

    /** Whether the optimiser has created this expert's moments. */
    public boolean hasMoments() {
        return weightsM.length > 0;
    }

    /** Bytes of float data held (for metrics and block-size estimates). */
    public long floatBytes() {
        return 4L * (weights.length + biases.length + weightsM.length + weightsV.length + biasesM.length
                + biasesV.length);
    }

    private static float[] flat(INDArray a) {
        return Blocks.floats(a);
    }

    private static float[] slot(Param p, int i) {
        if (p.numSlots() > 2) {
            throw new IllegalArgumentException("param " + p.name() + ": expected at most 2 optimiser slots (AdamW m, v), got "
                    + p.numSlots());
        }
        return i < p.numSlots() ? flat(p.slot(i)) : NONE;
    }

    private static Param param(String name, float[] value, float[] m, float[] v, DataType dtype) {
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            Param p = new Param(name, array(value, dtype));
            int slots = v.length > 0 ? 2 : m.length > 0 ? 1 : 0;
            if (slots == 0) return p;
            p.slot(slots - 1);                                  // creates the slots, replaced below
            INDArray[] filled = slots == 2 ? new INDArray[]{array(m, dtype), array(v, dtype)}
                    : new INDArray[]{array(m, dtype)};
            p.replace(p.value(), p.grad(), filled);
            return p;
        }
    }

    private static INDArray array(float[] a, DataType dtype) {
        return Blocks.array(a, new long[]{a.length}, dtype);
    }

    private static void requireLength(int layer, int id, String what, float[] a, long expected, boolean mayBeEmpty) {
        if (a == null || (a.length != expected && !(mayBeEmpty && a.length == 0))) {
            throw new IllegalArgumentException(Expert.name(layer, id) + "." + what + ": expected " + expected
                    + (mayBeEmpty ? " or 0" : "") + " floats, got " + (a == null ? "null" : a.length));
        }
    }

    private static void requireSlotOrder(int layer, int id, String what, float[] m, float[] v) {
        if (m.length == 0 && v.length > 0) {
            throw new IllegalArgumentException(Expert.name(layer, id) + "." + what
                    + ": has v (slot 1) but no m (slot 0); AdamW creates m first");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ExpertState s && s.layer == layer && s.id == id && s.dModel == dModel
                && s.ffnDim == ffnDim && Arrays.equals(s.weights, weights) && Arrays.equals(s.biases, biases)
                && Arrays.equals(s.weightsM, weightsM) && Arrays.equals(s.weightsV, weightsV)
                && Arrays.equals(s.biasesM, biasesM) && Arrays.equals(s.biasesV, biasesV);
    }

    @Override
    public int hashCode() {
        int h = ((layer * 31 + id) * 31 + dModel) * 31 + ffnDim;
        for (float[] a : new float[][]{weights, biases, weightsM, weightsV, biasesM, biasesV}) {
            h = h * 31 + Arrays.hashCode(a);
        }
        return h;
    }

    @Override
    public String toString() {
        return "ExpertState{" + Expert.name(layer, id) + ", D=" + dModel + ", F=" + ffnDim + ", moments="
                + hasMoments() + "}";
    }
}
