package dev.sparkmoe.worker.engine;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A pass's workspace borrowed by stages on different threads, then ended and reused. */
class PassWorkspaceTest {

    @Test
    void arraysOfEarlierStagesSurviveLaterStagesOnOtherThreads() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            for (int step = 0; step < 3; step++) {
                PassWorkspace pass = PassWorkspace.begin(PassWorkspace.Kind.DATA);
                assertNull(Nd4j.getMemoryManager().getCurrentWorkspace(), "begin leaves the calling thread as it was");
                INDArray first = threads.submit(() -> stage(pass, 1f)).get();
                INDArray second = threads.submit(() -> stage(pass, 2f)).get();
                INDArray third = threads.submit(() -> stage(pass, 3f)).get();
                assertTrue(first.isAttached(), "allocated in the pass's workspace");
                assertSame(first.data().getParentWorkspace(), third.data().getParentWorkspace());
                assertEquals(1000f, first.sumNumber().floatValue(), "stage 1's array untouched by stages 2 and 3");
                assertEquals(2000f, second.sumNumber().floatValue());
                assertEquals(3000f, third.sumNumber().floatValue());
                pass.end();
                pass.end();                                             // idempotent
                assertTrue(pass.ended());
                assertThrows(IllegalStateException.class, pass::borrow);
            }
            PassWorkspace reused = PassWorkspace.begin(PassWorkspace.Kind.DATA);
            assertTrue(reused.capacity() >= 3 * 1000 * 4, "the pool hands out a block sized for the passes seen: "
                    + reused.capacity());
            reused.end();
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void borrowingRestoresTheThreadsWorkspace() {
        PassWorkspace pass = PassWorkspace.begin(PassWorkspace.Kind.DATA);
        try (MemoryWorkspace scope = pass.borrow()) {
            assertSame(scope, Nd4j.getMemoryManager().getCurrentWorkspace());
        }
        assertNull(Nd4j.getMemoryManager().getCurrentWorkspace());
        pass.end();
        assertNull(Nd4j.getMemoryManager().getCurrentWorkspace());
    }

    private static INDArray stage(PassWorkspace pass, float value) {
        try (MemoryWorkspace ignored = pass.borrow()) {
            INDArray x = Nd4j.create(DataType.FLOAT, 10, 100).assign(value);
            Nd4j.create(DataType.FLOAT, 50, 50).assign(-1);                // scratch that must not overwrite x
            return x;
        } finally {
            assertNull(Nd4j.getMemoryManager().getCurrentWorkspace(), "the task thread is left as it was");
        }
    }
}
