package dev.sparkmoe.worker.nn;

import dev.sparkmoe.testing.GradientCheck;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PatchEmbeddingTest {
    private static final int C = 2;
    private static final int HEIGHT = 4;
    private static final int WIDTH = 6;
    private static final int P = 2;
    private static final int D = 3;
    private static final int N = (HEIGHT / P) * (WIDTH / P);

    private static PatchEmbedding bound(TestParams p) {
        PatchEmbedding e = new PatchEmbedding("patch", C, HEIGHT, WIDTH, P, D);
        e.bind(p.slicer());
        return e;
    }

    private static TestParams params(long seed) {
        return TestParams.zeros(new PatchEmbedding("patch", C, HEIGHT, WIDTH, P, D).sizes()).randomise(seed, 0.5);
    }

    @Test
    void outputRowsAreClassTokenThenProjectedPatchesPlusPositions() {
        TestParams p = params(1);
        PatchEmbedding e = bound(p);
        INDArray images = GradientCheck.random(2, 1.0, 2, C * HEIGHT * WIDTH);
        INDArray y = e.forward(images);
        assertEquals(N + 1, e.tokensPerImage());
        assertArrayEquals(new long[] {2L * (N + 1), D}, y.shape());
        long wSize = (long) C * P * P * D;
        INDArray w = p.decayed.value().get(NDArrayIndex.interval(0, wSize)).reshape('c', C * P * P, D);
        INDArray bias = p.plain.value().get(NDArrayIndex.interval(0, D));
        INDArray cls = p.plain.value().get(NDArrayIndex.interval(D, 2 * D));
        INDArray pos = p.plain.value().get(NDArrayIndex.interval(2 * D, 2 * D + (N + 1) * D)).reshape('c', N + 1, D);
        int b = 1;
        assertTrue(y.getRow(b * (N + 1)).equalsWithEps(cls.add(pos.getRow(0)), 1e-12));
        for (int py = 0; py < HEIGHT / P; py++) {
            for (int px = 0; px < WIDTH / P; px++) {
                double[] patch = new double[C * P * P];
                int i = 0;
                for (int c = 0; c < C; c++)
                    for (int dy = 0; dy < P; dy++)
                        for (int dx = 0; dx < P; dx++)
                            patch[i++] = images.getDouble(b, (long) c * HEIGHT * WIDTH + (py * P + dy) * WIDTH + px * P + dx);
                int n = py * (WIDTH / P) + px;
                INDArray expected = org.nd4j.linalg.factory.Nd4j.createFromArray(new double[][] {patch}).mmul(w)
                        .addRowVector(bias).addRowVector(pos.getRow(n + 1));
                assertTrue(y.getRow(b * (N + 1) + n + 1).equalsWithEps(expected.reshape(D), 1e-12), "patch " + n);
            }
        }
    }

    @Test
    void gradientsOfAllParameters() {
        TestParams p = params(3);
        PatchEmbedding e = bound(p);
        INDArray images = GradientCheck.random(4, 1.0, 2, C * HEIGHT * WIDTH);
        INDArray g = GradientCheck.random(5, 1.0, 2 * (N + 1), D);
        e.forward(images);
        e.backward(g);
        TestParams.assertNonZero(p.decayed.grad(), "projection");
        p.assertGradients(() -> GradientCheck.dot(g, e.forward(images)), new String[0], new INDArray[0], new INDArray[0]);
    }

    @Test
    void rejectsIndivisibleImagesAndWrongInput() {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                () -> new PatchEmbedding("patch", 3, 5, 4, 2, 8));
        assertTrue(ex.getMessage().contains("5×4") && ex.getMessage().contains("2×2"), ex.getMessage());
        PatchEmbedding e = bound(params(1));
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
                () -> e.forward(GradientCheck.random(1, 1.0, 2, 10)));
        assertTrue(shape.getMessage().startsWith("patch:") && shape.getMessage().contains("[2, 10]"), shape.getMessage());
    }

    @Test
    void initIsDeterministic() {
        TestParams a = params(0);
        TestParams b = params(99);
        bound(a).init(4);
        bound(b).init(4);
        assertEquals(a.decayed.value(), b.decayed.value());
        assertEquals(a.plain.value(), b.plain.value());
        assertEquals(0.0, a.plain.value().get(NDArrayIndex.interval(0, D)).norm2Number().doubleValue());
    }
}
