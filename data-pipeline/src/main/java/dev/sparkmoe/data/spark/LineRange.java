package dev.sparkmoe.data.spark;

import java.io.Serializable;

/**
 * Piece {@code index} of a text file: the lines whose first byte lies in {@code [start, end)}.
 * Plain data, built on the driver, read in tasks.
 */
public record LineRange(int index, long start, long end) implements Serializable {}
