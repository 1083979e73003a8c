package dev.sparkmoe.data.domainbed;

import dev.sparkmoe.data.DataSeeds;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A leave-one-domain-out split with DomainBed's training-domain validation: the test domain's
 * examples are all test examples; every other domain is split into a held-out part
 * ({@code floor(size · holdout)} examples, DomainBed's {@code int(len(env) * holdout_fraction)})
 * used for model selection, and the rest for training. Which examples are held out comes from
 * a seeded shuffle per domain ({@link DataSeeds#derive}{@code (seed, domain)}, Fisher–Yates,
 * the first {@code n} shuffled indices held out), so a domain's validation part is the same
 * whichever domain is left out (DomainBed seeds it by {@code (trial_seed, env)} likewise).
 * Index arrays are sorted ascending. Immutable, serialisable, validated in the factory.
 */
public final class LodoSplit implements Serializable {
    private static final long serialVersionUID = 1L;

    /** DomainBed's default holdout fraction. */
    public static final double DEFAULT_HOLDOUT = 0.2;

    private final int testDomain;
    private final double holdout;
    private final long seed;
    private final int[][] train;
    private final int[][] val;
    private final int[][] test;

    private LodoSplit(int testDomain, double holdout, long seed, int[][] train, int[][] val, int[][] test) {
        this.testDomain = testDomain;
        this.holdout = holdout;
        this.seed = seed;
        this.train = train;
        this.val = val;
        this.test = test;
    }

    /**
     * The split leaving out {@code testDomain}.
     *
     * @param domainSizes examples per domain, e.g. {@link DomainImages#domainSizes()}
     * @param holdout     fraction of each training domain held out, in {@code [0, 1)}
     * @throws IllegalArgumentException naming the bad value (test domain, holdout, a size)
     */
    public static LodoSplit of(int[] domainSizes, int testDomain, double holdout, long seed) {
        if (domainSizes.length < 2) {
            throw new IllegalArgumentException(domainSizes.length + " domains; expected at least 2 to leave one out");
        }
        if (testDomain < 0 || testDomain >= domainSizes.length) {
            throw new IllegalArgumentException("test domain " + testDomain + "; expected 0.." + (domainSizes.length - 1));
        }
        if (!(holdout >= 0.0 && holdout < 1.0)) {
            throw new IllegalArgumentException("holdout fraction " + holdout + "; expected a value in [0, 1)");
        }
        int n = domainSizes.length;
        int[][] train = new int[n][];
        int[][] val = new int[n][];
        int[][] test = new int[n][];
        for (int d = 0; d < n; d++) {
            if (domainSizes[d] < 0) {
                throw new IllegalArgumentException("size of domain " + d + " is " + domainSizes[d] + "; expected >= 0");
            }
            if (d == testDomain) {
                train[d] = new int[0];
                val[d] = new int[0];
                test[d] = range(domainSizes[d]);
            } else {
                int[] perm = MnistEnvironments.permutation(domainSizes[d], DataSeeds.derive(seed, d));
                int held = (int) (domainSizes[d] * holdout);
                val[d] = sorted(Arrays.copyOfRange(perm, 0, held));
                train[d] = sorted(Arrays.copyOfRange(perm, held, perm.length));
                test[d] = new int[0];
            }
        }
        return new LodoSplit(testDomain, holdout, seed, train, val, test);
    }

    /** {@link #of} with {@link #DEFAULT_HOLDOUT}. */
    public static LodoSplit of(int[] domainSizes, int testDomain, long seed) {
        return of(domainSizes, testDomain, DEFAULT_HOLDOUT, seed);
    }

    /** One split per test domain, in domain order (a full DomainBed sweep over test environments). */
    public static List<LodoSplit> all(int[] domainSizes, double holdout, long seed) {
        List<LodoSplit> s = new ArrayList<>();
        for (int d = 0; d < domainSizes.length; d++) {
            s.add(of(domainSizes, d, holdout, seed));
        }
        return s;
    }

    private static int[] range(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        return r;
    }

    private static int[] sorted(int[] a) {
        Arrays.sort(a);
        return a;
    }

    /** The left-out domain. */
    public int testDomain() {
        return testDomain;
    }

    /** The held-out fraction of each training domain. */
    public double holdout() {
        return holdout;
    }

    /** The seed of the held-out choice. */
    public long seed() {
        return seed;
    }

    /** Number of domains. */
    public int numDomains() {
        return train.length;
    }

    /** The training domains, ascending (all but {@link #testDomain()}). */
    public int[] trainDomains() {
        int[] t = new int[train.length - 1];
        for (int d = 0, k = 0; d < train.length; d++) {
            if (d != testDomain) {
                t[k++] = d;
            }
        }
        return t;
    }

    /** Training example indices of domain {@code d} (empty for the test domain); a copy. */
    public int[] train(int d) {
        return train[d].clone();
    }

    /** Held-out (model-selection) example indices of domain {@code d} (empty for the test domain); a copy. */
    public int[] val(int d) {
        return val[d].clone();
    }

    /** Test example indices of domain {@code d}: all of the test domain, empty elsewhere; a copy. */
    public int[] test(int d) {
        return test[d].clone();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("LODO(test=").append(testDomain).append(", holdout=").append(holdout)
                .append(", seed=").append(seed).append(";");
        for (int d = 0; d < train.length; d++) {
            sb.append(" d").append(d).append(" ").append(train[d].length).append("/").append(val[d].length).append("/")
              .append(test[d].length);
        }
        return sb.append(" train/val/test)").toString();
    }
}
