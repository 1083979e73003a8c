package dev.sparkmoe.worker.model;

import dev.sparkmoe.routing.Seeds;
import dev.sparkmoe.worker.nn.ParamSlicer;
import dev.sparkmoe.worker.nn.PatchEmbedding;
import dev.sparkmoe.worker.nn.PositionalEmbedding;
import dev.sparkmoe.worker.nn.TokenEmbedding;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The rows a {@link MoETransformer}'s first block reads, from a {@link TokenBatch}: token
 * embedding plus learned positions ({@link ModelInput.Tokens}), or patch embedding with a class
 * token ({@link ModelInput.Patches}). The token table is also the language-model head's
 * (tied) output projection, so it exists for text whatever the head.
 *
 * <p>Bind order (the dense buffers' prefix, so a fine-tuned model's buffers start with its
 * pretrained model's): tokens then positions, or the patch embedding.
 */
final class InputLayer {
    private final TokenEmbedding tokens;       // null for images
    private final PositionalEmbedding positions;
    private final PatchEmbedding patches;      // null for text

    InputLayer(ModelConfig config) {
        if (config.input() instanceof ModelInput.Patches p) {
            tokens = null;
            positions = null;
            patches = new PatchEmbedding("embed.patches", p.channels(), p.height(), p.width(), p.patch(), config.dModel());
        } else {
            tokens = new TokenEmbedding("embed.tokens", config.vocabSize(), config.dModel());
            positions = new PositionalEmbedding("embed.positions", config.maxSeqLen(), config.dModel());
            patches = null;
        }
    }

    ParamSlicer.Sizes sizes() {
        return patches != null ? patches.sizes() : tokens.sizes().plus(positions.sizes());
    }

    void bind(ParamSlicer slicer) {
        if (patches != null) {
            patches.bind(slicer);
        } else {
            tokens.bind(slicer);
            positions.bind(slicer);
        }
    }

    void init(long seed) {
        if (patches != null) {
            patches.init(Seeds.derive(seed, 5));
        } else {
            tokens.init(Seeds.derive(seed, 1));
            positions.init(Seeds.derive(seed, 2));
        }
    }

    /** {@code [T, D]} the first block's input. */
    INDArray forward(TokenBatch batch, DataType dtype) {
        if (patches != null) {
            if (batch.pixels() == null) throw new IllegalArgumentException("a vision model needs images; the batch holds token ids");
            INDArray images = Nd4j.createFromArray(batch.pixels()).castTo(dtype)
                    .reshape('c', batch.batch(), batch.pixels().length / batch.batch());
            return patches.forward(images);
        }
        if (batch.inputs() == null) throw new IllegalArgumentException("a text model needs token ids; the batch holds images");
        INDArray h = tokens.forward(batch.inputs());
        positions.addTo(h, batch.batch(), batch.seqLen());
        return h;
    }

    /** Adds the embeddings' gradients from {@code dh} {@code [T, D]}. */
    void backward(INDArray dh, TokenBatch batch) {
        if (patches != null) {
            patches.backward(dh);
            return;
        }
        positions.backward(dh, batch.batch(), batch.seqLen());
        tokens.backward(dh);
    }

    /** The token table (the tied language-model head); null for images. */
    TokenEmbedding tokens() { return tokens; }
}
