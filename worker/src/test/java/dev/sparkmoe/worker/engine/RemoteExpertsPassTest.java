package dev.sparkmoe.worker.engine;

import dev.sparkmoe.routing.AttentionKConfig;
import dev.sparkmoe.routing.Param;
import dev.sparkmoe.routing.RouterConfig;
import dev.sparkmoe.routing.RoutingDecision;
import dev.sparkmoe.routing.TopAnyConfig;
import dev.sparkmoe.routing.TopKConfig;
import dev.sparkmoe.worker.model.ModelConfig;
import dev.sparkmoe.worker.model.SegmentedPass;
import dev.sparkmoe.worker.model.TokenBatch;
import dev.sparkmoe.worker.model.MoETransformer;
import dev.sparkmoe.worker.moe.Expert;
import dev.sparkmoe.worker.moe.ExpertBlocks;
import dev.sparkmoe.worker.moe.InProcessDispatcher;
import dev.sparkmoe.worker.moe.MoELayer;
import dev.sparkmoe.worker.optim.AdamW;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A {@link SegmentedPass} whose expert steps run "remotely", as the Spark engine runs them: the
 * dispatched rows become {@link TokenBlock}s, two simulated expert partitions run copies of the
 * experts rebuilt from {@link ExpertState} (and update them with their own AdamW), and the
 * outputs come back through {@link ExpertOutputBlock}s in shuffled order. Losses, gradients and
 * parameters after optimiser steps equal the in-process {@link MoETransformer} bit for bit.
 */
class RemoteExpertsPassTest {
    static final int V = 16, S = 8, B = 8, D = 16, PARTITION = 0;

    static Stream<RouterConfig> routers() {
        return Stream.of(new TopKConfig(2, 1.0, true, 0.01, 0.001), new TopAnyConfig(1.0, false, 0.01, 0.01, 0.01),
                new AttentionKConfig(1.0, 1, 0, 1.0, 0.01, 0.001, true));
    }

    static MoETransformer model(RouterConfig router) {
        ModelConfig cfg = new ModelConfig(V, S, D, 2, 32, 24, 3, new int[]{0, 2}, 4, router, true);
        return new MoETransformer(cfg, 11, DataType.FLOAT, InProcessDispatcher::new);
    }

    static TokenBatch batch(long step) {
        SplittableRandom rng = new SplittableRandom(step);
        int[][] w = new int[B][S + 1];
        for (int[] seq : w) {
            int start = rng.nextInt(V);
            for (int i = 0; i < seq.length; i++) seq[i] = (start + i * (1 + rng.nextInt(2))) % V;
        }
        return TokenBatch.ofWindows(w).withEvenGroups(3);
    }

    @ParameterizedTest
    @MethodSource("routers")
    void remoteExpertStepsEqualTheInProcessPass(RouterConfig router) {
        MoETransformer local = model(router);
        MoETransformer driver = model(router);  // its own experts stay unused: the executors hold copies
        List<ExpertExecutor> executors = List.of(new ExpertExecutor(0), new ExpertExecutor(1));
        for (ExpertExecutor ex : executors) ex.load(driver);
        AdamW localOpt = new AdamW(0.9, 0.95, 1e-8, 0.01);
        AdamW driverOpt = new AdamW(0.9, 0.95, 1e-8, 0.01);
        for (int step = 0; step < 2; step++) {
            TokenBatch batch = batch(step);
            local.zeroGrads();
            MoETransformer.LossBreakdown expected = local.forward(batch, true);
            local.backward();

            driver.zeroGrads();
            for (ExpertExecutor ex : executors) ex.zeroGrads();
            SegmentedPass pass = driver.segmentedForward(batch, true);
            while (pass.awaitingExperts()) {
                List<TokenBlock> sent = DispatchBlocks.toTokenBlocks(PARTITION, pass.moeLayer(), pass.experts(),
                        pass.dispatched(), pass.decision().tokenIndex());
                pass.resume(shuffle(pass, sent, true, executors));
            }
            MoETransformer.LossBreakdown got = pass.loss();
            pass.beginBackward();
            while (pass.awaitingExpertGradients()) {
                RoutingDecision d = pass.decision();
                List<TokenBlock> sent = DispatchBlocks.toTokenBlocks(PARTITION, pass.moeLayer(), pass.experts(),
                        new ExpertBlocks(pass.expertOutputGradient(), d.expertOffsets()), d.tokenIndex());
                pass.resumeBackward(shuffle(pass, sent, false, executors));
            }

            String at = router + " step " + step;
            assertEquals(expected.crossEntropy(), got.crossEntropy(), 0.0, at);
            assertEquals(expected.aux(), got.aux(), 0.0, at);
            assertParamsEqual(local, driver, executors, true, at + " grads");

            localOpt.step(local.decayedParams(), local.plainParams(), 1e-2);
            driverOpt.step(List.of(driver.denseDecayed()), driverPlain(driver), 1e-2);
            for (ExpertExecutor ex : executors) ex.optimiserStep(1e-2);
            assertParamsEqual(local, driver, executors, false, at + " params");
            // the experts move (placement or checkpoint): values and AdamW moments round-trip
            for (ExpertExecutor ex : executors) ex.roundTrip();
        }
    }

