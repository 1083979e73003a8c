package dev.sparkmoe.routing;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What every router's forward pass returns, plus the bookkeeping that guards its backward
 * pass: the router and expert set it was computed with, and whether backward already ran
 * (caches are released then). Subclasses hold the router-specific caches and call
 * {@link #complete} once, at the end of the forward pass.
 */
abstract class BaseForward implements RouterForward {
    private Router owner;
    private ExpertSet experts;
    private RoutingDecision decision;
    private double auxLoss;
    private Map<String, Double> auxLossTerms = Map.of();
    private RoutingRecord record;
    private boolean consumed;

    /** Sets the results of the forward pass. */
    final void complete(Router owner, ExpertSet experts, RoutingDecision decision, double auxLoss,
                        Map<String, Double> auxLossTerms, RoutingRecord record) {
        if (this.owner != null) throw new IllegalStateException("forward pass already complete");
        this.owner = owner;
        this.experts = experts;
        this.decision = decision;
        this.auxLoss = auxLoss;
        this.auxLossTerms = Collections.unmodifiableMap(new LinkedHashMap<>(auxLossTerms));
        this.record = record;
    }

    @Override public RoutingDecision decision() { return decision; }
    @Override public double auxLoss() { return auxLoss; }
    @Override public Map<String, Double> auxLossTerms() { return auxLossTerms; }
    @Override public RoutingRecord record() { return record; }

    /**
     * Runs a router's backward on {@code fwd}: checks it is a forward pass of {@code type} made by
     * {@code router} with its current experts and not yet differentiated, runs {@code body}, and
     * releases the backward caches whatever happens.
     */
    static <F extends BaseForward> INDArray backward(RouterForward fwd, Class<F> type, Router router,
                                                     java.util.function.Function<F, INDArray> body) {
        if (!type.isInstance(fwd)) {
            throw new IllegalArgumentException("router " + router.config().kind()
                    + ": not a forward pass of this router: " + fwd);
        }
        F f = type.cast(fwd);
        BaseForward base = f;
        base.beginBackward(router);
        try {
            return body.apply(f);
        } finally {
            f.release();
        }
    }

    /** Checks that {@code router} may run backward on this pass now, then marks it consumed. */
    private void beginBackward(Router router) {
        String kind = router.config().kind();
        if (router != owner) {
            throw new IllegalArgumentException("router " + kind + ": this forward pass belongs to another router");
        }
        if (!router.experts().equals(experts)) {
            throw new IllegalStateException("router " + kind + ": experts changed from " + experts + " to "
                    + router.experts() + " between forward and backward");
        }
        if (consumed) throw new IllegalStateException("router " + kind + ": backward already ran on this forward pass");
        consumed = true;
    }

    /** Releases the caches that only backward needs. */
    abstract void release();
}
