/**
 * DomainBed's leave-one-domain-out protocol with a vision MoE transformer ({@code train} with
 * {@code task = "domainbed"}). {@link dev.sparkmoe.driver.run.domainbed.DomainBedJob} loads the
 * dataset once, builds {@link dev.sparkmoe.driver.run.domainbed.DomainBedExamples} (every image as
 * one example set, broadcast once per training) and, per test domain, trains on the other domains'
 * train splits with a batch from each per step, evaluates the held-out splits of the training
 * domains and the test domain ({@code HeldOutEvaluation}), selects with training-domain validation
 * and writes DomainBed's results table ({@code DomainBedResults}). All trainings of a sweep share
 * one Spark context. Driver side only; the math is the worker's.
 */
package dev.sparkmoe.driver.run.domainbed;
