package dev.sparkmoe.data.domainbed;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The DomainBed data that ships inside the data-pipeline jar: scikit-learn's copy of the UCI
 * optical digits ({@code digits.csv.gz}, 1,797 8×8 images, BSD-3-Clause, from Debian's
 * {@code python3-sklearn} 1.2.1; see {@code NOTICE.md} beside it). {@link #rotatedDigits()} turns
 * it into "RotatedDigits", DomainBed's RotatedMNIST construction ({@link MnistEnvironments#rotated})
 * applied to these images: six environments {@code 0, 15, 30, 45, 60, 75} of 299 or 300 images,
 * 10 classes. Needs no download; builds in memory in well under a second (blocks while doing so).
 */
public final class EmbeddedDomainBed {
    /** The classpath resource of the digits file. */
    public static final String DIGITS_RESOURCE = "dev/sparkmoe/data/embedded/digits/digits.csv.gz";
    /** The dataset name of {@link #rotatedDigits()}. */
    public static final String ROTATED_DIGITS = "RotatedDigits";
    /** The default construction seed. */
    public static final long DEFAULT_SEED = 0;

    private EmbeddedDomainBed() {}

    /** The embedded digits, 8×8, pixels scaled to {@code 0..255} ({@link DigitsCsv}). */
    public static GrayImages digits() {
        try (InputStream in = EmbeddedDomainBed.class.getClassLoader().getResourceAsStream(DIGITS_RESOURCE)) {
            if (in == null) {
                throw new FileNotFoundException("classpath resource not found: " + DIGITS_RESOURCE
                        + "; expected it in the spark-moe-data-pipeline jar");
            }
            return DigitsCsv.read(in, DIGITS_RESOURCE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** RotatedDigits at 8×8, seed {@value #DEFAULT_SEED}, as floats {@code v/255} (1×8×8 per image). */
    public static DomainImages rotatedDigits() {
        return rotatedDigits(8, DEFAULT_SEED).toImages();
    }

    /**
     * RotatedDigits in compact form: the digits upscaled to {@code size×size} first when
     * {@code size != 8} ({@link GrayImages#resized}), then DomainBed's rotated construction.
     */
    public static ConstructedDataset rotatedDigits(int size, long seed) {
        return MnistEnvironments.rotated(ROTATED_DIGITS, digits().resized(size), seed);
    }
}
