/**
 * Transformer layers with forward and backward passes on ND4J, batched over all tokens.
 *
 * <p>Conventions shared by every layer here:
 * <ul>
 *   <li>Activations are row-major {@code [T, D]} matrices, {@code T = B·S} tokens, token
 *       {@code t = b·S + position}.</li>
 *   <li>A layer reports its {@link dev.sparkmoe.worker.nn.ParamSlicer.Sizes}, takes its
 *       parameter views in {@code bind(ParamSlicer)}, and fills them in
 *       {@code init(long seed)} deterministically.</li>
 *   <li>{@code forward} caches what {@code backward} needs; {@code backward(dy)} adds
 *       ({@code +=}) parameter gradients into the gradient views and returns the gradient for
 *       the layer below; the cache is released after backward.</li>
 *   <li>Layers compute in their parameters' data type (float32 in training, float64 in
 *       gradient checks); matrix products go through {@code Nd4j.gemm} and all work is batched
 *       (no per-token objects or ops).</li>
 *   <li>Shape errors name the layer, the expected and the actual shape.</li>
 *   <li>{@code init(seed)} draws from a {@code SplittableRandom} seeded with
 *       {@code Seeds.derive(seed, layerName.hashCode(), tensorIndex)}: layers that share a seed still differ
 *       through their names, and the same (seed, name) gives the same values in any process.</li>
 *   <li>A layer instance holds its forward cache, so it serves one forward/backward at a time (one instance per
 *       task thread); {@code forward} keeps its input by reference until {@code backward}, so callers must not
 *       modify an input in place in between.</li>
 * </ul>
 */
package dev.sparkmoe.worker.nn;
