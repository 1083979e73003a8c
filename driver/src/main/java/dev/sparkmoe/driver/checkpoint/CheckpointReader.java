package dev.sparkmoe.driver.checkpoint;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sparkmoe.worker.state.TrainingState;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.FileNotFoundException;
import java.io.IOException;

/**
 * Reads one checkpoint directory in two steps, so that the caller can check the config hash
 * before any tensor is read: {@link #manifest} (present, valid JSON, a known format version,
 * every field there) and {@link #state} (every tensor verified and the state rebuilt). Every
 * failure is a {@link CorruptCheckpointException} naming the file and what was expected.
 * Driver side; blocks on the file system.
 */
final class CheckpointReader {
    private final FileSystem fs;
    private final Path dir;

    CheckpointReader(FileSystem fs, Path dir) {
        this.fs = fs;
        this.dir = dir;
    }

    /** The checked manifest. */
    Manifest manifest() {
        Path path = new Path(dir, CheckpointFormat.MANIFEST);
        JsonNode tree;
        try (FSDataInputStream in = fs.open(path)) {
            tree = CheckpointFormat.JSON.readTree(in);
        } catch (FileNotFoundException e) {
            throw new CorruptCheckpointException(path + ": missing manifest (incomplete checkpoint); every complete"
                    + " checkpoint has one", e);
        } catch (IOException e) {
            throw new CorruptCheckpointException(path + ": cannot read a JSON manifest (" + e.getMessage() + ")", e);
        }
        JsonNode version = tree == null ? null : tree.get("formatVersion");
        if (version == null || !version.isInt()) {
            throw new CorruptCheckpointException(path + ": no integer formatVersion; expected format version "
                    + CheckpointFormat.VERSION);
        }
        if (version.intValue() != CheckpointFormat.VERSION) {
            throw new CorruptCheckpointException(path + ": format version " + version.intValue()
                    + " is unknown; this build reads format version " + CheckpointFormat.VERSION);
        }
        Manifest m;
        try {
            m = CheckpointFormat.JSON.treeToValue(tree, Manifest.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new CorruptCheckpointException(path + ": not a format-version-" + CheckpointFormat.VERSION
                    + " manifest: " + e.getMessage(), e);
        }
        if (m.configHash() == null || m.rng() == null || m.layers() == null || m.dense() == null || m.experts() == null
                || m.placement() == null || m.controller() == null || m.tensors() == null) {
            throw new CorruptCheckpointException(path + ": configHash, rng, layers, dense, experts, placement, controller"
                    + " and tensors must not be null");
        }
        return m;
    }

    /** The state {@code manifest} describes, every tensor verified against it. */
    TrainingState state(Manifest manifest) {
        String manifestPath = new Path(dir, CheckpointFormat.MANIFEST).toString();
        try {
            TensorReader tensors = new TensorReader(fs, dir, manifest.tensors());
            return new StateDecoder(tensors, manifestPath).decode(manifest);
        } catch (IllegalArgumentException e) {
            throw new CorruptCheckpointException(manifestPath + ": inconsistent state: " + e.getMessage(), e);
        }
    }
}
