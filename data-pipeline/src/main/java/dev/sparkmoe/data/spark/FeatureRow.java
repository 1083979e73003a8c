package dev.sparkmoe.data.spark;

import java.io.Serializable;

/**
 * One decoded example for {@link FeatureBlockRDD}: a feature vector (e.g. an image's pixels,
 * channel-major), its class label and its domain (environment) index. Plain data, both sides.
 *
 * @param x      {@code [W]} features
 * @param label  class label
 * @param domain domain index (0 when the dataset has one domain)
 */
public record FeatureRow(float[] x, int label, int domain) implements Serializable {}
