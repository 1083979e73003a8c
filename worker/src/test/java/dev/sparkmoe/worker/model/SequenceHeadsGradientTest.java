package dev.sparkmoe.worker.model;

import dev.sparkmoe.routing.AttentionKConfig;
import dev.sparkmoe.routing.TopKConfig;
import dev.sparkmoe.testing.GradientCheck;
import dev.sparkmoe.worker.moe.InProcessDispatcher;
import dev.sparkmoe.worker.nn.ClassificationHead.Pooling;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

import java.util.List;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The model with a classification or regression head, on padded sentences and on image
 * patches, in float64: every parameter against central differences, padding that changes
 * nothing, and a batch in routing groups that equals the same batch as one group.
 */
class SequenceHeadsGradientTest {
    static final int[] IDS = {3, 7, 4, 9, 0, 0, 3, 8, 8, 5, 10, 4, 3, 6, 4, 0, 0, 0};
    static final boolean[] PAD = {false, false, false, false, true, true, false, false, false, false, false, false,
            false, false, false, true, true, true};

    static ModelConfig text(ModelHead head, boolean causal) {
        return new ModelConfig(11, 6, 8, 2, 12, 10, 2, new int[]{1}, 3, new TopKConfig(2, 0, true, 0.05, 0.01), causal)
                .withHead(head);
    }

    static TokenBatch sentences(int[] labels, float[] scores) {
        return TokenBatch.sentences(3, 6, IDS, PAD, labels, scores);
    }

    @Test
    void classificationOfPaddedSentencesMatchesCentralDifferences() {
        check(text(ModelHead.classification(3, Pooling.MEAN), false), sentences(new int[]{2, 0, TokenBatch.IGNORE}, null));
        check(text(ModelHead.classification(2, Pooling.FIRST), true), sentences(new int[]{1, 0, 1}, null));
    }

    @Test
    void regressionMatchesCentralDifferencesAndSkipsUnscoredSentences() {
        check(text(ModelHead.regression(Pooling.MEAN), true), sentences(null, new float[]{0.5f, Float.NaN, 4.25f}));
    }

    @Test
    void imagePatchesWithClassTokenMatchCentralDifferences() {
        ModelInput.Patches patches = new ModelInput.Patches(1, 4, 4, 2);
        ModelConfig cfg = new ModelConfig(1, 5, 8, 2, 12, 10, 2, new int[]{0}, 3,
                new TopKConfig(1, 0, true, 0.05, 0.01), false).withInput(patches, patches.rows())
                .withHead(ModelHead.classification(3, Pooling.FIRST));
        float[] pixels = new float[2 * 16];
        for (int i = 0; i < pixels.length; i++) pixels[i] = (float) Math.sin(0.7 * i);
        check(cfg, TokenBatch.images(2, 5, pixels, new int[]{2, 1}));
    }

    @Test
    void paddingRowsChangeNothing() {
        ModelConfig cfg = text(ModelHead.classification(3, Pooling.MEAN), false);
        MoETransformer model = new MoETransformer(cfg, 9, DataType.DOUBLE, InProcessDispatcher::new);
        TokenBatch batch = sentences(new int[]{2, 0, 1}, null);
        double[] before = model.predict(batch).outputs().dup('c').data().asDouble();
        int[] otherPads = IDS.clone();
        for (int t = 0; t < otherPads.length; t++) if (PAD[t]) otherPads[t] = 10;
        double[] after = model.predict(TokenBatch.sentences(3, 6, otherPads, PAD, new int[]{2, 0, 1}, null))
                .outputs().dup('c').data().asDouble();
        assertArrayEquals(before, after, 1e-12);
    }

    @Test
    void groupedBatchEqualsOneGroupUnderDistinctRouting() {
        // attention-k routing with capacity off: groups only change how the batch is split
        ModelConfig cfg = new ModelConfig(11, 6, 8, 2, 12, 10, 2, new int[]{1}, 3,
                new AttentionKConfig(1.0, 1, 0, 0, 0.05, 0.01, false), false)
                .withHead(ModelHead.classification(3, Pooling.MEAN));
        Supplier<MoETransformer> fresh = () -> new MoETransformer(cfg, 4, DataType.DOUBLE, InProcessDispatcher::new);
        TokenBatch batch = sentences(new int[]{2, 0, 1}, null);
        MoETransformer one = fresh.get();
        MoETransformer grouped = fresh.get();
        double a = one.forward(batch, false).crossEntropy();
        double b = 0;
        for (int g = 0; g < 3; g++) {
            TokenBatch seq = batch.sequences(g, g + 1);
            SegmentedPass pass = grouped.segmentedForward(seq, false,
                    BatchShare.of(seq.realTokens(), batch.realTokens(), batch.countedTargets()));
            while (pass.awaitingExperts()) pass.resume(pass.moe().experts().forward(pass.experts(), pass.dispatched()));
            b += pass.loss().crossEntropy();
        }
        assertEquals(a, b, 1e-12);
    }

    @Test
    void headsCheckTheirTargets() {
        MoETransformer model = new MoETransformer(text(ModelHead.classification(3, Pooling.MEAN), false), 1,
                DataType.DOUBLE, InProcessDispatcher::new);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> model.forward(sentences(null, new float[]{1, 2, 3}), true));
        assertTrue(e.getMessage().contains("class ids"), e.getMessage());
        IllegalArgumentException img = assertThrows(IllegalArgumentException.class,
                () -> model.forward(TokenBatch.images(1, 6, new float[4], new int[]{0}), true));
        assertTrue(img.getMessage().contains("token ids"), img.getMessage());
    }

    private static void check(ModelConfig cfg, TokenBatch batch) {
        MoETransformer model = new MoETransformer(cfg, 5, DataType.DOUBLE, InProcessDispatcher::new);
        model.zeroGrads();
        model.forward(batch, true);
        model.backward();
        List<GradientCheck.Failure> failures = GradientCheck.variables().addParams(model.params())
                .check(() -> model.forward(batch, true).total(), 150, 1e-6, 1e-5, 1e-8);
        assertTrue(failures.isEmpty(), () -> cfg.head() + " " + cfg.input() + ": " + failures);
    }
}
