package dev.sparkmoe.driver.checkpoint;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.util.Locale;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The on-disk layout of checkpoints, version {@value #VERSION}:
 * <pre>
 * &lt;run dir&gt;/checkpoints/
 *   step-0000000500/             one complete checkpoint (steps completed, 10 digits)
 *     manifest.json              {@link Manifest}: scalars, registries, tensor list with SHA-256
 *     tensors/&lt;name&gt;.bin         one ND4J binary array each ({@code Nd4j.write(INDArray, DataOutputStream)})
 *   .tmp-step-0000000600-&lt;id&gt;/   a checkpoint being written (or left by an interrupted write)
 * </pre>
 * A checkpoint is written under a temporary name, its manifest last, and renamed when complete;
 * a directory without the temporary prefix but with a missing or bad file is corrupt. No Java
 * serialization anywhere.
 */
public final class CheckpointFormat {
    /** The manifest layout this build writes and the only one it reads. */
    public static final int VERSION = 1;
    /** Sub-directory of the run directory that holds the checkpoints. */
    public static final String CHECKPOINTS = "checkpoints";
    public static final String MANIFEST = "manifest.json";
    static final String TENSORS = "tensors";
    static final String TEMP_PREFIX = ".tmp-";
    private static final Pattern STEP_DIR = Pattern.compile("step-(\\d{10})");

    /** Manifests are indented JSON with map keys in order; reading fails on missing or unknown fields. */
    static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private CheckpointFormat() {}

    /** The directory name of the checkpoint after {@code step} completed steps: {@code step-0000000042}. */
    public static String directoryName(long step) {
        if (step < 0 || step > 9_999_999_999L) {
            throw new IllegalArgumentException("checkpoint step = " + step + ": must be in [0, 9999999999]");
        }
        return String.format(Locale.ROOT, "step-%010d", step);
    }

    /** The step of a complete checkpoint's directory name, or empty for any other name. */
    static OptionalLong stepOf(String directoryName) {
        Matcher m = STEP_DIR.matcher(directoryName);
        return m.matches() ? OptionalLong.of(Long.parseLong(m.group(1))) : OptionalLong.empty();
    }

    /** The file of tensor {@code name}, relative to the checkpoint directory. */
    static String tensorFile(String name) {
        return TENSORS + "/" + name + ".bin";
    }
}
