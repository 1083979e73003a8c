/** Benchmark main classes (not unit tests): {@link dev.sparkmoe.data.bench.TokenizeBench}. */
package dev.sparkmoe.data.bench;
