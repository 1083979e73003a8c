package dev.sparkmoe.worker.nn;

import dev.sparkmoe.routing.Param;
import dev.sparkmoe.testing.GradientCheck;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Training runs in float32 while the gradient checks run in float64: the same layer, values and upstream gradient
 * in both precisions must agree (guards against precision-specific ND4J kernels, such as its float64 softmax).
 */
class Float32ConsistencyTest {
    private static final int B = 2;
    private static final int S = 4;
    private static final int D = 8;
    private static final boolean[] PAD = {false, false, false, true, false, true, true, true};

    /** Forward, backward with upstream G, then returns [y, dx, decayed grad, plain grad]. */
    private interface Layer {
        INDArray[] run(ParamSlicer s, INDArray x, INDArray g);
    }

    private static void assertSame32And64(ParamSlicer.Sizes sizes, long[] outShape, Layer layer) {
        TestParams p64 = TestParams.zeros(sizes).randomise(1, 0.5);
        Param d32 = new Param("d", p64.decayed.value().castTo(DataType.FLOAT));
        Param pl32 = new Param("p", p64.plain.value().castTo(DataType.FLOAT));
        INDArray x = GradientCheck.random(2, 1.0, B * S, D);
        INDArray g = GradientCheck.random(3, 1.0, outShape);
        INDArray[] r64 = layer.run(p64.slicer(), x, g);
        INDArray[] r32 = layer.run(new ParamSlicer(d32, pl32), x.castTo(DataType.FLOAT), g.castTo(DataType.FLOAT));
        for (int i = 0; i < r64.length; i++) {
            INDArray a = r64[i];
            INDArray b = r32[i].castTo(DataType.DOUBLE);
            double err = a.sub(b).norm2Number().doubleValue() / Math.max(1e-12, a.norm2Number().doubleValue());
            assertTrue(err < 1e-5, "output " + i + " relative difference " + err);
        }
    }

    private static INDArray[] result(INDArray y, INDArray dx) {
        return new INDArray[] {y, dx};
    }

    @Test
    void attentionCausalWithPadding() {
        Function<ParamSlicer, MultiHeadAttention> make = s -> {
            MultiHeadAttention a = new MultiHeadAttention("attn", D, 2, true);
            a.bind(s);
            return a;
        };
        assertSame32And64(new MultiHeadAttention("attn", D, 2, true).sizes(), new long[] {B * S, D}, (s, x, g) -> {
            MultiHeadAttention a = make.apply(s);
            INDArray y = a.forward(x, B, S, PAD);
            INDArray probs = a.attentionProbs().dup();
            return new INDArray[] {y, probs, a.backward(g)};
        });
    }

    @Test
    void feedForwardAndLayerNorm() {
        assertSame32And64(new FeedForward("ffn", D, 16).sizes(), new long[] {B * S, D}, (s, x, g) -> {
            FeedForward f = new FeedForward("ffn", D, 16);
            f.bind(s);
            return result(f.forward(x), f.backward(g));
        });
        assertSame32And64(new LayerNorm("ln", D, 1e-5).sizes(), new long[] {B * S, D}, (s, x, g) -> {
            LayerNorm ln = new LayerNorm("ln", D, 1e-5);
            ln.bind(s);
            return result(ln.forward(x), ln.backward(g));
        });
    }

    @Test
    void tiedEmbeddingAndCrossEntropy() {
        int vocab = 11;
        int[] tokens = {3, 1, 4, 1, 5, 9, 2, 6};
        int[] labels = {1, 4, 1, 5, 9, 2, 6, -1};
        assertSame32And64(new ParamSlicer.Sizes((long) vocab * D, 0), new long[] {B * S, vocab}, (s, x, g) -> {
            TokenEmbedding e = new TokenEmbedding("emb", vocab, D);
            e.bind(s);
            INDArray logits = e.logits(e.forward(tokens).muli(4));
            LossResult loss = SoftmaxCrossEntropy.compute(logits, labels, -1);
            e.backward(e.logitsBackward(loss.dLogits()).muli(4));
            return new INDArray[] {logits, loss.dLogits(), e.table().grad().dup()};
        });
    }
}
