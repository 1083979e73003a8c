package dev.sparkmoe.data.domainbed;

/**
 * The resampling filter of {@link Rotation}, matching Pillow's {@code Image.rotate} filters
 * bit for bit on 8-bit images.
 */
public enum Interpolation {
    /** Pillow's {@code BILINEAR}: 2×2 taps, edge pixels repeated. */
    BILINEAR,
    /**
     * Pillow's {@code BICUBIC} for affine transforms: 4×4 taps of the cubic convolution kernel
     * with {@code a = -1}, edge pixels repeated. DomainBed's RotatedMNIST uses this filter
     * ({@code rotate(x, angle, fill=(0,), resample=Image.BICUBIC)}).
     */
    BICUBIC
}
