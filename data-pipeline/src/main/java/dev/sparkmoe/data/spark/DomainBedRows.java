package dev.sparkmoe.data.spark;

import dev.sparkmoe.data.SkipReport;

/**
 * The result of {@link DomainBedSpark#decodeFolder}: the decoded rows as a {@link FeatureBlockRDD}
 * and what decoding skipped on the executors ({@code bad-image}), merged on the driver in
 * partition order of the work list (so the first place of each reason is deterministic).
 * A driver-side value.
 *
 * @param rows  the decoded rows, persisted
 * @param skips images of the requested part that could not be decoded (left out of {@code rows})
 */
public record DomainBedRows(FeatureBlockRDD rows, SkipReport skips) {}
