package dev.sparkmoe.driver.checkpoint;

import dev.sparkmoe.worker.engine.Blocks;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads one checkpoint's tensor files and checks each against its manifest entry before use:
 * the file exists and has the recorded length, its bytes have the recorded SHA-256, ND4J can
 * read it, and its type and shape are the recorded ones and the ones the caller expects. Any
 * failure is a {@link CorruptCheckpointException} naming the file and what was expected.
 * Driver side; blocks on the file system.
 */
final class TensorReader {
    private final FileSystem fs;
    private final Path dir;
    private final Map<String, Manifest.Tensor> byName = new HashMap<>();

    TensorReader(FileSystem fs, Path dir, List<Manifest.Tensor> entries) {
        this.fs = fs;
        this.dir = dir;
        for (Manifest.Tensor t : entries) {
            if (t == null || t.name() == null || t.file() == null || byName.put(t.name(), t) != null) {
                throw corrupt(new Path(dir, CheckpointFormat.MANIFEST) + ": tensor entries must have unique names and files, got " + t);
            }
        }
    }

    /** A float32 tensor that must have {@code shape}; null name → empty array (an absent moment). */
    float[] floatsOrEmpty(String name, long[] shape) {
        return name == null ? new float[0] : floats(name, shape);
    }

    /** A float32 tensor that must have {@code shape}. */
    float[] floats(String name, long[] shape) {
        return Blocks.floats(read(name, "FLOAT", shape));
    }

    /** A float64 vector of {@code length} elements. */
    double[] doubles(String name, long length) {
        return read(name, "DOUBLE", new long[]{length}).toDoubleVector();
    }

    /** The element count the manifest lists for 1-D tensor {@code name} (checked again when it is read). */
    long listedLength(String name) {
        Manifest.Tensor t = entry(name);
        if (t.shape() == null || t.shape().length != 1) {
            throw corrupt(new Path(dir, CheckpointFormat.MANIFEST) + ": tensor " + name + " must be 1-D, is listed with shape "
                    + Arrays.toString(t.shape()));
        }
        return t.shape()[0];
    }

    private Manifest.Tensor entry(String name) {
        Manifest.Tensor t = name == null ? null : byName.get(name);
        if (t == null) throw corrupt(new Path(dir, CheckpointFormat.MANIFEST) + " refers to tensor '" + name + "' but lists no such tensor");
        return t;
    }

    private INDArray read(String name, String dtype, long[] shape) {
        Manifest.Tensor t = entry(name);
        Path path = new Path(dir, t.file());
        if (!dtype.equals(t.dtype()) || !Arrays.equals(shape, t.shape())) {
            throw corrupt(new Path(dir, CheckpointFormat.MANIFEST) + ": tensor " + name + " is listed as " + t.dtype() + Arrays.toString(t.shape())
                    + ", expected " + dtype + Arrays.toString(shape));
        }
        byte[] bytes = bytes(path, t.bytes());
        String sha = Sha256.of(bytes);
        if (!sha.equals(t.sha256())) {
            throw corrupt(path + ": checksum mismatch: SHA-256 " + sha + ", expected " + t.sha256() + " (manifest)");
        }
        INDArray a;
        try {
            a = Nd4j.read(new DataInputStream(new ByteArrayInputStream(bytes)));
        } catch (RuntimeException e) {
            throw corrupt(path + ": unreadable ND4J array (" + e + "), expected " + dtype + Arrays.toString(shape), e);
        }
        if (!a.dataType().name().equals(dtype) || !Arrays.equals(a.shape(), shape)) {
            throw corrupt(path + ": holds " + a.dataType() + Arrays.toString(a.shape()) + ", expected " + dtype
                    + Arrays.toString(shape));
        }
        return a;
    }

    private byte[] bytes(Path path, long expected) {
        try {
            FileStatus status = fs.getFileStatus(path);
            if (status.getLen() != expected) {
                throw corrupt(path + ": " + status.getLen() + " bytes, expected " + expected + " (manifest): truncated or overwritten");
            }
            if (expected > Integer.MAX_VALUE - 8) {
                throw corrupt(path + ": " + expected + " bytes, more than one tensor file may hold (2 GiB)");
            }
            byte[] out = new byte[(int) expected];
            try (FSDataInputStream in = fs.open(path)) {
                in.readFully(0, out);
            }
            return out;
        } catch (FileNotFoundException e) {
            throw corrupt(path + ": missing tensor file, expected " + expected + " bytes (manifest)", e);
        } catch (IOException e) {
            throw corrupt(path + ": cannot read (" + e.getMessage() + "), expected " + expected + " bytes with the manifest's checksum", e);
        }
    }

    private CorruptCheckpointException corrupt(String message) {
        return new CorruptCheckpointException(message);
    }

    private CorruptCheckpointException corrupt(String message, Throwable cause) {
        return new CorruptCheckpointException(message, cause);
    }
}
