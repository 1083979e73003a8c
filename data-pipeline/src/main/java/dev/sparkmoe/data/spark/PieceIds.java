package dev.sparkmoe.data.spark;

import dev.sparkmoe.data.SkipReport;
import java.io.Serializable;

/**
 * The token ids of one piece of a WikiText line stream (executor side), or its summary for the
 * driver (then {@code ids} holds only the first {@code S} ids and {@code length} the full count).
 *
 * @param piece      piece index
 * @param length     ids in the piece
 * @param ids        the ids (or their first {@code S})
 * @param unknown    {@code <unk>} ids among them
 * @param lines      lines that contributed ({@code <eos>} ids)
 * @param paragraphs paragraphs among those lines
 * @param skips      what the piece skipped
 */
public record PieceIds(int piece, int length, int[] ids, long unknown, long lines, long paragraphs,
                       SkipReport skips) implements Serializable {

    /** This piece with only its first {@code head} ids kept (the driver's summary). */
    public PieceIds summary(int head) {
        int[] h = java.util.Arrays.copyOf(ids, Math.min(head, ids.length));
        return new PieceIds(piece, length, h, unknown, lines, paragraphs, skips);
    }
}
