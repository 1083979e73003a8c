package dev.sparkmoe.worker.train;

import dev.sparkmoe.routing.ExpertSet;
import dev.sparkmoe.routing.Param;
import dev.sparkmoe.routing.RoutingRecord;
import dev.sparkmoe.worker.model.BatchShare;
import dev.sparkmoe.worker.model.SegmentedPass;
import dev.sparkmoe.worker.model.TokenBatch;
import dev.sparkmoe.worker.model.MoETransformer;
import dev.sparkmoe.worker.moe.ExpertBlocks;
import dev.sparkmoe.worker.moe.LocalExperts;
import dev.sparkmoe.worker.moe.MoELayer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.ArrayList;
import java.util.List;

/**
 * The single-process trainer's forward and backward for a batch in several routing groups: each
 * group is a micro-batch with its own dense replica and {@link SegmentedPass} (its share of the
 * loss: aux scale {@code T_g/T}, the batch's target count as denominator), every expert runs once
 * per MoE layer on its rows of all groups in group order, and the replicas' dense gradients are
 * added into the model's in group order. This is the computation the Spark engine distributes
 * (docs/spark-engine.md), with nothing of the engine in it, so holding the engine equal to it
 * checks the engine's orchestration float for float. It differs from one monolithic pass over
 * the groups only in rounding: the dense gradients are sums of per-group products.
 */
final class MicroBatchedStep {
    private MicroBatchedStep() {}

    /** What the step measured per MoE layer, groups merged in order. */
    record Routing(List<RoutingRecord> records, List<LayerStats> layers) {}

    /** Forward, loss and backward over {@code batch}'s groups; leaves every gradient in {@code model}. */
    static MoETransformer.LossBreakdown run(MoETransformer model, TokenBatch batch, List<Routing> routingOut) {
        int total = batch.realTokens();
        int counted = batch.countedTargets();
        List<MoETransformer> replicas = new ArrayList<>();
        List<SegmentedPass> passes = new ArrayList<>();
        for (int g = 0; g < batch.groups(); g++) {
            int b0 = batch.groupOffsets()[g], b1 = batch.groupOffsets()[g + 1];
            if (b1 == b0) continue;
            TokenBatch sub = batch.sequences(b0, b1);
            MoETransformer replica = model.replicate();
            replicas.add(replica);
            passes.add(replica.segmentedForward(sub, true, BatchShare.of(sub.realTokens(), total, counted)));
        }
        while (passes.get(0).awaitingExperts()) {
            MoELayer layer = model.moeLayers().get(passes.get(0).moeLayer());
            List<ExpertBlocks> rows = new ArrayList<>();
            for (SegmentedPass p : passes) rows.add(p.dispatched());
            List<INDArray> out = across(layer.experts(), layer.liveExperts(), rows, true);
            for (int i = 0; i < passes.size(); i++) passes.get(i).resume(out.get(i));
        }
        double ce = 0, aux = 0;
        for (SegmentedPass p : passes) {
            MoETransformer.LossBreakdown l = p.loss();
            ce += l.crossEntropy();
            aux += l.aux();
            p.beginBackward();
        }
        while (passes.get(0).awaitingExpertGradients()) {
            MoELayer layer = model.moeLayers().get(passes.get(0).moeLayer());
            List<ExpertBlocks> grads = new ArrayList<>();
            for (SegmentedPass p : passes) grads.add(new ExpertBlocks(p.expertOutputGradient(), p.decision().expertOffsets()));
            List<INDArray> dIn = across(layer.experts(), layer.liveExperts(), grads, false);
            for (int i = 0; i < passes.size(); i++) passes.get(i).resumeBackward(dIn.get(i));
        }
        List<Param> dense = model.denseParams();
        for (int i = 0; i < dense.size(); i++) {
            for (MoETransformer r : replicas) dense.get(i).grad().addi(r.denseParams().get(i).grad());
        }
        routingOut.add(routing(model, replicas));
        return new MoETransformer.LossBreakdown(ce, aux);
    }

    /**
     * Runs each expert once on its rows of every group (group order), forward or backward, and
     * hands each group back its rows in its own expert-major order.
     */
    private static List<INDArray> across(LocalExperts experts, ExpertSet live, List<ExpertBlocks> perGroup, boolean forward) {
        int slots = live.size();
        int[] offsets = new int[slots + 1];
        List<INDArray> parts = new ArrayList<>();
        for (int e = 0; e < slots; e++) {
            offsets[e + 1] = offsets[e];
            for (ExpertBlocks b : perGroup) {
                if (b.count(e) == 0) continue;
                parts.add(b.block(e));
                offsets[e + 1] += b.count(e);
            }
        }
        INDArray all = parts.isEmpty() ? null : Nd4j.vstack(parts.toArray(new INDArray[0]));
        INDArray result = forward ? experts.forward(live, new ExpertBlocks(all, offsets)) : experts.backward(all);
        List<List<INDArray>> back = new ArrayList<>();
        for (int g = 0; g < perGroup.size(); g++) back.add(new ArrayList<>());
        for (int e = 0; e < slots; e++) {
            int at = offsets[e];
            for (int g = 0; g < perGroup.size(); g++) {
                int n = perGroup.get(g).count(e);
                if (n == 0) continue;
                back.get(g).add(result.get(NDArrayIndex.interval(at, at + n), NDArrayIndex.all()));
                at += n;
            }
        }
        List<INDArray> out = new ArrayList<>();
        for (List<INDArray> rows : back) out.add(rows.isEmpty() ? null : Nd4j.vstack(rows.toArray(new INDArray[0])));
        return out;
    }

    private static Routing routing(MoETransformer model, List<MoETransformer> replicas) {
        List<RoutingRecord> records = new ArrayList<>();
        List<LayerStats> layers = new ArrayList<>();
        for (int l = 0; l < model.moeLayers().size(); l++) {
            RoutingTally tally = new RoutingTally();
            for (MoETransformer r : replicas) tally.add(r.moeLayers().get(l).lastRouting());
            ExpertSet live = model.moeLayers().get(l).liveExperts();
            records.add(tally.record(live, model.config().dModel()));
            layers.add(tally.stats(live, model.config().dModel()));
        }
        return new Routing(records, layers);
    }
}
