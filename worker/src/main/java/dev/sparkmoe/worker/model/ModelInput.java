package dev.sparkmoe.worker.model;

import java.io.Serializable;

/**
 * What a {@link MoETransformer} reads: token ids with learned positions (text), or images cut
 * into patches with a class token (a vision transformer). The blocks after it are the same.
 */
public sealed interface ModelInput extends Serializable {

    /** Token ids looked up in the embedding table of {@code model.vocabSize} rows, plus learned positions. */
    record Tokens() implements ModelInput {}

    /**
     * Images of {@code channels × height × width} cut into {@code patch × patch} patches
     * ({@link dev.sparkmoe.worker.nn.PatchEmbedding}): each image becomes {@link #rows()} rows,
     * its class token first.
     */
    record Patches(int channels, int height, int width, int patch) implements ModelInput {
        public Patches {
            if (channels < 1 || height < 1 || width < 1 || patch < 1) {
                throw new IllegalArgumentException("model.image: channels, height, width and patch must be >= 1, got "
                        + channels + ", " + height + ", " + width + ", " + patch);
            }
            if (height % patch != 0 || width % patch != 0) {
                throw new IllegalArgumentException("model.image.patch = " + patch + ": must divide the image size "
                        + height + "×" + width);
            }
        }

        /** Rows per image: one per patch, plus the class token. */
        public int rows() { return (height / patch) * (width / patch) + 1; }

        /** Floats per image, {@code C·H·W}. */
        public int pixels() { return channels * height * width; }
    }

    /** The text input. */
    ModelInput TOKENS = new Tokens();
}
