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
        String name = "moe" + layer + ".expert" + id;
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

    public int layer() { return layer; }
    public int id() { return id; }
    public FeedForward ffn() { return ffn; }
    public Param weights() { return weights; }
    public Param biases() { return biases; }
    public List<Param> params() { return List.of(weights, biases); }
}
