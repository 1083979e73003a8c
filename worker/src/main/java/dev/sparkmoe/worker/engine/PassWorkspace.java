package dev.sparkmoe.worker.engine;

import org.nd4j.linalg.api.memory.MemoryManager;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.memory.enums.ResetPolicy;
import org.nd4j.linalg.api.memory.enums.SpillPolicy;
import org.nd4j.linalg.factory.Nd4j;

import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The ND4J workspace one partition's pass allocates from across the stages of a step. The
 * single-process trainer opens one workspace per step ({@code train.StepWorkspace}); a Spark
 * pass cannot, because its stages are separate tasks that may run on different threads and ND4J
 * binds an open scope to a thread. So the pass owns a workspace object instead: {@link #begin}
 * opens its cycle, each stage {@link #borrow borrows} it on whatever thread runs the stage
 * (allocations continue where the last stage stopped; nothing is reset), and {@link #end} closes
 * the cycle once nothing allocated in it is used any more, and the next pass of its kind reuses
 * the block.
 *
 * <p>Without it every activation was a fresh native allocation: a third of the data stages'
 * native time went to allocating and zeroing. Ended workspaces go back to an executor-wide pool
 * so the next step's pass reuses the learned block; a pass that fails midway never ends, and its
 * workspace is left to the garbage collector. The pool holds memory, never state: which
 * workspace a pass gets has no effect on its results.
 *
 * <p>Not thread-safe: the stages of one pass run one after another.
 */
public final class PassWorkspace {
    /** Headroom over the largest cycle seen, so that a slightly larger pass does not spill. */
    private static final double HEADROOM = 1.25;
    private static final int POOL_LIMIT = 32;
    private static final AtomicInteger CREATED = new AtomicInteger();

    /**
     * Which side of the step a pass is on. Each kind has its own pool: a data pass (activations
     * of every layer) needed about 2.5 times an expert partition's block at the reference size.
     */
    public enum Kind {
        DATA, EXPERT;

        private final ConcurrentLinkedDeque<MemoryWorkspace> pool = new ConcurrentLinkedDeque<>();
        private final AtomicLong largestCycle = new AtomicLong();
    }

    private final Kind kind;
    private final MemoryWorkspace workspace;
    private boolean ended;

    private PassWorkspace(Kind kind, MemoryWorkspace workspace) {
        this.kind = kind;
        this.workspace = workspace;
    }

    /** Takes a workspace of {@code kind}'s pool (or a new one) and opens its cycle; the calling thread is left as it was. */
    public static PassWorkspace begin(Kind kind) {
        MemoryWorkspace ws = kind.pool.pollFirst();
        if (ws == null) ws = create((long) (kind.largestCycle.get() * HEADROOM));
        MemoryManager memory = Nd4j.getMemoryManager();
        MemoryWorkspace before = memory.getCurrentWorkspace();
        ws.notifyScopeEntered();            // resets the offset, frees last cycle's spills, starts counting
        memory.setCurrentWorkspace(before);
        return new PassWorkspace(kind, ws);
    }

    /**
     * A fixed-size workspace: ND4J's own learning (FIRST_LOOP with REALLOCATE) adds its headroom
     * only once, so passes of varying size sharing a pool made it reallocate and zero the whole
     * block at almost every cycle's end. Sizing is done here instead ({@link #end}).
     */
    private static MemoryWorkspace create(long bytes) {
        WorkspaceConfiguration config = WorkspaceConfiguration.builder()
                .initialSize(bytes)
                .policyAllocation(AllocationPolicy.STRICT)
                .policyLearning(LearningPolicy.NONE)
                .policyReset(ResetPolicy.BLOCK_LEFT)
                .policySpill(SpillPolicy.REALLOCATE)
                .build();
        return Nd4j.getWorkspaceManager().createNewWorkspace(config, "spark-moe-pass-" + CREATED.incrementAndGet());
    }

    /**
     * Makes the workspace current on this thread until the returned scope closes; allocations
     * continue after the previous stage's.
     */
    public MemoryWorkspace borrow() {
        if (ended) throw new IllegalStateException("pass workspace already ended: nothing may allocate from it");
        return workspace.notifyScopeBorrowed();
    }

    /**
     * Closes the cycle (the block is reset, what spilled over it is freed at the next cycle's
     * start) and returns the workspace to the pool; one that was too small for this cycle is
     * destroyed instead, and the next {@link #begin} creates one sized for the largest cycle
     * seen. Every array allocated in it is invalid afterwards. Idempotent.
     */
    public void end() {
        if (ended) return;
        ended = true;
        long used = workspace.getThisCycleAllocations();
        kind.largestCycle.accumulateAndGet(used, Math::max);
        MemoryManager memory = Nd4j.getMemoryManager();
        MemoryWorkspace before = memory.getCurrentWorkspace();
        memory.setCurrentWorkspace(workspace);   // close() is the scope end of the begin() on another thread
        workspace.close();
        memory.setCurrentWorkspace(before);
        if (workspace.getCurrentSize() >= used && kind.pool.size() < POOL_LIMIT) kind.pool.addFirst(workspace);
        else workspace.destroyWorkspace();
    }

    /** Whether {@link #end} ran. */
    public boolean ended() {
        return ended;
    }

    /** Bytes of this pass's block (0 until a pass has taught the pool its size). */
    public long capacity() {
        return workspace.getCurrentSize();
    }
}
