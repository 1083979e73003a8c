package dev.sparkmoe.driver.report;

import dev.sparkmoe.driver.run.MetricsRecords;
import dev.sparkmoe.driver.run.RunDirectory;
import dev.sparkmoe.worker.train.ControllerEvent;
import dev.sparkmoe.worker.train.LayerStats;
import dev.sparkmoe.worker.train.StepMetrics;
import org.apache.hadoop.conf.Configuration;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A run directory as a DynMoE training run writes it, through the real writers
 * ({@link RunDirectory}, {@link MetricsRecords}): two MoE layers, the controller adding expert 4
 * to layer 0 after step 9 and pruning expert 1 of layer 1 after step 19, validations every 10
 * steps, and (optionally) a stage-time breakdown.
 */
public final class SyntheticRun {
    static final int STEPS = 30;
    static final long TOKENS = 512;

    private SyntheticRun() {}

    public static void write(String dir, boolean stages) {
        try (RunDirectory run = new RunDirectory(dir, new Configuration())) {
            run.writeText("config.conf", """
                    spark-moe {
                      model { dModel = 64, heads = 2, blocks = 2, moeBlocks = [0, 1], experts = 4, expertFfnDim = 128, seqLen = 32 }
                      router { kind = "topany" }
                      train { steps = 30, batchSize = 16 }
                      controller { enabled = true, minExperts = 1, maxExperts = 8 }
                    }
                    """);
            int[][] ids = {{0, 1, 2, 3}, {0, 1, 2, 3}};
            for (int step = 0; step < STEPS; step++) {
                List<ControllerEvent> events = new ArrayList<>();
                if (step == 9) events.add(new ControllerEvent(step, 0, new int[0], new int[]{4}, "tokens routed nowhere"));
                if (step == 19) events.add(new ControllerEvent(step, 1, new int[]{1}, new int[0], "expert <1> unused"));
                List<LayerStats> layers = List.of(layer(ids[0], step), layer(ids[1], step));
                Map<String, Double> stageSeconds = new LinkedHashMap<>();
                if (stages) {
                    stageSeconds.put("dense_compute", 0.2);
                    stageSeconds.put("dispatch_shuffle", 0.1);
                    stageSeconds.put("expert_compute", 0.3);
                }
                StepMetrics m = new StepMetrics(step, 5.0 * Math.exp(-step / 10.0) + 1, 0.01, 1e-3, 1.0, TOKENS, 0.7,
                        layers, events, stageSeconds);
                run.metric(MetricsRecords.step(m));
                for (ControllerEvent e : events) run.event(MetricsRecords.event(e));
                if (step == 9) ids[0] = new int[]{0, 1, 2, 3, 4};
                if (step == 19) ids[1] = new int[]{0, 2, 3};
                if ((step + 1) % 10 == 0) run.metric(MetricsRecords.validation(step, 4.0 - step / 20.0, 6.5));
            }
        }
    }

    /** Load skewed towards low ids; tokens with 0..3 kept experts. */
    private static LayerStats layer(int[] ids, int step) {
        int[] perExpert = new int[ids.length];
        for (int s = 0; s < ids.length; s++) perExpert[s] = 100 + 40 * (ids.length - s) + step;
        long[] histogram = {12, 300, 150, TOKENS - 462};
        double mean = (300 + 2 * 150 + 3 * (TOKENS - 462.0)) / TOKENS;
        return new LayerStats(ids.length, mean, 0, histogram[0], perExpert, histogram, ids.clone());
    }
}
