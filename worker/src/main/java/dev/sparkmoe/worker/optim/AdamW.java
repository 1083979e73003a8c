package dev.sparkmoe.worker.optim;

import dev.sparkmoe.routing.Param;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.floating.Sqrt;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.DivOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;

/**
 * AdamW (Loshchilov &amp; Hutter 2019), as in PyTorch: per parameter, decoupled decay {@code p −= lr·wd·p} (only
 * for the decayed list), then {@code m = β1·m + (1−β1)·g}, {@code v = β2·v + (1−β2)·g²},
 * {@code p −= lr · (m / (1−β1ᵗ)) / (√(v / (1−β2ᵗ)) + ε)}.
 *
 * <p>Moments live in {@link Param#slot(int) slot 0} (m) and slot 1 (v). The step counter {@code t} is global:
 * incremented once per {@link #step} call, so every parameter shares the same bias correction (a new expert's
 * fresh moments start at zero under the current t). Checkpoints save and restore it through
 * {@link #stepCount()}/{@link #setStepCount}. Whole-tensor ND4J ops per parameter, in the list order.
 */
public final class AdamW {
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private long t;

    /**
     * AdamW's hyper-parameters as a shippable value: the Spark engine's expert partitions each
     * build their own optimiser from it for the update stage.
     */
    public record Settings(double beta1, double beta2, double eps, double weightDecay) implements java.io.Serializable {
        public Settings {
            new AdamW(beta1, beta2, eps, weightDecay);      // validates
        }

        public AdamW create() {
            return new AdamW(beta1, beta2, eps, weightDecay);
        }
    }

    /** Validates {@code 0 ≤ β < 1}, {@code ε > 0}, {@code wd ≥ 0}. */
    public AdamW(double beta1, double beta2, double eps, double weightDecay) {
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("AdamW: betas must be in [0, 1), got beta1=" + beta1 + ", beta2=" + beta2);
        }
        if (!(eps > 0) || !(weightDecay >= 0)) {
            throw new IllegalArgumentException("AdamW: need eps > 0 and weightDecay >= 0, got eps=" + eps
                    + ", weightDecay=" + weightDecay);
        }
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
    }

    /**
     * One update of every parameter from its accumulated gradient (gradients are left as they are).
     *
     * @param decayed parameters that get weight decay (matrices, embeddings)
     * @param plain   parameters without weight decay (biases, norms, positions)
     * @param lr      learning rate of this step
     */
    public void step(List<Param> decayed, List<Param> plain, double lr) {
        t++;
        double bc1 = 1 - Math.pow(beta1, t);
        double bc2 = 1 - Math.pow(beta2, t);
        for (Param p : decayed) update(p, lr, bc1, bc2, true);
        for (Param p : plain) update(p, lr, bc1, bc2, false);
    }

    /** Steps taken so far ({@code t} of the last bias correction). */
    public long stepCount() {
        return t;
    }

    /** Restores the step counter (from a checkpoint); the next {@link #step} uses {@code t = steps + 1}. */
    public void setStepCount(long steps) {
        if (steps < 0) throw new IllegalArgumentException("AdamW: step count must be >= 0, got " + steps);
        this.t = steps;
    }

    /** One scratch array per parameter, written in place by every later op (allocation is costly in ND4J). */
    private void update(Param p, double lr, double bc1, double bc2, boolean decay) {
        INDArray value = p.value();
        INDArray g = p.grad();
        INDArray m = p.slot(0);
        INDArray v = p.slot(1);
        if (decay && weightDecay != 0) value.muli(1 - lr * weightDecay);
        INDArray tmp = g.mul(1 - beta1);
        m.muli(beta1).addi(tmp);                                                    // m = β1·m + (1−β1)·g
        Nd4j.exec(new MulOp(g, g, tmp));
        v.muli(beta2).addi(tmp.muli(1 - beta2));                                    // v = β2·v + (1−β2)·g²
        Nd4j.exec(new Sqrt(v, tmp));
        tmp.muli(1 / Math.sqrt(bc2)).addi(eps);                                     // √v̂ + ε
        Nd4j.exec(new DivOp(m, tmp, tmp));
        value.subi(tmp.muli(lr / bc1));                                             // p −= lr·m̂/(√v̂ + ε)
    }
}
