package dev.sparkmoe.worker.moe;

import dev.sparkmoe.routing.Param;
import dev.sparkmoe.routing.Seeds;
import dev.sparkmoe.worker.nn.FeedForward;
import dev.sparkmoe.worker.nn.ParamSlicer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;

/**
 * One expert: a {@link FeedForward} (Linear-GELU-Linear, {@code D → F → D}) over its own two
 * flat parameters, weights (decayed) and biases (not decayed). An expert's parameters and
 * optimiser state travel together (to an executor, into a checkpoint) and nowhere else.
 */
public final class Expert {
    private final int layer;
    private final int id;
    private final FeedForward ffn;
    private final Param weights;
    private final Param biases;

    private Expert(int layer, int id, FeedForward ffn, Param weights, Param biases) {
        this.layer = layer;
        this.id = id;
        this.ffn = ffn;
        this.weights = weights;
        this.biases = biases;
    }

    /**
     * A freshly initialised expert; its initial weights depend only on
     * {@code (seed, layer, id)} (ROUTING.md §4.2: fresh initialisation, seeded).
     */
    public static Expert create(int layer, int id, long dModel, long ffnDim, long seed, DataType dtype) {
        String name = name(layer, id);
        FeedForward ffn = new FeedForward(name, dModel, ffnDim);
        ParamSlicer.Sizes sizes = ffn.sizes();
        Param w = new Param(name + ".weights", Nd4j.zeros(dtype, sizes.decayed()));
        Param b = new Param(name + ".biases", Nd4j.zeros(dtype, sizes.plain()));
        ParamSlicer slicer = new ParamSlicer(w, b);
        ffn.bind(slicer);
        slicer.finish();
        ffn.init(Seeds.derive(seed, 0xE5E5L, layer, id));
        return new Expert(layer, id, ffn, w, b);
    }

    /**
     * An expert over existing flat parameters (values, gradients and optimiser slots as they
     * are, not copied and not initialised): how an executor rebuilds an expert from its
     * shipped state. {@code weights} must hold {@code 2·D·F} elements and {@code biases}
     * {@code F + D}, both 1-D; the FFN binds views of them in {@link FeedForward}'s order.
     */
    public static Expert restore(int layer, int id, long dModel, long ffnDim, Param weights, Param biases) {
        String name = name(layer, id);
        FeedForward ffn = new FeedForward(name, dModel, ffnDim);
        ParamSlicer.Sizes sizes = ffn.sizes();
        if (weights.length() != sizes.decayed() || biases.length() != sizes.plain()) {
            throw new IllegalArgumentException(name + " (D=" + dModel + ", F=" + ffnDim + "): expected "
                    + sizes.decayed() + " weights and " + sizes.plain() + " biases, got " + weights.length()
                    + " and " + biases.length());
        }
        ParamSlicer slicer = new ParamSlicer(weights, biases);
        ffn.bind(slicer);
        slicer.finish();
        return new Expert(layer, id, ffn, weights, biases);
    }

    /** The name of expert {@code id} of MoE layer {@code layer}; its params add {@code .weights}/{@code .biases}. */
    public static String name(int layer, int id) {
        return "moe" + layer + ".expert" + id;
    }

    public int layer() { return layer; }
    public int id() { return id; }
    public FeedForward ffn() { return ffn; }
    public Param weights() { return weights; }
    public Param biases() { return biases; }
    public List<Param> params() { return List.of(weights, biases); }
}
