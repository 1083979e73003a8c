package dev.sparkmoe.worker.model;

/**
 * A batch of {@code B} sequences of {@code S} input tokens with their next-token targets,
 * flattened token-major ({@code t = b·S + position}).
 *
 * @param inputs  {@code [T]} token ids
 * @param targets {@code [T]} next-token ids
 */
public record TokenBatch(int batch, int seqLen, int[] inputs, int[] targets) {

    /** Splits {@code B} windows of {@code S+1} ids into inputs (first S) and targets (last S). */
    public static TokenBatch ofWindows(int[][] windows) {
        int b = windows.length;
        if (b == 0) throw new IllegalArgumentException("empty batch");
        int s = windows[0].length - 1;
        if (s < 1) throw new IllegalArgumentException("windows must hold at least 2 ids, got " + windows[0].length);
        int[] in = new int[b * s];
        int[] tg = new int[b * s];
        for (int i = 0; i < b; i++) {
            if (windows[i].length != s + 1) {
                throw new IllegalArgumentException("window " + i + " has " + windows[i].length + " ids, expected " + (s + 1));
            }
            System.arraycopy(windows[i], 0, in, i * s, s);
            System.arraycopy(windows[i], 1, tg, i * s, s);
        }
        return new TokenBatch(b, s, in, tg);
    }

    public int tokens() { return inputs.length; }
}
