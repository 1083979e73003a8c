package dev.sparkmoe.worker.train;

import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.memory.enums.ResetPolicy;
import org.nd4j.linalg.api.memory.enums.SpillPolicy;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The ND4J workspace one training or evaluation step allocates its activations, caches and
 * temporaries from. The first step learns the size; later steps reuse the same block instead
 * of allocating (and page-faulting) fresh native memory for every intermediate array, which
 * was a quarter of the step time. The block is 30 % larger than the first step needed: dynamic
 * routers send a different number of rows to the experts every step, and a step that outgrows
 * the block reallocates and zeroes all of it. Everything that outlives a step — parameters, gradients,
 * optimiser state — is allocated outside it ({@link dev.sparkmoe.routing.Param} sees to that),
 * and nothing allocated inside may be used after the step's scope closes.
 */
public final class StepWorkspace {
    private static final WorkspaceConfiguration CONFIG = WorkspaceConfiguration.builder()
            .initialSize(0)
            .policyAllocation(AllocationPolicy.OVERALLOCATE)
            .overallocationLimit(0.3)
            .policyLearning(LearningPolicy.FIRST_LOOP)
            .policyReset(ResetPolicy.BLOCK_LEFT)
            .policySpill(SpillPolicy.REALLOCATE)
            .build();

    private StepWorkspace() {}

    /** Opens the calling thread's shared step workspace; close it (try-with-resources) when the step ends. */
    public static MemoryWorkspace open() {
        return open("spark-moe-step");
    }

    /**
     * Opens the calling thread's workspace named {@code id}. Each trainer uses its own: models of
     * different sizes taking turns in one workspace made it reallocate and zero itself on every
     * switch (40 % slower steps when five routers were timed in turn).
     */
    public static MemoryWorkspace open(String id) {
        return Nd4j.getWorkspaceManager().getAndActivateWorkspace(CONFIG, id);
    }
}
