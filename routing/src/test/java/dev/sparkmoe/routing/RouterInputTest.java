package dev.sparkmoe.routing;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad configurations and inputs are rejected with messages that name what is wrong. */
class RouterInputTest {

    private static void assertMessage(Exception e, String... parts) {
        for (String p : parts) assertTrue(e.getMessage().contains(p), () -> "'" + p + "' not in: " + e.getMessage());
    }

    @Test
    void inputOfTheWrongWidthNamesExpectedAndActualShape() {
        Router[] routers = {
                new TopKConfig(2, 0, true, 0, 0).create(8, ExpertSet.initial(4), 1, DataType.FLOAT),
                TopAnyConfig.defaults().create(8, ExpertSet.initial(4), 1, DataType.FLOAT),
                new AttentionKConfig(1, 1, 0, 0, 0, 0, false).create(8, ExpertSet.initial(4), 1, DataType.FLOAT),
        };
        for (Router r : routers) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> r.forward(Nd4j.zeros(DataType.FLOAT, 5, 7), RoutingContext.training(5)));
            assertMessage(e, "D=8", "[5, 7]", r.config().kind());
            IllegalArgumentException rank = assertThrows(IllegalArgumentException.class,
                    () -> r.forward(Nd4j.zeros(DataType.FLOAT, 5, 8, 1), RoutingContext.training(5)));
            assertMessage(rank, "[5, 8, 1]");
        }
    }

    @Test
    void padMaskOfTheWrongLength() {
        Router r = new TopKConfig(1, 0, true, 0, 0).create(4, ExpertSet.initial(2), 1, DataType.FLOAT);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> r.forward(Nd4j.zeros(DataType.FLOAT, 3, 4), RoutingContext.training(3).withPadMask(new boolean[2])));
        assertMessage(e, "padMask", "T=3", "2");
    }

    @Test
    void kLargerThanTheExperts() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TopKConfig(3, 0, true, 0, 0).create(4, ExpertSet.initial(2), 1, DataType.FLOAT));
        assertMessage(e, "router.k = 3", "2");
        IllegalArgumentException ctor = assertThrows(IllegalArgumentException.class,
                () -> new TopKRouter(new TopKConfig(3, 0, true, 0, 0), 4, ExpertSet.initial(2), 1, DataType.FLOAT));
        assertMessage(ctor, "router.k = 3");
        IllegalArgumentException kMin = assertThrows(IllegalArgumentException.class,
                () -> new AttentionKConfig(1, 3, 0, 0, 0, 0, false).create(4, ExpertSet.initial(2), 1, DataType.FLOAT));
        assertMessage(kMin, "router.kMin = 3");
    }

    @Test
    void removingExpertsBelowKIsRejectedAndLeavesTheRouterUnchanged() {
        Router r = new TopKConfig(2, 0, true, 0, 0).create(4, ExpertSet.initial(2), 1, DataType.FLOAT);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> r.removeExperts(1));
        assertMessage(e, "router.k = 2");
        assertTrue(r.experts().equals(ExpertSet.initial(2)));
        Router any = TopAnyConfig.defaults().create(4, ExpertSet.initial(1), 1, DataType.FLOAT);
        assertMessage(assertThrows(IllegalArgumentException.class, () -> any.removeExperts(0)), "moe.experts = 0");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> any.removeExperts(7)), "expert 7 is not live");
    }

    @Test
    void zeroExperts() {
        ExpertSet none = new ExpertSet(new int[0], 3);
        assertMessage(assertThrows(IllegalArgumentException.class,
                () -> new TopKConfig(1, 0, true, 0, 0).create(4, none, 1, DataType.FLOAT)), "moe.experts = 0");
        assertMessage(assertThrows(IllegalArgumentException.class,
                () -> TopAnyConfig.defaults().create(4, none, 1, DataType.FLOAT)), "moe.experts = 0");
        assertMessage(assertThrows(IllegalArgumentException.class,
                () -> new AttentionKConfig(1, 1, 0, 0, 0, 0, false).create(4, none, 1, DataType.FLOAT)), "moe.experts = 0");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> ExpertSet.initial(0)), "0");
    }

    @Test
    void badDimensionsAndDataTypes() {
        assertMessage(assertThrows(IllegalArgumentException.class,
                () -> new TopKConfig(1, 0, true, 0, 0).create(0, ExpertSet.initial(2), 1, DataType.FLOAT)), "dModel = 0");
        assertMessage(assertThrows(IllegalArgumentException.class,
                () -> TopAnyConfig.defaults().create(4, ExpertSet.initial(2), 1, DataType.INT)), "INT");
    }

    @Test
    void attentionRouterWithoutAttention() {
        Router r = new AttentionKConfig(1, 1, 0, 0, 0, 0, false).create(4, ExpertSet.initial(2), 1, DataType.FLOAT);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> r.forward(Nd4j.zeros(DataType.FLOAT, 6, 4), RoutingContext.training(3)));
        assertMessage(e, "attentionProbs", "missing", "[B, H, S, S]");
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
                () -> r.forward(Nd4j.zeros(DataType.FLOAT, 6, 4),
                        RoutingContext.training(3).withAttention(Nd4j.zeros(DataType.FLOAT, 2, 1, 2, 2))));
        assertMessage(shape, "T = 6", "[2, 1, 2, 2]");
    }

    @Test
    void configValidationNamesTheKey() {
        assertMessage(assertThrows(IllegalArgumentException.class, () -> new TopKConfig(0, 0, true, 0, 0)), "router.k = 0");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> new TopKConfig(1, 0, true, -1, 0)), "router.loadBalanceWeight");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> new TopAnyConfig(0, false, 0, 0, 0)), "router.temperature");
        assertMessage(assertThrows(IllegalArgumentException.class,
                () -> new AttentionKConfig(1, 2, 1, 0, 0, 0, false)), "router.kMax = 1");
    }
}
