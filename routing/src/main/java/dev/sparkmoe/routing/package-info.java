/**
 * Routers and routing math for one MoE layer: pure functions on ND4J, no Spark.
 *
 * <h2>Glossary (the same names mean the same thing everywhere in spark-moe)</h2>
 * Shape symbols: {@code T} tokens in a batch (rows of an activation matrix, {@code T = B·S}),
 * {@code D} hidden size, {@code F} expert FFN size, {@code E} live experts of a layer,
 * {@code K} experts per token, {@code S} sequence length, {@code B} sequences in a batch,
 * {@code H} attention heads, {@code NNZ} kept (token, expert) assignments.
 * <ul>
 *   <li><b>expert id</b>: a layer-local {@code int} that names an expert for its whole life;
 *       ids are never reused ({@link dev.sparkmoe.routing.ExpertSet}).</li>
 *   <li><b>slot</b>: the position {@code 0..E-1} of a live expert in its layer's ascending id
 *       list. Routers compute in slots; records and the controller speak ids. Ties between
 *       experts are always broken by the lower slot, which is the lower id.</li>
 *   <li><b>routing decision</b>: the kept assignments in CSR form, token-major
 *       ({@link dev.sparkmoe.routing.RoutingDecision}).</li>
 *   <li><b>probs</b>: the combine weight of each kept assignment, {@code [NNZ]}.</li>
 *   <li><b>tokensPerExpert</b>: kept assignments per slot, {@code int[E]}.</li>
 *   <li><b>dropped</b>: assignments removed by a capacity limit (counted, never silent).</li>
 *   <li><b>unrouted</b>: tokens with no kept assignment; their MoE output is 0 and the residual
 *       path carries them.</li>
 *   <li><b>routing record</b>: per-layer statistics for the expert controller, mergeable in
 *       any order ({@link dev.sparkmoe.routing.RoutingRecord}).</li>
 * </ul>
 *
 * <h2>Contents</h2>
 * <ul>
 *   <li>Routers ({@link dev.sparkmoe.routing.Router}): {@link dev.sparkmoe.routing.TopKRouter}
 *       (ROUTING.md §1), {@link dev.sparkmoe.routing.TopAnyRouter} (§2),
 *       {@link dev.sparkmoe.routing.AttentionKRouter} (§3) with
 *       {@link dev.sparkmoe.routing.AttentionImportance}; built from their
 *       {@link dev.sparkmoe.routing.RouterConfig}s.</li>
 *   <li>Stateless helpers, one idea each (package-private): selection ({@code LargestK}),
 *       capacity ({@code Capacity}), aux losses ({@code LoadBalanceLoss}, {@code ZLoss},
 *       {@code DiverseSimpleLoss}, {@code TopAnyBalanceLoss}, {@code EfficiencyLoss}), row
 *       normalisation ({@code RowNorm}), seeded initialisation ({@code RouterInit}), records
 *       ({@code Records}).</li>
 *   <li>Controller policy as pure functions (driver side, §4):
 *       {@link dev.sparkmoe.routing.ControllerConfig}, {@link dev.sparkmoe.routing.UpdateSchedule},
 *       {@link dev.sparkmoe.routing.ExpertPolicy} → {@link dev.sparkmoe.routing.LayerChange},
 *       {@link dev.sparkmoe.routing.ExpertPlacement}.</li>
 * </ul>
 * Every tensor argument and result documents its shape with these symbols. Arrays are
 * row-major ('c'); routers compute in the data type of their input (float32 in training,
 * float64 in gradient checks).
 */
package dev.sparkmoe.routing;
