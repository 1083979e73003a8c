package dev.sparkmoe.driver.run;

import dev.sparkmoe.driver.config.JobConfig;
import dev.sparkmoe.worker.train.ControllerEvent;
import dev.sparkmoe.worker.train.LayerStats;
import dev.sparkmoe.worker.train.StepMetrics;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Turns step metrics into the progress line (every {@code train.logEvery} steps), one
 * {@code metrics.jsonl} line per step and one {@code events.jsonl} line per controller event.
 * The fields of a step line (lists are per MoE layer): step, loss, aux_loss, lr, grad_norm,
 * tokens, seconds, tokens_per_s, experts, active_per_token, dropped, unrouted,
 * tokens_per_expert (per slot), expert_ids (per slot), active_histogram (tokens with 0, 1, 2, ...
 * kept experts) and, when the trainer measured it, stage_seconds (stage name → seconds). The run
 * report ({@code dev.sparkmoe.driver.report}) reads them back.
 */
final class StepReporter {
    private final JobConfig config;
    private final RunDirectory run;
    private final PrintStream out;
    private double smoothedTokensPerSecond;

    StepReporter(JobConfig config, RunDirectory run, PrintStream out) {
        this.config = config;
        this.run = run;
        this.out = out;
    }

    void onStep(StepMetrics m) {
        double tps = m.tokensPerSecond();
        smoothedTokensPerSecond = smoothedTokensPerSecond == 0 ? tps : 0.9 * smoothedTokensPerSecond + 0.1 * tps;
        run.metric(record(m));
        for (ControllerEvent e : m.events()) {
            run.event(event(e));
            out.println("controller: " + e);
        }
        if ((m.step() + 1) % config.logEvery() == 0 || m.step() == 0) {
            out.println(Progress.line(m, config.trainer().steps(), smoothedTokensPerSecond, m.tokens()));
        }
    }

    void onValidation(long step, double loss, double unigram) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("step", step);
        r.put("valid_loss", loss);
        r.put("valid_perplexity", Math.exp(loss));
        r.put("unigram_loss", unigram);
        run.metric(r);
        out.printf(Locale.ROOT, "validation at step %d: loss %.4f (perplexity %.1f), unigram baseline %.4f%n",
                step + 1, loss, Math.exp(loss), unigram);
    }

    private static Map<String, Object> record(StepMetrics m) {
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

    private static Map<String, Object> event(ControllerEvent e) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("step", e.step());
        r.put("layer", e.layer());
        r.put("removed", e.removed());
        r.put("added", e.added());
        r.put("reason", e.reason());
        return r;
    }

}
