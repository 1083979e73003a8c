package dev.sparkmoe.worker.spark;

/**
 * The shuffle key of everything addressed to one expert: its MoE layer and its id. Created on
 * executors (one per token block or expert state, never per token) and mapped to an expert
 * partition by {@link ExpertPartitioner}. Ordered by layer, then id.
 *
 * @param layer MoE layer index, {@code >= 0}
 * @param id    expert id within the layer, {@code >= 0}
 */
public record ExpertKey(int layer, int id) implements Comparable<ExpertKey>, java.io.Serializable {

    /** Validates that both are non-negative. */
    public ExpertKey {
        if (layer < 0 || id < 0) {
            throw new IllegalArgumentException("expert key: need layer >= 0 and id >= 0, got layer=" + layer + ", id=" + id);
        }
    }

    @Override
    public int compareTo(ExpertKey o) {
        return layer != o.layer ? Integer.compare(layer, o.layer) : Integer.compare(id, o.id);
    }

    @Override
    public String toString() {
        return "moe" + layer + ".expert" + id;
    }
}
