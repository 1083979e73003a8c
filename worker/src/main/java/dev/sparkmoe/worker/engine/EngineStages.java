package dev.sparkmoe.worker.engine;

/**
 * The numbering of one training step's stages for a model with {@code M} MoE layers
 * (docs/spark-engine.md, "Stages"). Data stages {@code 0..2M}, expert stages {@code 0..2M-1};
 * expert stage {@code e} runs on what data stage {@code e} emitted and data stage {@code e+1}
 * consumes its output:
 * <ul>
 *   <li>data stage {@code d < M}: forward up to MoE layer {@code d}'s dispatch (stage 0 embeds);</li>
 *   <li>expert stage {@code e < M}: the experts' forward of layer {@code e};</li>
 *   <li>data stage {@code M}: the rest of the forward, the loss, and backward down to the last MoE
 *       layer's combine;</li>
 *   <li>expert stage {@code e >= M}: the experts' backward of layer {@code 2M-1-e};</li>
 *   <li>data stage {@code d > M}: backward from layer {@code 2M-d}'s dispatch down to the next
 *       MoE layer's combine, or (stage {@code 2M}) to the embeddings: the partition's result;</li>
 *   <li>expert stage {@code 2M}: the deferred optimiser update of every hosted expert.</li>
 * </ul>
 * An evaluation pass ({@code forwardOnly}) stops after the forward: data stages {@code 0..M},
 * expert stages {@code 0..M-1}, and data stage {@code M} returns the partition's loss.
 *
 * @param forwardOnly evaluation: no backward stages and no update
 */
public record EngineStages(int moeLayers, boolean forwardOnly) implements java.io.Serializable {

    public EngineStages {
        if (moeLayers < 0) throw new IllegalArgumentException("moeLayers = " + moeLayers + ": must be >= 0");
    }

    /** The stages of a training step. */
    public EngineStages(int moeLayers) {
        this(moeLayers, false);
    }

    /** Expert stages with token traffic: {@code 2M} ({@code M} forward only). */
    public int expertStages() { return forwardOnly ? moeLayers : 2 * moeLayers; }

    /** The data stage that ends the pass with the partition's result: {@code 2M} ({@code M} forward only). */
    public int lastDataStage() { return expertStages(); }

    /** The expert stage of the optimiser update: {@code 2M}. */
    public int updateStage() {
        if (forwardOnly) throw new IllegalStateException("a forward-only pass has no update stage");
        return 2 * moeLayers;
    }

    /** Whether expert stage {@code e} is a forward stage. */
    public boolean isForward(int e) { return e < moeLayers; }

    /** The MoE layer expert stage {@code e} works on. */
    public int layerOf(int e) {
        if (e < 0 || e >= expertStages()) throw new IllegalArgumentException("expert stage " + e + " outside [0, " + expertStages() + ")");
        return e < moeLayers ? e : 2 * moeLayers - 1 - e;
    }

    /** A short name for logs and the Spark UI: "forward layer 1", "backward layer 0". */
    public String describe(int e) {
        return (isForward(e) ? "forward" : "backward") + " layer " + layerOf(e);
    }
}
