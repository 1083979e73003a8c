package dev.sparkmoe.routing;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AttentionImportanceTest {

    /** Random row-stochastic attention {@code [B, H, S, S]}. */
    static INDArray randomAttention(long seed, int b, int h, int s) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] data = new double[b * h * s * s];
        for (int row = 0; row < b * h * s; row++) {
            double sum = 0;
            for (int k = 0; k < s; k++) sum += data[row * s + k] = 0.05 + rng.nextDouble();
            for (int k = 0; k < s; k++) data[row * s + k] /= sum;
        }
        return Nd4j.create(data, new long[]{b, h, s, s}, DataType.DOUBLE);
    }

    /**
     * One sequence, two heads, three tokens; rows are queries.
     * Attention received (summed over queries): head 0: [0.8, 0.95, 1.25]; head 1: [1.9, 0.7, 0.4].
     */
    static INDArray handMade() {
        double[] data = {
                0.5, 0.25, 0.25, 0.2, 0.6, 0.2, 0.1, 0.1, 0.8,    // head 0
                1.0, 0.0, 0.0, 0.5, 0.5, 0.0, 0.4, 0.2, 0.4,      // head 1
        };
        return Nd4j.create(data, new long[]{1, 2, 3, 3}, DataType.DOUBLE);
    }

    @Test
    void importanceIsAttentionReceivedAveragedOverHeadsAndQueries() {
        double[] a = AttentionImportance.importance(handMade(), null, 3, 3);
        // (1/H)(1/n) Σ: (0.8+1.9)/6, (0.95+0.7)/6, (1.25+0.4)/6
        assertArrayEquals(new double[]{0.45, 0.275, 0.275}, a, 1e-12);
        double[] r = AttentionImportance.normalized(a, null, 3);
        assertArrayEquals(new double[]{1.0, 0.275 / 0.45, 0.275 / 0.45}, r, 1e-12);
    }

    @Test
    void kFromHandMadeAttention() {
        AttentionKConfig cfg = new AttentionKConfig(1.0, 1, 0, 0, 0, 0, false);
        // r·E = [4, 2.44, 2.44] → K = [4, 3, 3]
        assertArrayEquals(new int[]{4, 3, 3}, AttentionImportance.kPerToken(handMade(), null, 3, 3, 4, cfg));
        // kScale 0.5: [2, 1.22, 1.22] → [2, 2, 2]
        AttentionKConfig half = new AttentionKConfig(0.5, 1, 0, 0, 0, 0, false);
        assertArrayEquals(new int[]{2, 2, 2}, AttentionImportance.kPerToken(handMade(), null, 3, 3, 4, half));
        // clamp: kMin 3 lifts, kMax 3 caps
        AttentionKConfig clamp = new AttentionKConfig(0.5, 3, 3, 0, 0, 0, false);
        assertArrayEquals(new int[]{3, 3, 3}, AttentionImportance.kPerToken(handMade(), null, 3, 3, 4, clamp));
        AttentionKConfig cap = new AttentionKConfig(1.0, 1, 3, 0, 0, 0, false);
        assertArrayEquals(new int[]{3, 3, 3}, AttentionImportance.kPerToken(handMade(), null, 3, 3, 4, cap));
        // E = 8: [8, 4.89, 4.89] → [8, 5, 5]
        assertArrayEquals(new int[]{8, 5, 5}, AttentionImportance.kPerToken(handMade(), null, 3, 3, 8, cfg));
    }

    @Test
    void paddingIsExcludedAsQueryAndKey() {
        boolean[] pad = {false, false, true};
        double[] a = AttentionImportance.importance(handMade(), pad, 3, 3);
        // queries 0,1 and keys 0,1 only, n = 2: head 0 keys [0.7, 0.85], head 1 [1.5, 0.5]
        assertArrayEquals(new double[]{2.2 / 4, 1.35 / 4, 0}, a, 1e-12);
        AttentionKConfig cfg = new AttentionKConfig(1.0, 1, 0, 0, 0, 0, false);
        // r = [1, 0.6136] → [4, ceil(2.45)] = [4, 3], padding 0
        assertArrayEquals(new int[]{4, 3, 0}, AttentionImportance.kPerToken(handMade(), pad, 3, 3, 4, cfg));
    }

    @Test
    void normalisationIsPerSequence() {
        // sequence 0: the hand-made one; sequence 1: uniform attention (every r = 1)
        INDArray attn = Nd4j.concat(0, handMade(), Nd4j.valueArrayOf(new long[]{1, 2, 3, 3}, 1.0 / 3, DataType.DOUBLE));
        AttentionKConfig cfg = new AttentionKConfig(1.0, 1, 0, 0, 0, 0, false);
        assertArrayEquals(new int[]{4, 3, 3, 4, 4, 4}, AttentionImportance.kPerToken(attn, null, 6, 3, 4, cfg));
    }

    @Test
    void worksInFloat32() {
        AttentionKConfig cfg = new AttentionKConfig(1.0, 1, 0, 0, 0, 0, false);
        INDArray attn = randomAttention(3, 2, 4, 5);
        assertArrayEquals(AttentionImportance.kPerToken(attn, null, 10, 5, 8, cfg),
                AttentionImportance.kPerToken(attn.castTo(DataType.FLOAT), null, 10, 5, 8, cfg));
    }

    @Test
    void missingOrMisShapedAttentionIsRejectedWithShapes() {
        AttentionKConfig cfg = new AttentionKConfig(1.0, 1, 0, 0, 0, 0, false);
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> AttentionImportance.kPerToken(null, null, 6, 3, 4, cfg));
        assertTrue(missing.getMessage().contains("missing") && missing.getMessage().contains("[B, H, S, S]"), missing.getMessage());
        IllegalArgumentException wrongT = assertThrows(IllegalArgumentException.class,
                () -> AttentionImportance.kPerToken(handMade(), null, 6, 3, 4, cfg));
        assertTrue(wrongT.getMessage().contains("T = 6") && wrongT.getMessage().contains("[1, 2, 3, 3]"), wrongT.getMessage());
        IllegalArgumentException notSquare = assertThrows(IllegalArgumentException.class,
                () -> AttentionImportance.kPerToken(Nd4j.zeros(DataType.DOUBLE, 1, 2, 3, 4), null, 3, 3, 4, cfg));
        assertTrue(notSquare.getMessage().contains("[1, 2, 3, 4]"), notSquare.getMessage());
        IllegalArgumentException rank3 = assertThrows(IllegalArgumentException.class,
                () -> AttentionImportance.kPerToken(Nd4j.zeros(DataType.DOUBLE, 2, 3, 3), null, 3, 3, 4, cfg));
        assertTrue(rank3.getMessage().contains("[2, 3, 3]"), rank3.getMessage());
        IllegalArgumentException wrongS = assertThrows(IllegalArgumentException.class,
                () -> AttentionImportance.kPerToken(handMade(), null, 3, 4, 4, cfg));
        assertTrue(wrongS.getMessage().contains("sequenceLength = 4"), wrongS.getMessage());
    }
}
