package dev.sparkmoe.driver.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import dev.sparkmoe.routing.AttentionKConfig;
import dev.sparkmoe.routing.RouterConfig;
import dev.sparkmoe.routing.TopAnyConfig;
import dev.sparkmoe.routing.TopKConfig;
import dev.sparkmoe.worker.model.ModelConfig;
import dev.sparkmoe.worker.train.TrainerConfig;

import java.io.File;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The one typed, immutable configuration of a job, loaded from HOCON: the defaults in
 * {@code reference.conf}, then a job file ({@code conf/*.conf}), then command-line overrides
 * ({@code key=value}, keys relative to {@code spark-moe}). Validated here and only here: an
 * unknown key, a wrong type or a bad value fails at start with a message that names the key,
 * the value and what is allowed.
 */
public final class JobConfig {
    /** Root path of every key. */
    public static final String ROOT = "spark-moe";

    private final Config resolved;
    private final long seed;
    private final String task;
    private final DataSettings data;
    private final GlueSettings glue;
    private final DomainBedSettings domainbed;
    private final ModelConfig model;
    private final ControllerSettings controller;
    private final EngineSettings engine;
    private final CheckpointSettings checkpoint;
    private final TrainerConfig trainer;
    private final int logEvery;
    private final String runDir;

    private JobConfig(Config resolved) {
        this.resolved = resolved;
        Config c = resolved.getConfig(ROOT);
        this.seed = c.getLong("seed");
        this.task = c.getString("task");
        if (!task.equals("lm") && !task.equals("domainbed")) {
            throw new IllegalArgumentException("task = \"" + task + "\": must be lm or domainbed");
        }
        this.data = DataSettings.from(c);
        this.glue = GlueSettings.from(c);
        this.domainbed = DomainBedSettings.from(c);
        this.model = model(c);
        this.controller = ControllerSettings.from(c);
        this.engine = EngineSettings.from(c);
        this.checkpoint = CheckpointSettings.from(c);
        this.trainer = trainer(c, seed);
        this.logEvery = positiveInt(c, "train.logEvery");
        this.runDir = c.getString("run.dir");
    }

    /**
     * Loads and validates a job.
     *
     * @param jobFile   a HOCON file, or null for the defaults alone
     * @param overrides {@code key=value} strings, keys relative to {@code spark-moe}
     * @throws IllegalArgumentException naming the key, the value and what is allowed
     */
    public static JobConfig load(File jobFile, List<String> overrides) {
        Config reference = ConfigFactory.parseResources(JobConfig.class.getClassLoader(), "reference.conf",
                ConfigParseOptions.defaults().setAllowMissing(false));
        Config merged = reference;
        if (jobFile != null) {
            if (!jobFile.isFile()) throw new IllegalArgumentException("config file " + jobFile + " does not exist");
            merged = ConfigFactory.parseFile(jobFile).withFallback(merged);
        }
        for (String o : overrides) merged = parseOverride(o).withFallback(merged);
        Config resolved = merged.resolve();
        rejectUnknownKeys(resolved, reference);
        try {
            return new JobConfig(resolved);
        } catch (com.typesafe.config.ConfigException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private static Config parseOverride(String override) {
        int eq = override.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException("override '" + override + "': expected key=value, e.g. router.kind=topk");
        }
        String key = override.substring(0, eq).trim();
        try {
            return ConfigFactory.parseString(ROOT + "." + key + " = " + override.substring(eq + 1));
        } catch (com.typesafe.config.ConfigException e) {
            throw new IllegalArgumentException("override '" + override + "': " + e.getMessage(), e);
        }
    }

    private static void rejectUnknownKeys(Config resolved, Config reference) {
        TreeSet<String> unknown = new TreeSet<>();
        for (Map.Entry<String, ConfigValue> e : resolved.getConfig(ROOT).entrySet()) {
            if (!reference.hasPathOrNull(ROOT + "." + e.getKey())) unknown.add(e.getKey());
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown configuration key(s) " + unknown
                    + " (" + resolved.getValue(ROOT + "." + unknown.first()).origin().description()
                    + "); every key is declared in reference.conf");
        }
    }

    private static ModelConfig model(Config c) {
        int[] moeBlocks = c.getIntList("model.moeBlocks").stream().mapToInt(Integer::intValue).toArray();
        int seqLen = positiveInt(c, "model.seqLen");
        // The vocabulary size is known once the vocabulary is built: see model(int).
        return new ModelConfig(1, seqLen, c.getInt("model.dModel"), c.getInt("model.heads"), c.getInt("model.ffnDim"),
                c.getInt("model.expertFfnDim"), c.getInt("model.blocks"), moeBlocks, c.getInt("model.experts"), router(c),
                c.getBoolean("model.causal"));
    }

    /** The router of {@code router.kind}, from its own sub-section; keys are read by full path so errors name them. */
    static RouterConfig router(Config c) {
        String kind = c.getString("router.kind");
        return switch (kind) {
            case "topk" -> new TopKConfig(c.getInt("router.topk.k"), c.getDouble("router.topk.capacityFactor"),
                    c.getBoolean("router.topk.renormalize"), c.getDouble("router.topk.loadBalanceWeight"),
                    c.getDouble("router.topk.zLossWeight"));
            case "topany" -> new TopAnyConfig(c.getDouble("router.topany.temperature"),
                    c.getBoolean("router.topany.trainableTemperature"), c.getDouble("router.topany.diverseSimpleWeight"),
                    c.getDouble("router.topany.balanceWeight"), c.getDouble("router.topany.efficiencyWeight"));
            case "attnk" -> new AttentionKConfig(c.getDouble("router.attnk.kScale"), c.getInt("router.attnk.kMin"),
                    c.getInt("router.attnk.kMax"), c.getDouble("router.attnk.capacityFactor"),
                    c.getDouble("router.attnk.loadBalanceWeight"), c.getDouble("router.attnk.zLossWeight"),
                    c.getBoolean("router.attnk.previousBlock"));
            default -> throw new IllegalArgumentException("router.kind = \"" + kind + "\": must be one of topk, topany, attnk");
        };
    }

    private static TrainerConfig trainer(Config c, long seed) {
        long steps = c.getLong("train.steps");
        if (steps < 1) throw new IllegalArgumentException("train.steps = " + steps + ": must be >= 1");
        long warmup = c.getLong("optim.warmupSteps");
        if (warmup < 0 || warmup > steps) {
            throw new IllegalArgumentException("optim.warmupSteps = " + warmup + ": must be in [0, train.steps = " + steps + "]");
        }
        return new TrainerConfig(seed, c.getLong("train.steps"), c.getInt("train.batchSize"), c.getDouble("optim.lr"),
                c.getDouble("optim.minLr"), c.getLong("optim.warmupSteps"), c.getDouble("optim.weightDecay"),
                c.getDouble("optim.beta1"), c.getDouble("optim.beta2"), c.getDouble("optim.eps"),
                c.getDouble("optim.clipNorm"), c.getInt("train.evalEvery"), c.getInt("train.evalBatches"));
    }

    static int positiveInt(Config c, String key) {
        int v = c.getInt(key);
        if (v < 1) throw new IllegalArgumentException(key + " = " + v + ": must be >= 1");
        return v;
    }

    /** The model shape with the vocabulary size known only after the vocabulary is built. */
    public ModelConfig model(int vocabSize) {
        return new ModelConfig(vocabSize, model.maxSeqLen(), model.dModel(), model.heads(), model.ffnDim(),
                model.expertFfnDim(), model.numBlocks(), model.moeBlocks(), model.numExperts(), model.router(), model.causal());
    }

    /** This job with {@code seed} instead (one training of a sweep, e.g. a DomainBed test domain); validated again. */
    public JobConfig withSeed(long newSeed) {
        return new JobConfig(resolved.withValue(ROOT + ".seed", ConfigValueFactory.fromAnyRef(newSeed)));
    }

    public long seed() { return seed; }
    /** What {@code train} trains: "lm" or "domainbed". */
    public String task() { return task; }
    public DataSettings data() { return data; }
    public GlueSettings glue() { return glue; }
    public DomainBedSettings domainbed() { return domainbed; }
    /** The model shape as configured (vocabulary size 1 until {@link #model(int)} gives it). */
    public ModelConfig model() { return model; }
    public RouterConfig router() { return model.router(); }
    public int seqLen() { return model.maxSeqLen(); }
    public ControllerSettings controller() { return controller; }
    public EngineSettings engine() { return engine; }
    public CheckpointSettings checkpoint() { return checkpoint; }
    public TrainerConfig trainer() { return trainer; }
    public int logEvery() { return logEvery; }
    public String runDir() { return runDir; }

    /**
     * The part of the configuration a checkpoint must agree with to be resumed exactly (its
     * hash is in the manifest): everything that changes the parameters. Where the run lives,
     * how it is spread over the cluster, how often it logs, validates or checkpoints do not, so
     * a run may resume in a moved run directory or on a different number of partitions.
     */
    public String renderForCheckpoint() {
        Config c = resolved.getConfig(ROOT);
        for (String path : new String[]{"run", "engine", "checkpoint", "train.logEvery", "train.evalEvery", "train.evalBatches"}) {
            c = c.withoutPath(path);
        }
        return c.atPath(ROOT).root().render(ConfigRenderOptions.defaults().setOriginComments(false).setJson(false));
    }

    /** The resolved configuration as HOCON, to be saved with the run. */
    public String render() {
        return resolved.getConfig(ROOT).atPath(ROOT).root()
                .render(ConfigRenderOptions.defaults().setOriginComments(false).setJson(false));
    }
}
