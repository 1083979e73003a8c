package dev.sparkmoe.worker.state;

import java.util.Arrays;

/**
 * One data-parallel parameter of the model ({@code MoETransformer.denseParams()} order: the two
 * dense buffers, then each MoE layer's router parameters) with its AdamW moments, as float32.
 * The arrays are not copied: treat them as immutable. {@code equals} compares contents bitwise.
 *
 * @param name   the parameter's name ({@code Param.name()}; router names repeat per layer, the
 *               position in the list tells them apart)
 * @param shape  the parameter's shape, e.g. {@code [E, D]} for a router's gates
 * @param values the values, row-major, {@code product(shape)} elements
 * @param m      AdamW {@code m} (slot 0), same length, or empty before the optimiser created it
 * @param v      AdamW {@code v} (slot 1), same length, or empty (always empty when {@code m} is)
 */
public record DenseTensor(String name, long[] shape, float[] values, float[] m, float[] v) {

    public DenseTensor {
        if (name == null || name.isEmpty()) throw new IllegalArgumentException("dense tensor: name is empty");
        long n = 1;
        for (long d : shape) {
            if (d < 0) throw new IllegalArgumentException("dense tensor " + name + ": negative dimension in " + Arrays.toString(shape));
            n *= d;
        }
        require(name, "values", values, n, false);
        require(name, "m", m, n, true);
        require(name, "v", v, n, true);
        if (m.length == 0 && v.length > 0) {
            throw new IllegalArgumentException("dense tensor " + name + ": has v (slot 1) but no m (slot 0); AdamW creates m first");
        }
        shape = shape.clone();
    }

    @Override public long[] shape() { return shape.clone(); }

    /** Number of AdamW slots present: 0, 1 or 2. */
    public int slots() { return v.length > 0 ? 2 : m.length > 0 ? 1 : 0; }

    private static void require(String name, String what, float[] a, long expected, boolean mayBeEmpty) {
        if (a == null || (a.length != expected && !(mayBeEmpty && a.length == 0))) {
            throw new IllegalArgumentException("dense tensor " + name + "." + what + ": expected " + expected
                    + (mayBeEmpty ? " or 0" : "") + " floats, got " + (a == null ? "null" : a.length));
        }
    }

    @Override public boolean equals(Object o) {
        return o instanceof DenseTensor t && t.name.equals(name) && Arrays.equals(t.shape, shape)
                && Arrays.equals(t.values, values) && Arrays.equals(t.m, m) && Arrays.equals(t.v, v);
    }

    @Override public int hashCode() {
        return ((name.hashCode() * 31 + Arrays.hashCode(shape)) * 31 + Arrays.hashCode(values)) * 31
                + Arrays.hashCode(m) * 7 + Arrays.hashCode(v);
    }

    @Override public String toString() {
        return "DenseTensor{" + name + Arrays.toString(shape) + ", slots=" + slots() + "}";
    }
}
