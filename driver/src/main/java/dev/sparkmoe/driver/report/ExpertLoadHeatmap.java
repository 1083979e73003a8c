package dev.sparkmoe.driver.report;

import dev.sparkmoe.worker.train.ControllerEvent;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;

import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Chart (d): each MoE layer's expert load as a heat map — x a bucket of steps, y an expert id,
 * colour the expert's share of the layer's kept assignments in that bucket (%). Experts that
 * were not live in a bucket have no cell, so additions and prunings show as cells starting and
 * ending. Needs {@code expert_ids}; for older files the slots are the ids only while the layer
 * never changed, so only such layers are drawn.
 */
final class ExpertLoadHeatmap {
    static final int MAX_BUCKETS = 40;

    private ExpertLoadHeatmap() {}

    /** One figure per MoE layer. */
    static List<Figure> build(RunLog run) {
        List<StepRecord> steps = run.steps();
        int layers = steps.isEmpty() ? 0 : steps.get(0).layers();
        if (layers == 0) {
            return List.of(Figure.skipped("Expert load", steps.isEmpty() ? "No step was recorded." : "The model has no MoE layer."));
        }
        List<Figure> out = new ArrayList<>();
        for (int l = 0; l < layers; l++) out.add(layer(run, l));
        return out;
    }

    private static Figure layer(RunLog run, int layer) {
        String title = "Expert load, layer " + layer;
        List<List<StepRecord>> buckets = StepBuckets.of(run.steps(), MAX_BUCKETS);
        // Per bucket: expert id → kept assignments; and the bucket's total.
        List<Map<Integer, Long>> load = new ArrayList<>();
        long[] totals = new long[buckets.size()];
        TreeSet<Integer> ids = new TreeSet<>();
        for (int b = 0; b < buckets.size(); b++) {
            Map<Integer, Long> perId = new TreeMap<>();
            for (StepRecord s : buckets.get(b)) {
                if (layer >= s.layers()) continue;
                int[] slotIds = ids(run, s, layer);
                if (slotIds == null) {
                    return Figure.skipped(title, "This metrics.jsonl predates expert_ids and the controller changed "
                            + "this layer's experts, so slots cannot be matched to experts.");
                }
                for (int slot = 0; slot < slotIds.length; slot++) {
                    perId.merge(slotIds[slot], s.tokensPerExpert()[layer][slot], Long::sum);
                    totals[b] += s.tokensPerExpert()[layer][slot];
                }
            }
            ids.addAll(perId.keySet());
            load.add(perId);
        }
        List<Integer> yIds = new ArrayList<>(ids);
        List<Number[]> cells = new ArrayList<>();
        for (int b = 0; b < buckets.size(); b++) {
            for (Map.Entry<Integer, Long> e : load.get(b).entrySet()) {
                double share = totals[b] == 0 ? 0 : 100.0 * e.getValue() / totals[b];
                cells.add(new Number[]{b, yIds.indexOf(e.getKey()), share});
            }
        }
        List<String> x = buckets.stream().map(StepBuckets::label).toList();
        HeatMapChart c = new HeatMapChartBuilder().width(Charts.WIDTH).height(Math.max(Charts.HEIGHT, 120 + 18 * yIds.size()))
                .title(title).xAxisTitle("steps from").yAxisTitle("expert id").build();
        c.getStyler().setChartBackgroundColor(Color.WHITE);
        c.getStyler().setPlotContentSize(1);
        c.getStyler().setXAxisLabelRotation(90);
        c.getStyler().setShowValue(false);
        c.getStyler().setMin(0);
        // A whole-number top, so the colour scale's label reads "57", not "56.28719767000127".
        c.getStyler().setMax(Math.max(1, Math.ceil(cells.stream().mapToDouble(v -> v[2].doubleValue()).max().orElse(1))));
        // 0 % is a visible cream, apart from the plain background of experts that were not live.
        c.getStyler().setRangeColors(new Color[]{new Color(255, 244, 196), new Color(250, 190, 80), new Color(200, 40, 30),
                new Color(90, 0, 40)});
        c.addSeries("share of assignments (%)", x, yIds, cells);
        int size = buckets.get(0).size();
        String caption = "Share (%) of layer " + layer + "'s kept (token, expert) assignments that each expert took, "
                + (size == 1 ? "per step" : "per " + size + " steps") + "; no cell where the expert was not live.";
        return Figure.of(title, "expert_load_layer" + layer + ".png", c, caption);
    }

    /** The expert id of each slot, or null when the file predates expert_ids and the layer changed. */
    private static int[] ids(RunLog run, StepRecord s, int layer) {
        if (s.expertIds() != null) return s.expertIds()[layer];
        for (ControllerEvent e : run.events()) if (e.layer() == layer) return null;
        int n = s.experts()[layer];
        int[] slots = new int[n];
        for (int i = 0; i < n; i++) slots[i] = i;
        return slots;
    }
}
