package dev.sparkmoe.worker.engine;

import dev.sparkmoe.routing.ExpertSet;
import dev.sparkmoe.routing.Param;
import dev.sparkmoe.worker.model.MoETransformer;
import dev.sparkmoe.worker.moe.MoELayer;
import org.nd4j.linalg.api.buffer.DataType;

import java.util.ArrayList;
import java.util.List;

/**
 * The data-parallel half of the model at one step, as plain arrays: the value of every
 * {@link MoETransformer#denseParams() dense parameter} (dense buffers, then each MoE layer's
 * router parameters) and each MoE layer's live expert ids. The driver broadcasts one per step;
 * data-partition tasks build their replica from it. Never an INDArray: Spark closes broadcast
 * values that are {@code AutoCloseable} when the broadcast goes (DESIGN.md).
 */
public final class DenseSnapshot {
    private final long step;
    private final float[][] values;
    private final int[][] expertIds;
    private final int[] nextIds;

    public DenseSnapshot(long step, float[][] values, int[][] expertIds, int[] nextIds) {
        if (expertIds.length != nextIds.length) {
            throw new IllegalArgumentException("dense snapshot: " + expertIds.length + " expert id lists but " + nextIds.length + " next ids");
        }
        this.step = step;
        this.values = values;
        this.expertIds = expertIds;
        this.nextIds = nextIds;
    }

    /** Copies the model's dense parameters and expert sets (driver side, once per step). */
    public static DenseSnapshot of(MoETransformer model, long step) {
        List<Param> params = model.denseParams();
        float[][] values = new float[params.size()][];
        for (int i = 0; i < values.length; i++) values[i] = Blocks.floats(params.get(i).value());
        List<MoELayer> moe = model.moeLayers();
        int[][] ids = new int[moe.size()][];
        int[] next = new int[moe.size()];
        for (int l = 0; l < ids.length; l++) {
            ids[l] = moe.get(l).liveExperts().ids();
            next[l] = moe.get(l).liveExperts().nextId();
        }
        return new DenseSnapshot(step, values, ids, next);
    }

    /** Each MoE layer's live experts. */
    public List<ExpertSet> expertSets() {
        List<ExpertSet> sets = new ArrayList<>();
        for (int l = 0; l < expertIds.length; l++) sets.add(new ExpertSet(expertIds[l], nextIds[l]));
        return sets;
    }

    /**
     * Overwrites the replica's dense parameters with these values.
     *
     * @throws IllegalArgumentException naming the parameter whose size differs
     */
    public void loadInto(MoETransformer replica) {
        List<Param> params = replica.denseParams();
        if (params.size() != values.length) {
            throw new IllegalArgumentException("dense snapshot of step " + step + " holds " + values.length
                    + " parameters, the replica " + params.size());
        }
        for (int i = 0; i < values.length; i++) {
            Param p = params.get(i);
            if (p.length() != values[i].length) {
                throw new IllegalArgumentException("dense snapshot of step " + step + ": " + p.name() + " holds "
                        + values[i].length + " values, the replica expects " + p.length());
            }
            Blocks.copyInto(values[i], p.value());
        }
        List<ExpertSet> sets = expertSets();
        for (int l = 0; l < sets.size(); l++) {
            ExpertSet have = replica.moeLayers().get(l).liveExperts();
            if (!have.equals(sets.get(l))) {
                throw new IllegalArgumentException("dense snapshot of step " + step + ": layer " + l + " has experts "
                        + sets.get(l) + ", the replica " + have);
            }
        }
    }

    /** Builds a data-side replica (routers, no experts) holding this snapshot. */
    public MoETransformer replica(dev.sparkmoe.worker.model.ModelConfig config) {
        MoETransformer model = MoETransformer.replica(config, DataType.FLOAT, expertSets());
        loadInto(model);
        return model;
    }

    public long step() { return step; }

    /** Bytes of parameter values (for logs). */
    public long bytes() {
        long n = 0;
        for (float[] v : values) n += 4L * v.length;
        return n;
    }
}
