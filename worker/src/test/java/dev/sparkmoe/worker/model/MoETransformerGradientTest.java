package dev.sparkmoe.worker.model;

import dev.sparkmoe.routing.TopKConfig;
import dev.sparkmoe.testing.GradientCheck;
import dev.sparkmoe.worker.moe.InProcessDispatcher;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The whole language model — embeddings, attention, dense and MoE FFNs, tied head, loss — in float64. */
class MoETransformerGradientTest {

    @Test
    void everyParameterMatchesCentralDifferences() {
        ModelConfig cfg = new ModelConfig(11, 5, 8, 2, 12, 10, 2, new int[]{1}, 3,
                new TopKConfig(2, 0, true, 0.05, 0.01), true);
        MoETransformer model = new MoETransformer(cfg, 5, DataType.DOUBLE, InProcessDispatcher::new);
        TokenBatch batch = TokenBatch.ofWindows(new int[][]{{1, 4, 2, 9, 0, 3}, {7, 7, 5, 10, 2, 6}});

        model.zeroGrads();
        model.forward(batch, true);
        model.backward();

        List<GradientCheck.Failure> failures = GradientCheck.variables().addParams(model.params())
                .check(() -> model.forward(batch, true).total(), 150, 1e-6, 1e-5, 1e-8);
        assertTrue(failures.isEmpty(), failures::toString);
    }
}
