package dev.sparkmoe.worker.train;

import dev.sparkmoe.routing.AttentionKConfig;
import dev.sparkmoe.routing.ControllerConfig;
import dev.sparkmoe.routing.RouterConfig;
import dev.sparkmoe.routing.TopAnyConfig;
import dev.sparkmoe.routing.TopKConfig;
import dev.sparkmoe.routing.UpdateSchedule;
import dev.sparkmoe.worker.model.MoETransformer;
import dev.sparkmoe.worker.moe.InProcessDispatcher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The reference trainer on batches routed in groups (the Spark engine's data partitions). */
class GroupedTrainingTest {
    static final int B = ReferenceTrainerTest.B;

    static Stream<RouterConfig> routers() {
        return Stream.of(new TopKConfig(2, 1.0, true, 0.01, 0.001), TopAnyConfig.defaults(),
                new AttentionKConfig(1.0, 1, 0, 1.0, 0.01, 0.001, false));
    }

    /** The counting batches in three groups of 3, 3 and 2 sequences. */
    static TokenBatches grouped() { return s -> ReferenceTrainerTest.counting(s).withEvenGroups(3); }

    @Test
    void learnsWithGroupedBatches() {
        RouterConfig router = new TopKConfig(2, 1.0, true, 0.01, 0.001);
        MoETransformer model = new MoETransformer(ReferenceTrainerTest.model(router), 1, DataType.FLOAT,
                InProcessDispatcher::new);
        ReferenceTrainer trainer = new ReferenceTrainer(model, ReferenceTrainerTest.trainer(60), grouped(), null);
        List<StepMetrics> metrics = new ArrayList<>();
        trainer.run(0, metrics::add);
        double first = metrics.get(0).loss();
        double last = metrics.get(metrics.size() - 1).loss();
        assertTrue(last < 0.25 * first, "loss " + first + " -> " + last);
        assertEquals(B * ReferenceTrainerTest.S, metrics.get(0).tokens());
    }

    @ParameterizedTest
    @MethodSource("routers")
    void groupedTrainingIsBitDeterministic(RouterConfig router) {
        List<float[]> a = trainAndDump(router, grouped());
        List<float[]> b = trainAndDump(router, grouped());
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) assertArrayEquals(a.get(i), b.get(i), "param " + i);
    }

    @Test
    void explicitSingleGroupIsTheDefaultBitForBit() {
        RouterConfig router = new TopKConfig(2, 1.0, true, 0.01, 0.001);
        List<float[]> a = trainAndDump(router, ReferenceTrainerTest::counting);
        List<float[]> b = trainAndDump(router, s -> ReferenceTrainerTest.counting(s).withGroups(0, B));
        for (int i = 0; i < a.size(); i++) assertArrayEquals(a.get(i), b.get(i), "param " + i);
        List<float[]> c = trainAndDump(router, grouped());
        boolean differs = false;
        for (int i = 0; i < a.size(); i++) differs |= !java.util.Arrays.equals(a.get(i), c.get(i));
        assertTrue(differs, "per-group capacity and load balance change training");
    }

    private static List<float[]> trainAndDump(RouterConfig router, TokenBatches source) {
        MoETransformer model = new MoETransformer(ReferenceTrainerTest.model(router), 9, DataType.FLOAT,
                InProcessDispatcher::new);
        ExpertController controller = new ExpertController(ControllerConfig.of(8), new UpdateSchedule(2, 1));
        new ReferenceTrainer(model, ReferenceTrainerTest.trainer(4), source, controller).run(0, m -> { });
        return model.params().stream().map(p -> p.value().dup().reshape(p.length()).toFloatVector()).toList();
    }
}
