package dev.sparkmoe.data.spark;

import dev.sparkmoe.data.glue.GlueBatch;
import java.util.List;

/** Row copies between {@link GlueBatch}es (both sides; pure; allocates the result only). */
final class GlueRows {
    private GlueRows() {}

    /** Rows {@code local[i]} of {@code b}, in that order. */
    static GlueBatch select(GlueBatch b, int[] local) {
        int s = b.seqLength();
        int n = local.length;
        GlueBatch out = empty(n, s);
        for (int i = 0; i < n; i++) {
            copyRow(b, local[i], out, i);
        }
        return out;
    }

    /** Rows {@code [from, to)} of {@code b}. */
    static GlueBatch slice(GlueBatch b, int from, int to) {
        int[] local = new int[to - from];
        for (int i = 0; i < local.length; i++) {
            local[i] = from + i;
        }
        return select(b, local);
    }

    /** The rows of {@code parts} one after another; every part has sequence length {@code s}. */
    static GlueBatch concat(List<GlueBatch> parts, int s) {
        int n = 0;
        for (GlueBatch p : parts) {
            if (p.seqLength() != s) {
                throw new IllegalArgumentException("batch of S=" + p.seqLength() + "; expected S=" + s);
            }
            n += p.batchSize();
        }
        GlueBatch out = empty(n, s);
        int at = 0;
        for (GlueBatch p : parts) {
            for (int i = 0; i < p.batchSize(); i++) {
                copyRow(p, i, out, at++);
            }
        }
        return out;
    }

    /** A batch of {@code n} rows of length {@code s}, all zero. */
    static GlueBatch empty(int n, int s) {
        int ns = Math.multiplyExact(n, s);
        return new GlueBatch(n, s, new int[ns], new int[ns], new int[ns], new int[n], new int[n], new float[n],
                new int[n]);
    }

    /** Copies row {@code i} of {@code from} into row {@code j} of {@code to} (same S). */
    static void copyRow(GlueBatch from, int i, GlueBatch to, int j) {
        int s = from.seqLength();
        System.arraycopy(from.tokenIds(), i * s, to.tokenIds(), j * s, s);
        System.arraycopy(from.mask(), i * s, to.mask(), j * s, s);
        System.arraycopy(from.segments(), i * s, to.segments(), j * s, s);
        to.lengths()[j] = from.lengths()[i];
        to.labels()[j] = from.labels()[i];
        to.scores()[j] = from.scores()[i];
        to.indices()[j] = from.indices()[i];
    }
}
