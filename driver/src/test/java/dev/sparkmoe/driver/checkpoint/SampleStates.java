package dev.sparkmoe.driver.checkpoint;

import dev.sparkmoe.routing.ExpertSet;
import dev.sparkmoe.routing.RoutingRecord;
import dev.sparkmoe.worker.engine.ExpertState;
import dev.sparkmoe.worker.state.ControllerState;
import dev.sparkmoe.worker.state.DenseTensor;
import dev.sparkmoe.worker.state.PlacementState;
import dev.sparkmoe.worker.state.TrainingState;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Synthetic training states for the format tests: two MoE layers, layer 1 with expert 1 removed
 * (ids 0, 2, 3) and expert 3 too new to have moments, dense tensors with and without moments,
 * a placement with a pending load, and controller state with one open and one closed window.
 * Values include a NaN with a payload and a negative zero.
 */
final class SampleStates {
    static final int D = 4, F = 3;
    static final float ODD_NAN = Float.intBitsToFloat(0x7fc00123);

    private SampleStates() {}

    static TrainingState state(long step) {
        SplittableRandom rng = new SplittableRandom(step);
        List<ExpertSet> sets = List.of(new ExpertSet(new int[]{0, 1, 2}, 3), new ExpertSet(new int[]{0, 2, 3}, 4));
        List<ExpertState> experts = new ArrayList<>();
        for (int l = 0; l < sets.size(); l++) {
            for (int id : sets.get(l).ids()) experts.add(expert(rng, l, id, !(l == 1 && id == 3)));
        }
        float[] decayed = floats(rng, 10);
        decayed[3] = ODD_NAN;
        decayed[4] = -0.0f;
        List<DenseTensor> dense = List.of(
                new DenseTensor("dense.decayed", new long[]{10}, decayed, floats(rng, 10), floats(rng, 10)),
                new DenseTensor("dense.plain", new long[]{6}, floats(rng, 6), new float[0], new float[0]),
                new DenseTensor("router.gates", new long[]{3, D}, floats(rng, 3 * D), floats(rng, 3 * D), floats(rng, 3 * D)),
                new DenseTensor("router.gates", new long[]{3, D}, floats(rng, 3 * D), floats(rng, 3 * D), floats(rng, 3 * D)));
        PlacementState placement = new PlacementState(2, List.of(
                new PlacementState.Layer(Map.of(0, 0, 1, 1, 2, 0), null),
                new PlacementState.Layer(Map.of(0, 1, 2, 0, 3, 1), record(rng, sets.get(1)))));
        ControllerState controller = new ControllerState(List.of(
                new ControllerState.Layer(record(rng, sets.get(0)), Map.of(0, step - 1, 2, step - 3)),
                new ControllerState.Layer(null, Map.of())));
        return new TrainingState(step, 77, step * 2, dense, sets, experts, placement, controller);
    }

    private static ExpertState expert(SplittableRandom rng, int layer, int id, boolean moments) {
        int nw = 2 * D * F, nb = F + D;
        float[] none = new float[0];
        return new ExpertState(layer, id, D, F, floats(rng, nw), floats(rng, nb), moments ? floats(rng, nw) : none,
                moments ? floats(rng, nw) : none, moments ? floats(rng, nb) : none, moments ? floats(rng, nb) : none);
    }

    private static RoutingRecord record(SplittableRandom rng, ExpertSet live) {
        long[] counts = new long[live.size()];
        for (int i = 0; i < counts.length; i++) counts[i] = rng.nextInt(5);
        double[] sum = new double[D];
        for (int i = 0; i < D; i++) sum[i] = rng.nextGaussian() * 1e-3;
        return new RoutingRecord(live.ids(), counts, sum, rng.nextInt(3), 40, 1);
    }

    private static float[] floats(SplittableRandom rng, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) rng.nextGaussian();
        return a;
    }
}