    /** One layer's blocks to the executors hosting their experts, and the results back in reverse order. */
    private static INDArray shuffle(SegmentedPass pass, List<TokenBlock> sent, boolean forward,
                                    List<ExpertExecutor> executors) {
        List<ExpertOutputBlock> back = new ArrayList<>();
        for (ExpertExecutor ex : executors) {
            Iterator<TokenBlock> mine = sent.stream().filter(b -> ex.hosts(b.expertId())).iterator();
            back.addAll(ex.run(mine, forward));
        }
        Collections.reverse(back);
        return DispatchBlocks.gatherOutputs(PARTITION, pass.moeLayer(), pass.experts(), pass.decision().expertOffsets(),
                D, back.iterator(), DataType.FLOAT);
    }

    private static List<Param> driverPlain(MoETransformer driver) {
        List<Param> plain = new ArrayList<>(List.of(driver.densePlain()));
        for (MoELayer m : driver.moeLayers()) plain.addAll(m.router().params());
        return plain;
    }

    /**
     * Every param of {@code local} against the same param on the remote side, in
     * {@link MoETransformer#params()} order: the driver's dense buffers and routers, the
     * executors' experts (router param names are not layer-qualified, so match by position).
     */
    private static void assertParamsEqual(MoETransformer local, MoETransformer driver, List<ExpertExecutor> executors,
                                          boolean grads, String what) {
        List<Param> remote = new ArrayList<>(List.of(driver.denseDecayed(), driver.densePlain()));
        for (MoELayer m : driver.moeLayers()) {
            remote.addAll(m.router().params());
            for (int id : m.experts().ids()) {
                Expert e = executors.get(id % 2).experts.get(Expert.name(m.layerIndex(), id));
                remote.addAll(e.params());
            }
        }
        List<Param> mine = local.params();
        assertEquals(mine.size(), remote.size(), what);
        for (int i = 0; i < mine.size(); i++) {
            Param p = mine.get(i);
            Param q = remote.get(i);
            assertEquals(p.name(), q.name(), what);
            assertArrayEquals(flat(grads ? p.grad() : p.value()), flat(grads ? q.grad() : q.value()), what + ": " + p.name());
        }
    }

    static float[] flat(INDArray a) {
        return a.dup().reshape(a.length()).toFloatVector();
    }

    /**
     * What an expert-partition task does, minus Spark: hosts the experts its placement gives it
     * (id parity here), runs them on the token blocks it receives, and updates them locally.
     */
    private static final class ExpertExecutor {
        final int parity;
        final SortedMap<String, Expert> experts = new TreeMap<>();
        final AdamW optimiser = new AdamW(0.9, 0.95, 1e-8, 0.01);

        ExpertExecutor(int parity) { this.parity = parity; }

        boolean hosts(int expertId) { return expertId % 2 == parity; }

        /** Copies its experts out of the driver model as the engine's initial experts RDD would. */
        void load(MoETransformer model) {
            for (MoELayer m : model.moeLayers()) {
                for (int id : m.experts().ids()) {
                    if (hosts(id)) put(ExpertState.of(m.experts().get(id)).toExpert(DataType.FLOAT));
                }
            }
        }

        void put(Expert e) { experts.put(Expert.name(e.layer(), e.id()), e); }

        void roundTrip() {
            for (Expert e : List.copyOf(experts.values())) put(ExpertState.of(e).toExpert(DataType.FLOAT));
        }

        void zeroGrads() {
            for (Expert e : experts.values()) for (Param p : e.params()) p.grad().assign(0);
        }

        /** Forward (rows → outputs) or backward (output gradients → input gradients) of one layer's blocks. */
        List<ExpertOutputBlock> run(Iterator<TokenBlock> blocks, boolean forward) {
            List<ExpertOutputBlock> out = new ArrayList<>();
            for (Map.Entry<Integer, List<TokenBlock>> byExpert : DispatchBlocks.byExpert(blocks).entrySet()) {
                List<TokenBlock> in = byExpert.getValue();
                Expert e = experts.get(Expert.name(in.get(0).layer(), byExpert.getKey()));
                INDArray rows = DispatchBlocks.concatRows(in, D, DataType.FLOAT);
                out.addAll(DispatchBlocks.toOutputBlocks(in, forward ? e.ffn().forward(rows) : e.ffn().backward(rows)));
            }
            return out;
        }

        void optimiserStep(double lr) {
            List<Param> decayed = new ArrayList<>();
            List<Param> plain = new ArrayList<>();
            for (Expert e : experts.values()) {
                decayed.add(e.weights());
                plain.add(e.biases());
            }
            optimiser.setStepCount(optimiserSteps++);
            optimiser.step(decayed, plain, lr);
        }

        private long optimiserSteps;
    }
}
