package dev.sparkmoe.driver.report;

/**
 * One validation line of {@code metrics.jsonl}.
 *
 * @param step    0-based step after which the model was validated
 * @param loss    validation cross-entropy (nats)
 * @param unigram the unigram baseline's cross-entropy on the same split; NaN when not recorded
 */
public record ValidationRecord(long step, double loss, double unigram) {}
