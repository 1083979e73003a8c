package dev.sparkmoe.routing;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RoutingRecordTest {

    private static RoutingRecord rec(int[] ids, long[] counts, double[] sum, long n, long tokens, long dropped) {
        return new RoutingRecord(ids, counts, sum, n, tokens, dropped);
    }

    @Test
    void mergeSumsCountsOverTheUnionOfIds() {
        RoutingRecord a = rec(new int[]{0, 1, 3}, new long[]{5, 0, 2}, new double[]{1, 2}, 1, 8, 1);
        RoutingRecord b = rec(new int[]{1, 3, 4}, new long[]{2, 1, 7}, new double[]{0.5, -1}, 2, 12, 0);
        RoutingRecord m = a.merge(b);
        assertArrayEquals(new int[]{0, 1, 3, 4}, m.expertIds());
        assertArrayEquals(new long[]{5, 2, 3, 7}, m.tokensPerExpert());
        assertArrayEquals(new double[]{1.5, 1}, m.unroutedSum());
        assertEquals(3, m.unroutedCount());
        assertEquals(20, m.tokens());
        assertEquals(1, m.droppedAssignments());
        assertEquals(17, m.assignments());
        assertEquals(m, b.merge(a));
        RoutingRecord c = rec(new int[]{2}, new long[]{1}, new double[]{0, 0}, 0, 1, 3);
        assertEquals(a.merge(b).merge(c), a.merge(b.merge(c)));
        assertEquals(a, a.merge(RoutingRecord.empty(new ExpertSet(new int[]{0, 1, 3}, 4), 2)));
    }

    @Test
    void mergeOfDifferentWidthsIsRejected() {
        RoutingRecord a = rec(new int[]{0}, new long[]{1}, new double[]{1, 2}, 0, 1, 0);
        RoutingRecord b = rec(new int[]{0}, new long[]{1}, new double[]{1}, 0, 1, 0);
        assertThrows(IllegalArgumentException.class, () -> a.merge(b));
    }

    @Test
    void recordsOfPartitionsMergeToTheRecordOfTheWholeBatch() {
        Router r = new TopAnyConfig(1, false, 0, 0, 0).create(4, ExpertSet.initial(3), 5, DataType.DOUBLE);
        r.params().get(1).value().assign(0.3);                         // some tokens activate nothing
        var x = dev.sparkmoe.testing.GradientCheck.random(9, 1, 12, 4);
        RoutingRecord whole = r.forward(x, RoutingContext.training(12)).record();
        RoutingRecord p0 = r.forward(x.getRows(0, 1, 2, 3, 4, 5), RoutingContext.training(6)).record();
        RoutingRecord p1 = r.forward(x.getRows(6, 7, 8, 9, 10, 11), RoutingContext.training(6)).record();
        RoutingRecord merged = p0.merge(p1);
        assertArrayEquals(whole.tokensPerExpert(), merged.tokensPerExpert());
        assertEquals(whole.unroutedCount(), merged.unroutedCount());
        assertEquals(whole.tokens(), merged.tokens());
        assertArrayEquals(whole.unroutedSum(), merged.unroutedSum(), 1e-12);
        assertEquals(true, whole.unroutedCount() > 0);
    }
}
