package dev.sparkmoe.routing;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * DynMoE's "diverse and simple" gate loss (ROUTING.md §2), on the live gate vectors
 * {@code w_e} (rows of {@code W} {@code [E, D]}):
 * <ul>
 *   <li>diversity {@code ‖ŴᵀŴ − I‖_F} (Frobenius norm, not squared), {@code Ŵ} = the gates as
 *       L2-normalised columns, so {@code ŴᵀŴ} is the {@code [E, E]} matrix of gate cosines;</li>
 *   <li>simplicity {@code (1/E) Σ_e ‖w_e‖₂}.</li>
 * </ul>
 * The loss is their sum. Gradient, with {@code M = ŴᵀŴ} and {@code G = (M − I)/‖M − I‖_F}:
 * {@code ∂/∂ŵ = 2·G·ŵ} (rows), taken through the normalisation, plus {@code ŵ_e / E}.
 * At {@code M = I} (orthonormal gates) the Frobenius norm is not differentiable; the
 * subgradient 0 is used. Stateless; independent of the tokens.
 */
final class DiverseSimpleLoss {
    private DiverseSimpleLoss() {}

    /** {@code {diversity, simplicity}} of the gates {@code [E, D]}. */
    static double[] terms(INDArray gates) {
        RowNorm.Normalized n = RowNorm.of(gates);
        INDArray m = Nd4j.gemm(n.unit(), n.unit(), false, true);            // [E, E] cosines
        double diversity = m.subi(Nd4j.eye(m.rows()).castTo(m.dataType())).norm2Number().doubleValue();
        double simplicity = 0;
        for (double v : n.norms()) simplicity += v;
        return new double[]{diversity, simplicity / n.norms().length};
    }

    /** {@code diversity + simplicity}. */
    static double value(INDArray gates) {
        double[] t = terms(gates);
        return t[0] + t[1];
    }

    /** {@code [E, D]} gradient of {@link #value} with respect to the gates. */
    static INDArray gradient(INDArray gates) {
        int numExperts = gates.rows();
        RowNorm.Normalized n = RowNorm.of(gates);
        INDArray m = Nd4j.gemm(n.unit(), n.unit(), false, true);
        m.subi(Nd4j.eye(numExperts).castTo(m.dataType()));                  // M − I
        double fro = m.norm2Number().doubleValue();
        INDArray dUnit = n.unit().div(numExperts);                          // simplicity: d‖w‖ = ŵ (through the norm)
        INDArray dw = dUnit;
        if (fro > 0) {
            INDArray dUnitDiv = Nd4j.gemm(m, n.unit(), false, false).muli(2.0 / fro); // 2·G·ŵ
            dw = RowNorm.backward(n, dUnitDiv);
        }
        // Simplicity: ∂‖w_e‖/∂w_e = ŵ_e directly (not through the normalisation).
        return fro > 0 ? dw.addi(dUnit) : dUnit.dup();
    }
}
