package dev.sparkmoe.worker.moe;

import dev.sparkmoe.routing.RoutingDecision;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.segment.UnsortedSegmentSum;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The dispatcher of one JVM: a gather ({@code pullRows}) into expert-major order, and a
 * weighted segment sum back to token order. A constant number of ND4J ops per layer, whatever
 * the number of tokens or experts.
 */
public final class InProcessDispatcher implements TokenDispatcher {
    private RoutingDecision decision;
    private int numTokens;
    private long dModel;
    private DataType dtype;
    private INDArray tokenIds;      // [NNZ] int, token of each expert-major row
    private INDArray weights;       // [NNZ, 1] combine weight of each expert-major row
    private INDArray expertOutput;  // [NNZ, D] cached for the probs gradient

    @Override
    public ExpertBlocks dispatch(INDArray x, RoutingDecision decision) {
        this.decision = decision;
        this.numTokens = decision.numTokens();
        this.dModel = x.columns();
        this.dtype = x.dataType();
        int[] offsets = decision.expertOffsets();
        if (decision.nnz() == 0) {
            tokenIds = null;
            weights = null;
            return new ExpertBlocks(null, offsets);
        }
        int[] tokenIndex = decision.tokenIndex();
        tokenIds = Nd4j.createFromArray(tokenIndex);
        weights = expertMajor(decision.probs(), decision.entryIndex()).reshape(decision.nnz(), 1);
        return new ExpertBlocks(Nd4j.pullRows(x, 1, tokenIndex), offsets);
    }

    @Override
    public INDArray combine(INDArray expertOutput) {
        this.expertOutput = expertOutput;
        if (expertOutput == null) return Nd4j.zeros(dtype, numTokens, dModel);
        return segmentSum(expertOutput.mulColumnVector(weights));
    }

    @Override
    public CombineGrad combineBackward(INDArray dy) {
        if (expertOutput == null) return new CombineGrad(null, null);
        INDArray g = Nd4j.pullRows(dy, 1, decision.tokenIndex());         // [NNZ, D]
        INDArray dProbsExpertMajor = g.mul(expertOutput).sum(1);          // [NNZ]
        INDArray dExpertOutput = g.muliColumnVector(weights);
        expertOutput = null;
        return new CombineGrad(dExpertOutput, csrOrder(dProbsExpertMajor, decision.entryIndex()));
    }

    @Override
    public INDArray dispatchBackward(INDArray dExpertInput) {
        if (dExpertInput == null) return Nd4j.zeros(dtype, numTokens, dModel);
        INDArray dx = segmentSum(dExpertInput);
        decision = null;
        return dx;
    }

    private INDArray segmentSum(INDArray rows) {
        return Nd4j.exec(new UnsortedSegmentSum(rows, tokenIds, numTokens))[0];
    }

    /** {@code [NNZ]} CSR-ordered values permuted into expert-major order. */
    private static INDArray expertMajor(INDArray csr, int[] entryIndex) {
        double[] src = csr.toDoubleVector();
        double[] dst = new double[entryIndex.length];
        for (int i = 0; i < dst.length; i++) dst[i] = src[entryIndex[i]];
        return Nd4j.create(dst, new long[]{dst.length}, csr.dataType());
    }

    /** {@code [NNZ]} expert-major values permuted back into CSR order. */
    private static INDArray csrOrder(INDArray expertMajor, int[] entryIndex) {
        double[] src = expertMajor.toDoubleVector();
        double[] dst = new double[entryIndex.length];
        for (int i = 0; i < dst.length; i++) dst[entryIndex[i]] = src[i];
        return Nd4j.create(dst, new long[]{dst.length}, expertMajor.dataType());
    }
}
