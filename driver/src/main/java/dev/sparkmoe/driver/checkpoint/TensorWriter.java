package dev.sparkmoe.driver.checkpoint;

import dev.sparkmoe.worker.engine.Blocks;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Writes one checkpoint's tensor files, each as soon as it is handed over (so the whole state is
 * never held twice), in ND4J's binary format (which keeps every float bit for bit except NaN
 * payloads: ND4J writes through {@code DataOutputStream.writeFloat}), and records each file's
 * {@link Manifest.Tensor entry}: type, shape, length and the SHA-256 of its bytes. Driver side;
 * blocks on the file system; an I/O failure is thrown naming the file.
 */
final class TensorWriter {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    private final FileSystem fs;
    private final Path dir;
    private final List<Manifest.Tensor> entries = new ArrayList<>();
    private final Set<String> names = new HashSet<>();

    TensorWriter(FileSystem fs, Path dir) {
        this.fs = fs;
        this.dir = dir;
    }

    /** Writes a float32 tensor of {@code shape} ({@code values} row-major); returns its name. */
    String floats(String name, float[] values, long[] shape) {
        return write(name, Blocks.array(values, shape, DataType.FLOAT));
    }

    /** Writes a float64 vector; returns its name. */
    String doubles(String name, double[] values) {
        return write(name, Nd4j.createFromArray(values));
    }

    /** Writes {@code values} when present, else records nothing and returns null (an absent AdamW moment). */
    String floatsOrNull(String name, float[] values, long[] shape) {
        return values.length == 0 ? null : floats(name, values, shape);
    }

    List<Manifest.Tensor> entries() { return List.copyOf(entries); }

    private String write(String name, INDArray array) {
        if (!NAME.matcher(name).matches() || !names.add(name)) {
            throw new IllegalArgumentException("tensor name '" + name + "': must be unique and match " + NAME);
        }
        String file = CheckpointFormat.tensorFile(name);
        Path path = new Path(dir, file);
        MessageDigest sha = Sha256.digest();
        try (FSDataOutputStream raw = fs.create(path, false);
             // Buffered: ND4J writes element by element, the digest wants blocks.
             DataOutputStream out = new DataOutputStream(new BufferedOutputStream(new DigestOutputStream(raw, sha), 1 << 16))) {
            Nd4j.write(array, out);
            out.flush();
            entries.add(new Manifest.Tensor(name, file, array.dataType().name(), array.shape(), raw.getPos(),
                    Sha256.hex(sha.digest())));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write tensor file " + path + ": " + e.getMessage(), e);
        }
        return name;
    }
}
