package dev.sparkmoe.worker.engine;

import dev.sparkmoe.worker.moe.Expert;

import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Hands the ND4J experts an update stage produced to the next step's first expert stage on the
 * same executor, so that stage need not rebuild them from their {@code float[]} states (three
 * arrays of {@code 2·D·F} floats per expert, allocated and copied every step).
 *
 * <p>The states stay the truth: they are what the experts RDD caches, replicates and
 * checkpoints. A live expert is only a copy known to hold exactly its state's values, keyed by
 * the state object's identity (a cached RDD partition hands the next stage the very objects the
 * update produced; a replica, a shuffle or a recomputation makes new ones, which find nothing).
 * Each offer is taken at most once, because the taker goes on to change the expert: a second
 * reader of the same state (a recomputed partition, an evaluation) rebuilds from the state.
 * States are held weakly: an offer whose state is gone (an expert the controller removed, a
 * version Spark unpersisted) is dropped at the next call, and the map is bounded besides.
 */
final class ExpertHandoff {
    private static final int LIMIT = 4096;
    private static final ReferenceQueue<ExpertState> GONE = new ReferenceQueue<>();
    private static final Map<Identity, Expert> LIVE = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Identity, Expert> eldest) {
            return size() > LIMIT;
        }
    };

    private ExpertHandoff() {}

    /** Offers {@code expert}, whose parameters and moments equal {@code state}'s, to the next reader of {@code state}. */
    static synchronized void offer(ExpertState state, Expert expert) {
        purge();
        LIVE.put(new Identity(state, GONE), expert);
    }

    /**
     * The live expert offered for this very state object, with zero gradients, or null; the
     * offer is gone afterwards.
     */
    static synchronized Expert take(ExpertState state) {
        purge();
        Expert e = LIVE.remove(new Identity(state, null));
        if (e != null) {
            e.weights().grad().assign(0);
            e.biases().grad().assign(0);
        }
        return e;
    }

    /** Offers still waiting (those whose state was collected are dropped first). */
    static synchronized int size() {
        purge();
        return LIVE.size();
    }

    private static void purge() {
        for (Reference<? extends ExpertState> r; (r = GONE.poll()) != null; ) LIVE.remove((Identity) r);
    }

    /** A state as a map key by identity, held weakly. */
    private static final class Identity extends WeakReference<ExpertState> {
        private final int hash;

        Identity(ExpertState state, ReferenceQueue<ExpertState> queue) {
            super(state, queue);
            this.hash = System.identityHashCode(state);
        }

        @Override
        public boolean equals(Object o) {
            if (this == o) return true;                 // a cleared key still finds itself, for removal
            if (!(o instanceof Identity i)) return false;
            ExpertState mine = get();
            return mine != null && mine == i.get();
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }
}
