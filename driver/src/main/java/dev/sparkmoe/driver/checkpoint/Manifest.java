package dev.sparkmoe.driver.checkpoint;

import java.util.List;
import java.util.Map;

/**
 * The {@code manifest.json} of one checkpoint, as bound by Jackson: every scalar of the training
 * state, and by name every tensor, each listed once in {@link #tensors} with its file, type,
 * shape, size and checksum. Floating-point data lives only in tensor files (bit-exact, and
 * checksummed), never in the JSON. A field holding a tensor name is null when the tensor is
 * absent (e.g. AdamW moments before the first update). Written by {@link StateEncoder}, checked
 * and decoded by {@link StateDecoder}; {@link CheckpointFormat} documents the layout.
 *
 * @param formatVersion  {@link CheckpointFormat#VERSION}
 * @param step           steps completed
 * @param configHash     SHA-256 (hex) of the resolved config text of the run that wrote it
 * @param rng            the random-number state
 * @param optimizerSteps AdamW's step count
 * @param layers         each MoE layer's expert registry, in layer order
 * @param dense          the data-parallel parameters in {@code MoETransformer.denseParams()} order
 * @param experts        every live expert, by layer then id
 * @param placement      the experts' partitions (partitions 0 and no layers: single process)
 * @param controller     the expert controller's state per MoE layer (empty: none, or not yet run)
 * @param tensors        every tensor file
 */
record Manifest(int formatVersion, long step, String configHash, Rng rng, long optimizerSteps,
                List<Registry> layers, List<Dense> dense, List<Expert> experts, Placement placement,
                List<ControllerLayer> controller, List<Tensor> tensors) {

    /**
     * All randomness derives from {@code (seed, step, partition, layer, expert)} (DESIGN.md
     * invariant 2): the state is the seed and the next step.
     */
    record Rng(long seed, long nextStep) {}

    /** One MoE layer's live expert ids in slot order and the next id it hands out. */
    record Registry(int layer, int[] liveIds, int nextId) {}

    /** One dense parameter: tensor names of its value and AdamW moments (m, v null when absent). */
    record Dense(String name, long[] shape, String value, String m, String v) {}

    /** One expert: sizes and the tensor names of its flat parameters and moments (moments null when absent). */
    record Expert(int layer, int id, int dModel, int ffnDim, String weights, String biases, String weightsM,
                  String weightsV, String biasesM, String biasesV) {}

    /** A routing record's counts, with its float sum {@code R_S} in tensor {@code unroutedSum}. */
    record Record(int[] expertIds, long[] tokensPerExpert, String unroutedSum, long unroutedCount, long tokens,
                  long droppedAssignments) {}

    /** Expert partitions and, per layer, each live expert's partition and the load since it was last placed (or null). */
    record Placement(int partitions, List<PlacementLayer> layers) {}

    record PlacementLayer(Map<Integer, Integer> partitionOf, Record loadSinceLastPlacement) {}

    /** One layer's controller window (null when none is open) and each expert's last step of use. */
    record ControllerLayer(Record window, Map<Integer, Long> lastUsed) {}

    /**
     * One tensor file.
     *
     * @param name   the name fields above refer to
     * @param file   path relative to the checkpoint directory
     * @param dtype  ND4J data type name: FLOAT (parameters, moments) or DOUBLE (routing sums)
     * @param shape  the array's shape
     * @param bytes  the file's length
     * @param sha256 SHA-256 of the file's bytes, lower-case hex
     */
    record Tensor(String name, String file, String dtype, long[] shape, long bytes, String sha256) {}
}
