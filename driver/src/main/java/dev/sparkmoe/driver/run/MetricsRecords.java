package dev.sparkmoe.driver.run;

import dev.sparkmoe.worker.train.ControllerEvent;
import dev.sparkmoe.worker.train.LayerStats;
import dev.sparkmoe.worker.train.StepMetrics;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JSON objects of a run directory's files, one per line, as the run report
 * ({@code dev.sparkmoe.driver.report}) reads them back.
 *
 * <p>A step line of {@code metrics.jsonl} (lists are per MoE layer): step (0-based), loss,
 * aux_loss, lr, grad_norm, tokens, seconds, tokens_per_s, experts, active_per_token, dropped,
 * unrouted, tokens_per_expert (per slot), expert_ids (per slot), active_histogram (tokens with
 * 0, 1, 2, ... kept experts) and, when the trainer measured it, stage_seconds (stage name →
 * seconds, in stage order). A validation line: step, valid_loss, valid_perplexity, unigram_loss.
 * An {@code events.jsonl} line: step, layer, removed, added, reason.
 */
public final class MetricsRecords {
    private MetricsRecords() {}

    /** The {@code metrics.jsonl} line of a training step. */
    public static Map<String, Object> step(StepMetrics m) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("step", m.step());
        r.put("loss", m.loss());
        r.put("aux_loss", m.auxLoss());
        r.put("lr", m.lr());
        r.put("grad_norm", m.gradNorm());
        r.put("tokens", m.tokens());
        r.put("seconds", m.seconds());
        r.put("tokens_per_s", m.tokensPerSecond());
        r.put("experts", m.layers().stream().map(LayerStats::experts).toList());
        r.put("active_per_token", m.layers().stream().map(LayerStats::meanActive).toList());
        r.put("dropped", m.layers().stream().map(LayerStats::dropped).toList());
        r.put("unrouted", m.layers().stream().map(LayerStats::unrouted).toList());
        r.put("tokens_per_expert", m.layers().stream().map(LayerStats::tokensPerExpert).toList());
        r.put("expert_ids", m.layers().stream().map(LayerStats::expertIds).toList());
        r.put("active_histogram", m.layers().stream().map(LayerStats::activeHistogram).toList());
        if (!m.stageSeconds().isEmpty()) r.put("stage_seconds", m.stageSeconds());
        return r;
    }

    /** The {@code metrics.jsonl} line of a validation after step {@code step} (0-based). */
    public static Map<String, Object> validation(long step, double loss, double unigram) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("step", step);
        r.put("valid_loss", loss);
        r.put("valid_perplexity", Math.exp(loss));
        r.put("unigram_loss", unigram);
        return r;
    }

    /** The {@code events.jsonl} line of a controller event. */
    public static Map<String, Object> event(ControllerEvent e) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("step", e.step());
        r.put("layer", e.layer());
        r.put("removed", e.removed());
        r.put("added", e.added());
        r.put("reason", e.reason());
        return r;
    }
}
