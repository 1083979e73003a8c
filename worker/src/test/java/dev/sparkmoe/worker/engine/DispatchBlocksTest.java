package dev.sparkmoe.worker.engine;

import dev.sparkmoe.routing.ExpertSet;
import dev.sparkmoe.worker.moe.ExpertBlocks;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DispatchBlocksTest {
    private static final int D = 3;
    private static final ExpertSet EXPERTS = new ExpertSet(new int[]{0, 2, 5}, 6);
    private static final int[] OFFSETS = {0, 2, 2, 5};                 // expert 2 gets no rows
    private static final int[] TOKENS = {1, 3, 0, 2, 3};

    /** {@code [5, D]} expert-major rows whose values encode (partition, row, column). */
    private static INDArray rows(int partition) {
        float[] v = new float[5 * D];
        for (int i = 0; i < v.length; i++) v[i] = 100 * partition + i;
        return Nd4j.create(v, new long[]{5, D}, 'c');
    }

    private static List<TokenBlock> dispatch(int partition) {
        return DispatchBlocks.toTokenBlocks(partition, 1, EXPERTS, new ExpertBlocks(rows(partition), OFFSETS), TOKENS);
    }

    @Test
    void oneBlockPerExpertWithRowsInSlotOrder() {
        List<TokenBlock> blocks = dispatch(2);
        assertEquals(2, blocks.size(), "expert 2 has no rows and gets no block");
        TokenBlock a = blocks.get(0);
        assertEquals(List.of(2, 1, 0, D), List.of(a.sourcePartition(), a.layer(), a.expertId(), a.dModel()));
        assertArrayEquals(new int[]{1, 3}, a.tokenIndex());
        assertArrayEquals(new float[]{200, 201, 202, 203, 204, 205}, a.rows());
        TokenBlock b = blocks.get(1);
        assertEquals(5, b.expertId());
        assertArrayEquals(new int[]{0, 2, 3}, b.tokenIndex());
        assertEquals(9, b.rows().length);
        assertEquals(206f, b.rows()[0]);
    }

    @Test
    void viewsAndDoubleRowsCopyTheSameValues() {
        INDArray fOrder = rows(1).dup('f');
        INDArray dbl = rows(1).castTo(DataType.DOUBLE);
        INDArray view = Nd4j.concat(1, rows(1), Nd4j.zeros(DataType.FLOAT, 5, 2)).get(
                NDArrayIndex.all(), NDArrayIndex.interval(0, D));
        for (INDArray r : List.of(fOrder, dbl, view)) {
            assertEquals(dispatch(1), DispatchBlocks.toTokenBlocks(1, 1, EXPERTS, new ExpertBlocks(r, OFFSETS), TOKENS));
        }
    }

    @Test
    void shuffledBlocksAreSortedBySourceAndRoundTripThroughAnExpert() {
        List<TokenBlock> arrived = new ArrayList<>();
        for (int p = 0; p < 3; p++) arrived.addAll(dispatch(p));
        Collections.reverse(arrived);                                   // shuffles deliver in any order
        SortedMap<Integer, List<TokenBlock>> byExpert = DispatchBlocks.byExpert(arrived.iterator());
        assertEquals(List.of(0, 5), List.copyOf(byExpert.keySet()));
        List<ExpertOutputBlock> back = new ArrayList<>();
        for (Map.Entry<Integer, List<TokenBlock>> e : byExpert.entrySet()) {
            List<TokenBlock> in = e.getValue();
            assertEquals(List.of(0, 1, 2), in.stream().map(TokenBlock::sourcePartition).toList());
            INDArray x = DispatchBlocks.concatRows(in, D, DataType.FLOAT);
            int n = in.get(0).numRows();
            assertArrayEquals(new long[]{3L * n, D}, x.shape());
            INDArray second = x.get(NDArrayIndex.interval(n, 2 * n), NDArrayIndex.all());
            assertArrayEquals(in.get(1).rows(), Blocks.floats(second), "partition 1's rows follow partition 0's");
            back.addAll(DispatchBlocks.toOutputBlocks(in, x.mul(2)));
        }
        Collections.shuffle(back, new java.util.Random(3));
        for (int p = 0; p < 3; p++) {
            int part = p;
            INDArray out = DispatchBlocks.gatherOutputs(p, 1, EXPERTS, OFFSETS, D,
                    back.stream().filter(b -> b.sourcePartition() == part).iterator(), DataType.FLOAT);
            assertEquals(rows(p).mul(2), out, "partition " + p + " gets its own rows back in expert-major order");
        }
    }

    @Test
    void emptyDispatchGivesNoBlocksAndNullOutputs() {
        ExpertBlocks none = new ExpertBlocks(null, new int[]{0, 0, 0, 0});
        assertTrue(DispatchBlocks.toTokenBlocks(0, 0, EXPERTS, none, new int[0]).isEmpty());
        assertNull(DispatchBlocks.gatherOutputs(0, 0, EXPERTS, none.offsets(), D,
                Collections.emptyIterator(), DataType.FLOAT));
        assertArrayEquals(new long[]{0, D}, DispatchBlocks.concatRows(List.of(), D, DataType.FLOAT).shape());
    }

    @Test
    void misuseIsReportedWithTheOffendingBlock() {
        List<TokenBlock> p0 = dispatch(0);
        List<TokenBlock> twice = List.of(p0.get(0), p0.get(0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DispatchBlocks.byExpert(twice.iterator()));
        assertTrue(e.getMessage().contains("strictly ascending"), e.getMessage());
        TokenBlock otherLayer = new TokenBlock(1, 2, 0, new int[]{0}, new float[D], D);
        e = assertThrows(IllegalArgumentException.class,
                () -> DispatchBlocks.byExpert(List.of(p0.get(0), otherLayer).iterator()));
        assertTrue(e.getMessage().contains("one layer (1)"), e.getMessage());
        List<TokenBlock> unsorted = List.of(dispatch(1).get(0), p0.get(0));
        assertThrows(IllegalArgumentException.class, () -> DispatchBlocks.concatRows(unsorted, D, DataType.FLOAT));
        e = assertThrows(IllegalArgumentException.class, () -> DispatchBlocks.gatherOutputs(0, 1, EXPERTS, OFFSETS, D,
                List.of(new ExpertOutputBlock(0, 1, 0, new float[2 * D], D)).iterator(), DataType.FLOAT));
        assertTrue(e.getMessage().contains("no output block from expert 5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> DispatchBlocks.gatherOutputs(0, 1, EXPERTS, OFFSETS, D,
                List.of(new ExpertOutputBlock(0, 1, 0, new float[D], D)).iterator(), DataType.FLOAT));
        assertTrue(e.getMessage().contains("2 rows"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new TokenBlock(0, 0, 0, new int[2], new float[5], D));
        assertTrue(e.getMessage().contains("2 * 3") && e.getMessage().contains("got 5"), e.getMessage());
    }
}
