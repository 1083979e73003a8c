package dev.sparkmoe.driver.run.domainbed;

import dev.sparkmoe.data.domainbed.DomainBedSources;
import dev.sparkmoe.data.domainbed.DomainImages;
import dev.sparkmoe.data.domainbed.LodoSplit;
import dev.sparkmoe.data.domainbed.TrainingDomainSelection;
import dev.sparkmoe.worker.train.Evaluation;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.function.LongFunction;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The evaluation batches cover each held-out split and the test domain once; accuracy is argmax against the label. */
class HeldOutEvaluationTest {
    @Test
    void logitsThatPickTheLabelOnEveryOtherExampleScoreAboutHalf() throws IOException {
        DomainImages images = DomainBedSources.load(DomainBedSources.Request.of("RotatedDigits", null), new Configuration());
        DomainBedExamples examples = DomainBedExamples.of(images, 17);
        LodoSplit split = LodoSplit.of(images.domainSizes(), 3, 0.2, 1);
        HeldOutEvaluation heldOut = new HeldOutEvaluation(examples, split, 64, 10);
        LongFunction<int[]> chooser = heldOut.chooser();
        float[][] logits = new float[heldOut.batches()][];
        int[] expectedCorrect = new int[split.trainDomains().length + 1];
        int seen = 0;
        for (int b = 0; b < logits.length; b++) {
            int[] rows = chooser.apply(b);
            logits[b] = new float[rows.length * 10];
            for (int r = 0; r < rows.length; r++) {
                int label = examples.label(rows[r]);
                boolean right = (seen++ % 2) == 0;
                logits[b][r * 10 + (right ? label : (label + 1) % 10)] = 5f;
            }
        }
        TrainingDomainSelection.Evaluation counts = heldOut.score(7, new Evaluation(0, 0, logits)).counts();
        int[] train = split.trainDomains();
        int[] valTotal = new int[train.length];
        for (int k = 0; k < train.length; k++) valTotal[k] = split.val(train[k]).length;
        assertArrayEquals(valTotal, counts.valTotal(), "each held-out split counted once");
        assertEquals(split.test(3).length, counts.testTotal());
        assertEquals(7, counts.step());
        assertEquals(0.5, counts.valAccuracy(), 0.02);
        assertEquals(0.5, counts.testAccuracy(), 0.02);
    }
}
