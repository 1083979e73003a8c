package dev.sparkmoe.routing;

import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Objects;

/**
 * One trainable tensor: its value, its gradient (same shape) and the optimiser's state slots
 * (same shape, created by the optimiser on first use).
 *
 * <p>Dense model parameters are one {@code Param} over a flat buffer whose layers hold views;
 * each expert's FFN is one flat {@code Param}; a router's per-expert rows are a {@code Param}
 * of shape {@code [E, P]} that the expert controller reshapes (see {@link ExpertRows}), moving
 * the value, gradient and every optimiser slot together so kept experts keep their state.
 * Gradients are accumulated ({@code +=}); the trainer zeroes them at the start of a step.
 */
public final class Param {
    private final String name;
    private INDArray value;
    private INDArray grad;
    private INDArray[] slots;

    /** A parameter with a zero gradient of the value's shape and data type. */
    public Param(String name, INDArray value) {
        this(name, value, detachedZerosLike(value));
    }

    /** A parameter over caller-owned value and gradient arrays (e.g. views of flat buffers). */
    public Param(String name, INDArray value, INDArray grad) {
        this.name = Objects.requireNonNull(name, "name");
        this.value = Objects.requireNonNull(value, "value");
        this.grad = Objects.requireNonNull(grad, "grad");
        if (!java.util.Arrays.equals(value.shape(), grad.shape())) {
            throw new IllegalArgumentException("param " + name + ": value shape "
                    + java.util.Arrays.toString(value.shape()) + " != grad shape "
                    + java.util.Arrays.toString(grad.shape()));
        }
        this.slots = new INDArray[0];
    }

    public String name() { return name; }
    public INDArray value() { return value; }
    public INDArray grad() { return grad; }
    public long length() { return value.length(); }

    /** Optimiser state slot {@code i}, created as zeros of the value's shape on first access. */
    public INDArray slot(int i) {
        if (i >= slots.length) {
            INDArray[] grown = java.util.Arrays.copyOf(slots, i + 1);
            for (int j = slots.length; j <= i; j++) grown[j] = detachedZerosLike(value);
            slots = grown;
        }
        return slots[i];
    }

    /**
     * Zeros shaped like {@code like}, allocated outside any ND4J workspace: a parameter's arrays
     * outlive the step whose workspace may be open when they are first created.
     */
    private static INDArray detachedZerosLike(INDArray like) {
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            return Nd4j.zeros(like.dataType(), like.shape());
        }
    }

    /** Number of optimiser slots created so far. */
    public int numSlots() { return slots.length; }

    /**
     * Replaces value, gradient and slots at once (the controller's reshape of per-expert rows).
     * {@code newSlots} must hold as many arrays as {@link #numSlots()}, each of the value's shape.
     */
    public void replace(INDArray newValue, INDArray newGrad, INDArray[] newSlots) {
        if (newSlots.length != slots.length) {
            throw new IllegalArgumentException("param " + name + ": expected " + slots.length
                    + " optimiser slots, got " + newSlots.length);
        }
        this.value = newValue;
        this.grad = newGrad;
        this.slots = newSlots.clone();
    }
}
