package dev.sparkmoe.worker.engine;

/**
 * The gradient norms of the experts one expert partition hosts, sent to the driver at the end of
 * a step's backward pass so that it can compute the global clipping norm in the single-process
 * trainer's parameter order (per layer: router, then experts by ascending id, weights then biases).
 */
public final class ExpertGradNorms {
    private final int partition;
    private final int[] layers;
    private final int[] ids;
    private final double[] weightNorms;
    private final double[] biasNorms;

    public ExpertGradNorms(int partition, int[] layers, int[] ids, double[] weightNorms, double[] biasNorms) {
        if (ids.length != layers.length || weightNorms.length != layers.length || biasNorms.length != layers.length) {
            throw new IllegalArgumentException("expert grad norms of partition " + partition + ": arrays differ in length");
        }
        this.partition = partition;
        this.layers = layers;
        this.ids = ids;
        this.weightNorms = weightNorms;
        this.biasNorms = biasNorms;
    }

    public int partition() { return partition; }
    public int size() { return layers.length; }
    public int layer(int i) { return layers[i]; }
    public int id(int i) { return ids[i]; }
    public double weightNorm(int i) { return weightNorms[i]; }
    public double biasNorm(int i) { return biasNorms[i]; }
}
