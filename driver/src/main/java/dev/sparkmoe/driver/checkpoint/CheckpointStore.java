package dev.sparkmoe.driver.checkpoint;

import dev.sparkmoe.driver.config.CheckpointSettings;
import dev.sparkmoe.worker.state.TrainingState;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;

/**
 * A run's checkpoints under {@code <run dir>/checkpoints} on any Hadoop file system: saves them
 * on schedule ({@code checkpoint.every}, and at the end), keeps the newest
 * {@code checkpoint.keep}, and finds the newest usable one to resume from, skipping (with a
 * warning naming the directory and the reason) any that is incomplete, damaged or of an unknown
 * format. Every checkpoint carries the SHA-256 of the resolved config text; resuming from one
 * written under another config is refused unless the caller allows it. Driver side; every
 * method blocks on the file system; I/O failures are thrown naming the path.
 */
public final class CheckpointStore {
    private static final Logger LOG = LoggerFactory.getLogger(CheckpointStore.class);
    private final FileSystem fs;
    private final Path dir;
    private final String configHash;
    private final CheckpointSettings settings;

    /**
     * @param runDir     the run directory (any Hadoop path)
     * @param configText the config text a resume must agree with ({@code JobConfig.renderForCheckpoint()}); its SHA-256 is the config hash
     */
    public CheckpointStore(String runDir, Configuration hadoop, String configText, CheckpointSettings settings) {
        try {
            Path checkpoints = new Path(runDir, CheckpointFormat.CHECKPOINTS);
            this.fs = checkpoints.getFileSystem(hadoop);
            this.dir = fs.makeQualified(checkpoints);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the checkpoint directory of run " + runDir + ": " + e.getMessage(), e);
        }
        this.configHash = Sha256.of(configText);
        this.settings = settings;
    }

    /** The checkpoints directory, fully qualified. */
    public String location() { return dir.toString(); }

    /** The config hash this store writes and expects. */
    public String configHash() { return configHash; }

    /** Whether to save after {@code completedSteps} of {@code totalSteps} ({@link CheckpointSettings#due}). */
    public boolean due(long completedSteps, long totalSteps) {
        return settings.due(completedSteps, totalSteps);
    }

    /**
     * Writes {@code state} as checkpoint {@code step-<state.step()>} (temporary name, then rename),
     * then deletes older checkpoints beyond {@code checkpoint.keep} and leftover temporary
     * directories. Checkpoints of later steps (left from before a resume from an older one) are
     * not touched.
     *
     * @return the new checkpoint's directory
     */
    public String save(TrainingState state) {
        Path written = new CheckpointWriter(fs, dir).write(state, configHash);
        LOG.info("checkpoint after step {} written to {}", state.step(), written);
        retain(state.step());
        return written.toString();
    }

    /**
     * The newest checkpoint whose manifest and every tensor verify, and the newer or temporary
     * directories skipped on the way (each logged as a warning with its reason).
     *
     * @param allowDifferentConfig use a checkpoint written under another config (logged) instead of refusing
     * @throws ConfigMismatchException when the newest complete checkpoint's config hash differs and that is not allowed
     */
    public LatestCheckpoint latest(boolean allowDifferentConfig) {
        List<LatestCheckpoint.Skipped> skipped = new ArrayList<>();
        List<FileStatus> complete = new ArrayList<>();
        for (FileStatus s : list()) {
            String name = s.getPath().getName();
            if (name.startsWith(CheckpointFormat.TEMP_PREFIX)) {
                skip(skipped, s.getPath(), "temporary directory of a write that never completed (no rename); ignored");
            } else if (CheckpointFormat.stepOf(name).isPresent()) {
                complete.add(s);
            }
        }
        complete.sort(Comparator.comparingLong((FileStatus s) -> step(s)).reversed());
        for (FileStatus s : complete) {
            CheckpointReader reader = new CheckpointReader(fs, s.getPath());
            try {
                Manifest m = reader.manifest();
                boolean differs = !configHash.equals(m.configHash());
                if (differs) refuseOrWarn(s.getPath(), m.configHash(), allowDifferentConfig);
                TrainingState state = reader.state(m);
                if (state.step() != step(s)) {
                    throw new CorruptCheckpointException(s.getPath() + "/" + CheckpointFormat.MANIFEST + ": step " + state.step()
                            + ", expected " + step(s) + " (the directory name)");
                }
                return new LatestCheckpoint(s.getPath().toString(), state, differs, skipped);
            } catch (CorruptCheckpointException e) {
                skip(skipped, s.getPath(), e.getMessage());
            }
        }
        return new LatestCheckpoint(null, null, false, skipped);
    }

    private void refuseOrWarn(Path checkpoint, String theirs, boolean allow) {
        String what = "checkpoint " + checkpoint + " was written under config hash " + theirs + ", but this run's config"
                + " has hash " + configHash + " (SHA-256 of the resolved config)";
        if (!allow) {
            throw new ConfigMismatchException(what + ": refusing to resume; run with the saved config ("
                    + "its run directory's config.conf) or explicitly allow a different config (train --resume --allow-config-change)");
        }
        LOG.warn("{}: resuming anyway, as allowed", what);
    }

    private static void skip(List<LatestCheckpoint.Skipped> skipped, Path path, String reason) {
        LOG.warn("skipping checkpoint {}: {}", path, reason);
        skipped.add(new LatestCheckpoint.Skipped(path.toString(), reason));
    }

    /** Deletes checkpoints older than {@code newest} beyond the newest keep − 1 of them, and leftover temporary directories. */
    private void retain(long newest) {
        List<FileStatus> older = new ArrayList<>();
        for (FileStatus s : list()) {
            String name = s.getPath().getName();
            OptionalLong step = CheckpointFormat.stepOf(name);
            if (name.startsWith(CheckpointFormat.TEMP_PREFIX)) {
                delete(s.getPath(), "leftover temporary directory");
            } else if (step.isPresent() && step.getAsLong() < newest) {
                older.add(s);
            } else if (step.isPresent() && step.getAsLong() > newest) {
                LOG.warn("checkpoint {} is newer than the one just written (step {}): left from before a resume? Not deleted",
                        s.getPath(), newest);
            }
        }
        older.sort(Comparator.comparingLong((FileStatus s) -> step(s)).reversed());
        for (int i = settings.keep() - 1; i < older.size(); i++) {
            delete(older.get(i).getPath(), "older than the newest checkpoint.keep = " + settings.keep());
        }
    }

    private void delete(Path path, String why) {
        try {
            LOG.info("deleting checkpoint directory {}: {}", path, why);
            if (!fs.delete(path, true)) LOG.warn("could not delete {} (delete returned false)", path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + path + " (" + why + "): " + e.getMessage(), e);
        }
    }

    private List<FileStatus> list() {
        try {
            List<FileStatus> out = new ArrayList<>();
            for (FileStatus s : fs.listStatus(dir)) if (s.isDirectory()) out.add(s);
            return out;
        } catch (FileNotFoundException e) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list checkpoints in " + dir + ": " + e.getMessage(), e);
        }
    }

    private static long step(FileStatus s) {
        return CheckpointFormat.stepOf(s.getPath().getName()).orElseThrow();
    }
}
