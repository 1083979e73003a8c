package dev.sparkmoe.driver.run;

import dev.sparkmoe.driver.config.ControllerSettings;
import dev.sparkmoe.driver.config.EngineSettings;
import dev.sparkmoe.driver.config.JobConfig;
import dev.sparkmoe.driver.engine.EngineLayout;
import dev.sparkmoe.driver.engine.SparkEngine;
import dev.sparkmoe.driver.engine.StepBatches;
import dev.sparkmoe.routing.ControllerConfig;
import dev.sparkmoe.routing.UpdateSchedule;
import dev.sparkmoe.worker.model.ModelConfig;
import dev.sparkmoe.worker.model.MoETransformer;
import dev.sparkmoe.worker.moe.InProcessDispatcher;
import dev.sparkmoe.worker.spark.FaultInjection;
import dev.sparkmoe.worker.state.ModelStates;
import dev.sparkmoe.worker.state.TrainingState;
import dev.sparkmoe.worker.train.ExpertController;
import dev.sparkmoe.worker.train.ReferenceTrainer;
import dev.sparkmoe.worker.train.TokenBatches;
import org.apache.spark.api.java.JavaSparkContext;
import org.nd4j.linalg.api.buffer.DataType;

import java.util.function.BiFunction;

/**
 * Starts a job's {@link Training} as {@code engine.*} says: the Spark engine (its own Spark
 * context, data and expert partitions) or the single-process reference trainer; from the
 * config's seed, or from a state (a checkpoint to resume, or a pretrained model to fine-tune).
 */
public final class Trainings {
    private Trainings() {}

    /**
     * @param model     the model shape
     * @param start     the state to continue from, or null to initialise from {@code config.seed()}
     * @param app       the Spark application name
     * @param onEngine  the training batches for the engine, given its Spark context and data partitions
     * @param inProcess the training batches for the single-process trainer
     */
    public static Training start(JobConfig config, ModelConfig model, TrainingState start, String app,
                                 BiFunction<JavaSparkContext, Integer, StepBatches> onEngine, TokenBatches inProcess) {
        if (!config.engine().spark()) return start(config, model, start, (JavaSparkContext) null, onEngine, inProcess);
        JavaSparkContext sc = SparkTraining.context(config.engine(), app);
        try {
            return onContext(config, model, start, sc, true, onEngine);
        } catch (RuntimeException ex) {
            sc.stop();
            throw ex;
        }
    }

    /**
     * The job's Spark context for {@link #start(JobConfig, ModelConfig, TrainingState, JavaSparkContext,
     * BiFunction, TokenBatches)} runs that share one (e.g. a sweep of trainings), or null when
     * {@code engine.kind = single}. The caller stops it.
     */
    public static JavaSparkContext context(JobConfig config, String app) {
        return config.engine().spark() ? SparkTraining.context(config.engine(), app) : null;
    }

    /**
     * Like {@link #start(JobConfig, ModelConfig, TrainingState, String, BiFunction, TokenBatches)} but on
     * {@code shared}, a context from {@link #context}: closing the training leaves it running.
     */
    public static Training start(JobConfig config, ModelConfig model, TrainingState start, JavaSparkContext shared,
                                 BiFunction<JavaSparkContext, Integer, StepBatches> onEngine, TokenBatches inProcess) {
        if (!config.engine().spark()) {
            ExpertController controller = controller(config.controller());
            ReferenceTrainer reference = start == null
                    ? new ReferenceTrainer(new MoETransformer(model, config.seed(), DataType.FLOAT, InProcessDispatcher::new),
                            config.trainer(), inProcess, controller)
                    : ReferenceTrainer.resume(start, model, config.trainer(), inProcess, controller);
            return new SingleProcessTraining(reference);
        }
        if (shared == null) throw new IllegalArgumentException("engine.kind = spark needs a Spark context");
        return onContext(config, model, start, shared, false, onEngine);
    }

    private static Training onContext(JobConfig config, ModelConfig model, TrainingState start, JavaSparkContext sc,
                                      boolean ownsContext, BiFunction<JavaSparkContext, Integer, StepBatches> onEngine) {
        ExpertController controller = controller(config.controller());
        EngineSettings e = config.engine();
        int dataPartitions = SparkTraining.partitions(sc, e.dataPartitions());
        int expertPartitions = SparkTraining.partitions(sc, e.expertPartitions());
        StepBatches train = onEngine.apply(sc, dataPartitions);
        if (start != null && controller != null) controller.restore(start.controller());
        MoETransformer driverModel = start == null
                ? new MoETransformer(model, config.seed(), DataType.FLOAT, InProcessDispatcher::new, null, false)
                : ModelStates.rebuild(model, start, false);
        SparkEngine engine = new SparkEngine(sc, driverModel, config.seed(), config.trainer(), train,
                new EngineLayout(expertPartitions, e.placementTolerance(), e.rebalanceEvery()), controller,
                FaultInjection.NONE, start);
        return new SparkTraining(sc, engine, train, expertPartitions, ownsContext);
    }

    private static ExpertController controller(ControllerSettings c) {
        if (!c.enabled()) return null;
        return new ExpertController(new ControllerConfig(c.minExperts(), c.maxExperts(), true, true),
                new UpdateSchedule(c.recordSteps(), c.idleSteps()));
    }
}
