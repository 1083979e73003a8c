package dev.sparkmoe.worker.model;

import dev.sparkmoe.routing.AttentionKConfig;
import dev.sparkmoe.routing.RouterConfig;
import dev.sparkmoe.routing.TopAnyConfig;
import dev.sparkmoe.routing.TopKConfig;
import dev.sparkmoe.worker.moe.InProcessDispatcher;
import dev.sparkmoe.worker.moe.MoELayer;
import dev.sparkmoe.worker.optim.AdamW;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The segmented pass driven from outside with the in-process experts is the monolithic
 * {@link MoETransformer#forward}/{@link MoETransformer#backward} bit for bit: losses, every
 * gradient, and the parameters after optimiser steps.
 */
class SegmentedPassTest {
    static final int V = 16, S = 8, B = 8;

    /** The three routers, each with aux losses on and (where it has one) a binding capacity. */
    static Stream<RouterConfig> routers() {
        return Stream.of(new TopKConfig(2, 1.0, true, 0.01, 0.001), new TopAnyConfig(1.0, false, 0.01, 0.01, 0.01),
                new AttentionKConfig(1.0, 1, 0, 1.0, 0.01, 0.001, true));
    }

    /** Three blocks, MoE at 0 and 2 (a dense block between them), 4 experts. */
    static ModelConfig config(RouterConfig router) {
        return new ModelConfig(V, S, 16, 2, 32, 24, 3, new int[]{0, 2}, 4, router, true);
    }

    static MoETransformer model(RouterConfig router, long seed) {
        return new MoETransformer(config(router), seed, DataType.FLOAT, InProcessDispatcher::new);
    }

    /** Every router with one routing group and with three. */
    static Stream<Arguments> routersAndGroups() {
        return routers().flatMap(r -> Stream.of(Arguments.of(r, 1), Arguments.of(r, 3)));
    }

    /** Sequences counting upward mod V from a random start, in three routing groups (3, 3, 2). */
    static TokenBatch batch(long step) {
        return batch(step, 3);
    }

    /** The same sequences in {@code groups} routing groups. */
    static TokenBatch batch(long step, int groups) {
        SplittableRandom rng = new SplittableRandom(step);
        int[][] w = new int[B][S + 1];
        for (int[] seq : w) {
            int start = rng.nextInt(V);
            for (int i = 0; i < seq.length; i++) seq[i] = (start + i * (1 + rng.nextInt(2))) % V;
        }
        return TokenBatch.ofWindows(w).withEvenGroups(groups);
    }

    @ParameterizedTest
    @MethodSource("routersAndGroups")
    void externallyDrivenPassIsTheMonolithicPassBitForBit(RouterConfig router, int groups) {
        MoETransformer mono = model(router, 7);
        MoETransformer seg = model(router, 7);
        AdamW optMono = new AdamW(0.9, 0.95, 1e-8, 0.01);
        AdamW optSeg = new AdamW(0.9, 0.95, 1e-8, 0.01);
        boolean dropped = false;
        for (int step = 0; step < 3; step++) {
            TokenBatch batch = batch(step, groups);
            mono.zeroGrads();
            seg.zeroGrads();
            MoETransformer.LossBreakdown expected = mono.forward(batch, true);
            mono.backward();

            List<Integer> forwardOrder = new ArrayList<>();
            List<Integer> backwardOrder = new ArrayList<>();
            SegmentedPass pass = seg.segmentedForward(batch, true);
            while (pass.awaitingExperts()) {
                forwardOrder.add(pass.moeLayer());
                MoELayer moe = seg.moeLayers().get(pass.moeLayer());
                pass.resume(moe.experts().forward(pass.experts(), pass.dispatched()));
            }
            MoETransformer.LossBreakdown got = pass.loss();
            pass.beginBackward();
            while (pass.awaitingExpertGradients()) {
                backwardOrder.add(pass.moeLayer());
                MoELayer moe = seg.moeLayers().get(pass.moeLayer());
                pass.resumeBackward(moe.experts().backward(pass.expertOutputGradient()));
            }
            assertTrue(pass.backwardDone());
            assertEquals(List.of(0, 1), forwardOrder);
            assertEquals(List.of(1, 0), backwardOrder);

            assertEquals(expected.crossEntropy(), got.crossEntropy(), 0.0, router + " step " + step);
            assertEquals(expected.aux(), got.aux(), 0.0, router + " step " + step);
            assertTrue(got.aux() > 0, "aux losses are on");
            assertBitEqual(grads(mono), grads(seg), router + " grads, step " + step);
            for (MoELayer m : seg.moeLayers()) dropped |= m.lastRouting().decision().droppedAssignments() > 0;

            optMono.step(mono.decayedParams(), mono.plainParams(), 1e-2);
            optSeg.step(seg.decayedParams(), seg.plainParams(), 1e-2);
            assertBitEqual(values(mono), values(seg), router + " params after step " + step);
        }
        if (groups > 1 && !(router instanceof TopAnyConfig)) assertTrue(dropped, router + ": per-group capacity must bind");
        TokenBatch eval = batch(99);
        assertEquals(mono.forward(eval, false).total(), drive(seg, eval, false).total(), 0.0, "evaluation");
    }

    @Test
    void modelForwardIsDeterministicAndDependsOnTheSeed() {
        RouterConfig router = routers().findFirst().orElseThrow();
        TokenBatch batch = batch(3);
        double a = model(router, 1).forward(batch, true).total();
        assertEquals(a, model(router, 1).forward(batch, true).total(), 0.0);
        assertNotEquals(a, model(router, 2).forward(batch, true).total(), "a test that cannot fail is no test");
    }

    @Test
    void misuseFailsFast() {
        MoETransformer model = model(routers().findFirst().orElseThrow(), 3);
        SegmentedPass pass = model.segmentedForward(batch(0), true);
        assertTrue(pass.awaitingExperts());
        assertFalse(pass.awaitingExpertGradients());
        assertThrows(IllegalStateException.class, pass::loss);
        assertThrows(IllegalStateException.class, pass::beginBackward);
        assertThrows(IllegalStateException.class, pass::expertOutputGradient);
        INDArray rows = pass.dispatched().rows();
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> pass.resume(rows.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 1),
                        org.nd4j.linalg.indexing.NDArrayIndex.all())));
        assertTrue(bad.getMessage().contains("MoE layer 0"), bad.getMessage());
        assertThrows(IllegalArgumentException.class, () -> pass.resume(null));

        SegmentedPass newer = model.segmentedForward(batch(1), true);
        IllegalStateException stale = assertThrows(IllegalStateException.class, pass::awaitingExperts);
        assertTrue(stale.getMessage().contains("superseded"), stale.getMessage());
        assertTrue(newer.awaitingExperts());
        model.forward(batch(1), true);
        assertThrows(IllegalStateException.class, newer::dispatched);
    }

    /** Runs a pass with the in-process experts (forward only). */
    static MoETransformer.LossBreakdown drive(MoETransformer model, TokenBatch batch, boolean training) {
        SegmentedPass pass = model.segmentedForward(batch, training);
        while (pass.awaitingExperts()) {
            pass.resume(pass.moe().experts().forward(pass.experts(), pass.dispatched()));
        }
        return pass.loss();
    }

    static List<float[]> grads(MoETransformer model) {
        return model.params().stream().map(p -> flat(p.grad())).toList();
    }

    static List<float[]> values(MoETransformer model) {
        return model.params().stream().map(p -> flat(p.value())).toList();
    }

    static float[] flat(INDArray a) {
        return a.dup().reshape(a.length()).toFloatVector();
    }

    static void assertBitEqual(List<float[]> expected, List<float[]> got, String what) {
        assertEquals(expected.size(), got.size(), what);
        for (int i = 0; i < expected.size(); i++) assertArrayEquals(expected.get(i), got.get(i), what + ", param " + i);
    }
}
