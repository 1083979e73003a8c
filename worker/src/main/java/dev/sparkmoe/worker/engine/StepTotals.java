package dev.sparkmoe.worker.engine;

import dev.sparkmoe.routing.Param;
import dev.sparkmoe.routing.RoutingRecord;
import dev.sparkmoe.worker.model.MoETransformer;
import dev.sparkmoe.worker.moe.MoELayer;
import dev.sparkmoe.worker.optim.GradientClipping;
import dev.sparkmoe.routing.ExpertSet;
import dev.sparkmoe.worker.train.LayerStats;
import dev.sparkmoe.worker.train.RoutingTally;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The driver's reduction of one step's task results: the data partitions' dense gradients added
 * in partition order into the driver model's gradients, the loss and routing records summed and
 * merged in the same order, and the global gradient norm assembled in the single-process
 * trainer's parameter order (dense buffers, then per MoE layer its router and its experts by
 * ascending id), so that clipping scales by exactly the same factor.
 *
 * @param crossEntropy mean next-token cross-entropy of the global batch
 * @param aux          the MoE layers' weighted aux losses (token-weighted over partitions)
 * @param tokens       tokens in the global batch
 * @param gradNorm     global gradient norm before clipping
 * @param records      each MoE layer's record, partitions merged in order
 * @param layers       each MoE layer's routing statistics
 */
public record StepTotals(double crossEntropy, double aux, long tokens, double gradNorm, List<RoutingRecord> records,
                         List<LayerStats> layers) {

    /**
     * Sums the results into {@code driver}'s dense gradients (overwriting them) and computes the totals.
     *
     * @param parts one result per data partition, any order
     * @param norms one entry per expert partition, together covering every live expert
     */
    public static StepTotals reduce(MoETransformer driver, List<PartitionResult> parts, List<ExpertGradNorms> norms) {
        List<PartitionResult> ordered = new ArrayList<>(parts);
        ordered.sort(Comparator.comparingInt(PartitionResult::partition));
        List<Param> dense = driver.denseParams();
        for (Param p : dense) p.grad().assign(0);
        double ce = 0;
        double aux = 0;
        long tokens = 0;
        int m = driver.moeLayers().size();
        RoutingTally[] tallies = new RoutingTally[m];
        for (int l = 0; l < m; l++) tallies[l] = new RoutingTally();
        for (PartitionResult r : ordered) {
            if (r.isEmpty()) continue;
            float[][] g = r.denseGrads();
            for (int i = 0; i < dense.size(); i++) {
                Param p = dense.get(i);
                p.grad().addi(Nd4j.create(g[i], p.grad().shape(), 'c'));
            }
            ce += r.crossEntropy();
            aux += r.aux();
            tokens += r.tokens();
            for (int l = 0; l < m; l++) tallies[l].add(r.record(l), r.assignments(l), r.dropped(l), r.unrouted(l),
                    r.activeHistogram(l));
        }
        List<RoutingRecord> recordList = new ArrayList<>();
        List<LayerStats> stats = new ArrayList<>();
        for (int l = 0; l < m; l++) {
            ExpertSet live = driver.moeLayers().get(l).liveExperts();
            recordList.add(tallies[l].record(live, driver.config().dModel()));
            stats.add(tallies[l].stats(live, driver.config().dModel()));
        }
        return new StepTotals(ce, aux, tokens, globalNorm(driver, norms), recordList, stats);
    }

    private static double globalNorm(MoETransformer driver, List<ExpertGradNorms> norms) {
        Map<Long, double[]> byExpert = new HashMap<>();
        for (ExpertGradNorms n : norms) {
            for (int i = 0; i < n.size(); i++) {
                if (byExpert.put(key(n.layer(i), n.id(i)), new double[]{n.weightNorm(i), n.biasNorm(i)}) != null) {
                    throw new IllegalStateException("expert " + n.layer(i) + "/" + n.id(i) + " reported by two partitions");
                }
            }
        }
        double sumSq = 0;
        sumSq = addSquares(sumSq, List.of(driver.denseDecayed(), driver.densePlain()));
        for (MoELayer layer : driver.moeLayers()) {
            sumSq = addSquares(sumSq, layer.router().params());
            for (int id : layer.liveExperts().ids()) {
                double[] n = byExpert.remove(key(layer.layerIndex(), id));
                if (n == null) throw new IllegalStateException("no gradient norm from any expert partition for moe"
                        + layer.layerIndex() + ".expert" + id);
                sumSq += n[0] * n[0];
                sumSq += n[1] * n[1];
            }
        }
        if (!byExpert.isEmpty()) throw new IllegalStateException(byExpert.size() + " expert norms for experts that are not live");
        return Math.sqrt(sumSq);
    }

    private static double addSquares(double sumSq, List<Param> params) {
        for (Param p : params) {
            double n = GradientClipping.norm(p);
            sumSq += n * n;
        }
        return sumSq;
    }

    private static long key(int layer, int id) {
        return ((long) layer << 32) | (id & 0xffffffffL);
    }
}
