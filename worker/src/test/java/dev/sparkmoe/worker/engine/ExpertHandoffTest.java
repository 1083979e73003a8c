package dev.sparkmoe.worker.engine;

import dev.sparkmoe.worker.moe.Expert;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/** The live-expert handoff: by state identity, once, with zero gradients. */
class ExpertHandoffTest {

    @Test
    void anOfferIsTakenOnceByTheSameStateObjectWithZeroGradients() {
        Expert e = Expert.create(0, 3, 4, 6, 11, DataType.FLOAT);
        e.weights().grad().assign(5);
        ExpertState state = ExpertState.of(e);
        ExpertHandoff.offer(state, e);

        ExpertState equalCopy = ExpertState.of(e);
        assertEquals(state, equalCopy);
        assertNull(ExpertHandoff.take(equalCopy), "an equal but different state object (a replica, a shuffle) finds nothing");
        Expert taken = ExpertHandoff.take(state);
        assertSame(e, taken);
        assertEquals(0.0, taken.weights().grad().sumNumber().doubleValue(), "gradients zeroed for the next step");
        assertNull(ExpertHandoff.take(state), "taken once: a second reader rebuilds from the state");
    }

    @Test
    void anOfferWhoseStateIsGoneIsDropped() throws InterruptedException {
        int before = ExpertHandoff.size();
        Expert e = Expert.create(1, 7, 4, 6, 11, DataType.FLOAT);
        ExpertState state = ExpertState.of(e);
        ExpertHandoff.offer(state, e);
        assertEquals(before + 1, ExpertHandoff.size());
        state = null;                                        // as a removed expert's state, filtered out of the next version
        // Collection is the JVM's choice: keep asking (up to ~10 s on a loaded machine) rather than assume one gc() is enough.
        for (int i = 0; i < 500 && ExpertHandoff.size() > before; i++) {
            System.gc();
            Thread.sleep(20);
        }
        assertEquals(before, ExpertHandoff.size(), "the offer went with its state");
    }
}
