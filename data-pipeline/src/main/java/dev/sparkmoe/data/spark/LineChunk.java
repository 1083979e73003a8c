package dev.sparkmoe.data.spark;

import java.io.Serializable;

/**
 * The lines of one piece of a parquet export in compact form: line {@code i} is
 * {@code data[starts[i], starts[i] + lengths[i])} (UTF-8), or null when {@code lengths[i] == -1};
 * it is row {@code rows[i]} of file {@code files[fileOf[i]]}. Built on executors, persisted.
 *
 * @param files   the files the lines come from
 * @param fileOf  {@code [L]} index into {@code files}
 * @param rows    {@code [L]} row index in its file
 * @param starts  {@code [L]} offset into {@code data}
 * @param lengths {@code [L]} byte length, -1 for a null value
 * @param data    the UTF-8 bytes of all lines
 */
public record LineChunk(String[] files, int[] fileOf, long[] rows, int[] starts, int[] lengths, byte[] data)
        implements Serializable {

    /** Lines, {@code L}. */
    public int size() {
        return rows.length;
    }
}
