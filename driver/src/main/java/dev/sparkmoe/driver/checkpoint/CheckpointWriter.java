package dev.sparkmoe.driver.checkpoint;

import dev.sparkmoe.worker.state.TrainingState;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.UUID;

/**
 * Writes one checkpoint: tensors, then the manifest, into a temporary directory, then renames it
 * to {@code step-<10 digits>}, so that a complete name always holds a complete checkpoint on
 * file systems whose directory rename is atomic (local, HDFS). On object stores (s3a), where a
 * rename is a copy, a crash mid-rename can leave a partial directory; the checksums in the
 * manifest make {@link CheckpointStore#latest} skip it. Driver side; blocks until done; on
 * failure the temporary directory is removed and the error names the path.
 */
final class CheckpointWriter {
    private static final Logger LOG = LoggerFactory.getLogger(CheckpointWriter.class);
    private final FileSystem fs;
    private final Path checkpoints;

    CheckpointWriter(FileSystem fs, Path checkpoints) {
        this.fs = fs;
        this.checkpoints = checkpoints;
    }

    /** Writes {@code state} and returns the complete checkpoint's directory; replaces one of the same step. */
    Path write(TrainingState state, String configHash) {
        String name = CheckpointFormat.directoryName(state.step());
        Path temp = new Path(checkpoints, CheckpointFormat.TEMP_PREFIX + name + "-" + UUID.randomUUID().toString().substring(0, 8));
        Path target = new Path(checkpoints, name);
        try {
            if (!fs.mkdirs(temp)) throw new IOException("mkdirs returned false");
            Manifest manifest = new StateEncoder(new TensorWriter(fs, temp)).encode(state, configHash);
            try (FSDataOutputStream out = fs.create(new Path(temp, CheckpointFormat.MANIFEST), false)) {
                out.write(CheckpointFormat.JSON.writeValueAsBytes(manifest));
            }
            if (fs.exists(target)) {
                // Rename into an existing directory would nest the new one inside it.
                LOG.warn("replacing existing checkpoint {}", target);
                if (!fs.delete(target, true)) throw new IOException("cannot delete the existing " + target);
            }
            if (!fs.rename(temp, target)) throw new IOException("rename of " + temp + " to " + target + " returned false");
            return target;
        } catch (IOException e) {
            deleteQuietly(temp);
            throw new UncheckedIOException("cannot write checkpoint " + target + " (via " + temp + "): " + e.getMessage(), e);
        } catch (RuntimeException e) {
            deleteQuietly(temp);
            throw e;
        }
    }

    private void deleteQuietly(Path temp) {
        try {
            fs.delete(temp, true);
        } catch (IOException e) {
            LOG.warn("cannot delete temporary checkpoint directory {}: {}", temp, e.getMessage());
        }
    }
}
