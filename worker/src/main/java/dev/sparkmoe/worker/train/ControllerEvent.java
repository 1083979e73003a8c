package dev.sparkmoe.worker.train;

import java.util.Arrays;

/**
 * One change the expert controller made to one MoE layer (ROUTING.md §4).
 *
 * @param step    the step after which it was applied
 * @param layer   MoE layer index
 * @param removed pruned expert ids
 * @param added   new expert ids
 * @param reason  why, in words
 */
public record ControllerEvent(long step, int layer, int[] removed, int[] added, String reason) {

    @Override public String toString() {
        return "step " + step + " layer " + layer + ": removed " + Arrays.toString(removed) + ", added "
                + Arrays.toString(added) + " (" + reason + ")";
    }
}
