package dev.sparkmoe.driver.checkpoint;

import dev.sparkmoe.data.lm.SequencePacker;
import dev.sparkmoe.driver.config.CheckpointSettings;
import dev.sparkmoe.routing.ControllerConfig;
import dev.sparkmoe.routing.Param;
import dev.sparkmoe.routing.TopAnyConfig;
import dev.sparkmoe.routing.UpdateSchedule;
import dev.sparkmoe.worker.engine.ExpertState;
import dev.sparkmoe.worker.model.ModelConfig;
import dev.sparkmoe.worker.model.TokenBatch;
import dev.sparkmoe.worker.model.MoETransformer;
import dev.sparkmoe.worker.moe.InProcessDispatcher;
import dev.sparkmoe.worker.state.DenseTensor;
import dev.sparkmoe.worker.state.TrainingState;
import dev.sparkmoe.worker.train.ControllerEvent;
import dev.sparkmoe.worker.train.ExpertController;
import dev.sparkmoe.worker.train.ReferenceTrainer;
import dev.sparkmoe.worker.train.TokenBatches;
import dev.sparkmoe.worker.train.TrainerConfig;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Exact resume through files: the single-process trainer (DynMoE top-any router, controller
 * forced to add and prune) run 12 steps straight, against 5 steps, a checkpoint on disk, brand-new
 * trainer objects restored from it, and 7 more steps. Model and data as in the engine tests'
 * fixture (two MoE layers, the batch in two routing groups).
 */
class CheckpointResumeTest {
    static final int V = 32, S = 8, B = 8, SEED = 5, STEPS = 12, SPLIT = 5;
    static final String CONFIG = "spark-moe { seed = 5, checkpoint.every = 5 }";
    static final TokenBatches DATA = data();

    @TempDir
    Path run;

    static ModelConfig model() {
        return new ModelConfig(V, S, 16, 2, 32, 24, 3, new int[]{0, 2}, 4, TopAnyConfig.defaults(), true);
    }

    static TrainerConfig trainer() {
        return new TrainerConfig(SEED, STEPS, B, 1e-2, 1e-3, 2, 0.01, 0.9, 0.95, 1e-8, 1.0, 0, 0);
    }

    /** Updates after steps 2, 5, 8 and 11: the checkpoint after step 4 holds a window with steps 3 and 4 in it. */
    static ExpertController controller() {
        return new ExpertController(ControllerConfig.of(8), new UpdateSchedule(3, 0));
    }

    /** A stream of runs counting up by a random stride, packed and sampled from (seed, step). */
    static TokenBatches data() {
        SplittableRandom rng = new SplittableRandom(17);
        int[] ids = new int[4000];
        for (int i = 0; i < ids.length; ) {
            int start = rng.nextInt(V), stride = 1 + rng.nextInt(3), len = 5 + rng.nextInt(20);
            for (int k = 0; k < len && i < ids.length; k++) ids[i++] = (start + k * stride) % V;
        }
        SequencePacker packer = new SequencePacker(ids, S);
        return step -> TokenBatch.ofWindows(packer.batch(SEED, step, B)).withEvenGroups(2);
    }

    /** A new trainer whose second MoE layer's thresholds are unreachable, so the controller must act. */
    static ReferenceTrainer fresh() {
        MoETransformer model = new MoETransformer(model(), SEED, DataType.FLOAT, InProcessDispatcher::new);
        for (Param p : model.moeLayers().get(1).router().params()) {
            if (p.name().equals("router.thresholds")) p.value().assign(2.0);
        }
        return new ReferenceTrainer(model, trainer(), DATA, controller());
    }

    private CheckpointStore store() {
        return new CheckpointStore(run.toUri().toString(), new Configuration(), CONFIG, new CheckpointSettings(5, 2));
    }

    /** Runs steps [from, until), saving when due, as a job would. */
    private void train(ReferenceTrainer t, CheckpointStore store, long from, long until, List<ControllerEvent> events) {
        for (long s = from; s < until; s++) {
            events.addAll(t.step(s).events());
            if (store != null && store.due(s + 1, STEPS)) store.save(t.capture(s + 1));
        }
    }

    @Test
    void resumedFromDiskMatchesARunThatNeverStoppedBitForBit() {
        List<ControllerEvent> straightEvents = new ArrayList<>();
        ReferenceTrainer straight = fresh();
        train(straight, null, 0, STEPS, straightEvents);
        TrainingState expected = straight.capture(STEPS);

        List<ControllerEvent> events = new ArrayList<>();
        ReferenceTrainer first = fresh();
        train(first, store(), 0, SPLIT, events);
        TrainingState atSplit = first.capture(SPLIT);
        first = null;

        LatestCheckpoint latest = store().latest(false);
        assertEquals(atSplit, latest.state(), "what was written is what is read");
        assertTrue(latest.state().controller().layers().get(1).window() != null, "mid-window");
        ReferenceTrainer resumed = ReferenceTrainer.resume(latest.state(), model(), trainer(), DATA, controller());
        train(resumed, store(), latest.state().nextStep(), STEPS, events);
        TrainingState actual = resumed.capture(STEPS);

        assertTrue(straightEvents.stream().anyMatch(e -> e.step() < SPLIT) && straightEvents.stream().anyMatch(e -> e.step() >= SPLIT),
                "controller events before and after the checkpoint: " + straightEvents);
        assertEquals(straightEvents.toString(), events.toString());
        assertEquals(0.0, maxDifference(expected, actual));
        assertEquals(expected, actual, "parameters, moments, expert sets, AdamW t and controller state, bitwise");
        assertEquals(expected, store().latest(false).state(), "the final checkpoint holds the final state");
    }

    /** The largest |a − b| over every dense parameter and expert parameter (NaN if any element differs in NaN-ness). */
    private static double maxDifference(TrainingState a, TrainingState b) {
        assertEquals(a.expertSets(), b.expertSets());
        double worst = 0;
        for (int i = 0; i < a.dense().size(); i++) {
            DenseTensor x = a.dense().get(i), y = b.dense().get(i);
            worst = Math.max(worst, max(x.values(), y.values()));
        }
        for (int i = 0; i < a.experts().size(); i++) {
            ExpertState x = a.experts().get(i), y = b.experts().get(i);
            worst = Math.max(worst, Math.max(max(x.weights(), y.weights()), max(x.biases(), y.biases())));
        }
        return worst;
    }

    private static double max(float[] x, float[] y) {
        assertEquals(x.length, y.length);
        double m = 0;
        for (int i = 0; i < x.length; i++) m = Math.max(m, Math.abs((double) x[i] - y[i]));
        return m;
    }
}
