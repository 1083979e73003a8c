package dev.sparkmoe.worker.train;

import dev.sparkmoe.worker.model.TokenBatch;

/** Images of {@code C·H·W} floats with a class id each ({@link ExampleSet#images}); batches copy whole images. */
public final class ImageExamples implements ExampleSet {
    private static final long serialVersionUID = 1L;
    private final int rows;
    private final int imageSize;
    private final float[] pixels;   // [N·C·H·W]
    private final int[] labels;     // [N]

    ImageExamples(int rows, int imageSize, float[] pixels, int[] labels) {
        if (rows < 1 || imageSize < 1 || pixels.length != (long) labels.length * imageSize) {
            throw new IllegalArgumentException("images: " + labels.length + " labels need " + labels.length + "·" + imageSize
                    + " pixels, got " + pixels.length);
        }
        this.rows = rows;
        this.imageSize = imageSize;
        this.pixels = pixels;
        this.labels = labels;
    }

    @Override public int size() { return labels.length; }

    @Override
    public TokenBatch batch(int[] examples) {
        int b = examples.length;
        float[] x = new float[b * imageSize];
        int[] y = new int[b];
        for (int i = 0; i < b; i++) {
            System.arraycopy(pixels, examples[i] * imageSize, x, i * imageSize, imageSize);
            y[i] = labels[examples[i]];
        }
        return TokenBatch.images(b, rows, x, y);
    }

    @Override
    public int realTokens(int[] examples) { return examples.length * rows; }   // images have no padding

    @Override
    public int countedTargets(int[] examples) {
        int n = 0;
        for (int e : examples) if (labels[e] != TokenBatch.IGNORE) n++;
        return n;
    }
}
