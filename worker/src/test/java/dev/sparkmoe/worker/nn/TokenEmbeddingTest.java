package dev.sparkmoe.worker.nn;

import dev.sparkmoe.testing.GradientCheck;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TokenEmbeddingTest {
    private static final int V = 5;
    private static final int D = 3;
    private static final int[] TOKENS = {1, 4, 1, 0, 1, 3};   // repeats accumulate; id 2 unused

    private static TokenEmbedding bound(TestParams p) {
        TokenEmbedding e = new TokenEmbedding("emb", V, D);
        e.bind(p.slicer());
        return e;
    }

    @Test
    void lookupReturnsTableRows() {
        TestParams p = TestParams.zeros(new ParamSlicer.Sizes(V * D, 0)).randomise(1, 1.0);
        TokenEmbedding e = bound(p);
        INDArray y = e.forward(TOKENS);
        for (int t = 0; t < TOKENS.length; t++) assertEquals(e.table().value().getRow(TOKENS[t]), y.getRow(t));
    }

    @Test
    void lookupGradientAccumulatesRepeatedIds() {
        TestParams p = TestParams.zeros(new ParamSlicer.Sizes(V * D, 0)).randomise(2, 1.0);
        TokenEmbedding e = bound(p);
        INDArray g = GradientCheck.random(3, 1.0, TOKENS.length, D);
        e.forward(TOKENS);
        e.backward(g);
        assertEquals(g.getRow(0).add(g.getRow(2)).add(g.getRow(4)), e.table().grad().getRow(1));
        assertEquals(0.0, e.table().grad().getRow(2).norm2Number().doubleValue());
        p.assertGradients(() -> GradientCheck.dot(g, e.forward(TOKENS)), new String[0], new INDArray[0], new INDArray[0]);
    }

    @Test
    void tiedHeadGradientOfInputAndTable() {
        TestParams p = TestParams.zeros(new ParamSlicer.Sizes(V * D, 0)).randomise(4, 1.0);
        TokenEmbedding e = bound(p);
        INDArray h = GradientCheck.random(5, 1.0, 4, D);
        INDArray g = GradientCheck.random(6, 1.0, 4, V);
        e.logits(h);
        INDArray dh = e.logitsBackward(g);
        p.assertGradients(() -> GradientCheck.dot(g, e.logits(h)), new String[] {"h"}, new INDArray[] {h}, new INDArray[] {dh});
    }

    @Test
    void tableUsedTwiceAccumulatesBothGradients() {
        TestParams p = TestParams.zeros(new ParamSlicer.Sizes(V * D, 0)).randomise(7, 1.0);
        TokenEmbedding e = bound(p);
        INDArray g = GradientCheck.random(8, 1.0, TOKENS.length, V);
        e.logits(e.forward(TOKENS));                 // L = Σ G ⊙ (E[tokens]·Eᵀ): quadratic in the table
        e.backward(e.logitsBackward(g));
        TestParams.assertNonZero(p.decayed.grad(), "table");
        p.assertGradients(() -> GradientCheck.dot(g, e.logits(e.forward(TOKENS))),
                new String[0], new INDArray[0], new INDArray[0]);
    }

    @Test
    void bothUsesAddToExistingGradients() {
        TestParams p = TestParams.zeros(new ParamSlicer.Sizes(V * D, 0)).randomise(9, 1.0);
        TokenEmbedding e = bound(p);
        INDArray g = GradientCheck.random(10, 1.0, TOKENS.length, V);
        e.logits(e.forward(TOKENS));
        e.backward(e.logitsBackward(g));
        INDArray once = p.decayed.grad().dup();
        e.logits(e.forward(TOKENS));
        e.backward(e.logitsBackward(g));
        assertTrue(p.decayed.grad().equalsWithEps(once.mul(2), 1e-12), "second step did not accumulate");
    }

    @Test
    void validatesTokensAndShapes() {
        TokenEmbedding e = bound(TestParams.zeros(new ParamSlicer.Sizes(V * D, 0)));
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> e.forward(new int[] {0, 5}));
        assertTrue(bad.getMessage().contains("emb") && bad.getMessage().contains("5") && bad.getMessage().contains("position 1"),
                bad.getMessage());
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
                () -> e.logits(Nd4j.zeros(DataType.DOUBLE, 2, D + 1)));
        assertTrue(shape.getMessage().contains("[N, 3]") && shape.getMessage().contains("[2, 4]"), shape.getMessage());
    }

    @Test
    void initIsDeterministic() {
        TestParams a = TestParams.zeros(new ParamSlicer.Sizes(V * D, 0));
        TestParams b = TestParams.zeros(new ParamSlicer.Sizes(V * D, 0));
        bound(a).init(5);
        bound(b).init(5);
        assertEquals(a.decayed.value(), b.decayed.value());
        assertTrue(a.decayed.value().norm2Number().doubleValue() > 0);
    }
}
