package dev.sparkmoe.data.domainbed;

import dev.sparkmoe.data.SkipReport;
import java.io.Serializable;

/**
 * A batch of decoded images of one domain, the unit a DomainBed job moves and feeds to a model:
 * {@code pixels} is {@code float[B·C·H·W]} (image {@code b} at {@code b·C·H·W}), {@code labels}
 * and {@code indices} are {@code int[B]} (the images' labels and their indices within the
 * domain). Built by {@link DomainBedFolder#decodeBlock} (on an executor) or from memory by
 * {@link #of(DomainImages, int, int[])}. Arrays are shared, not copied.
 *
 * @param domain  the domain id of every image in the block
 * @param skips   images of the request that could not be decoded (they are left out)
 */
public record ImageBlock(int domain, int channels, int height, int width, int[] indices, int[] labels, float[] pixels,
                         SkipReport skips) implements Serializable {

    /** @throws IllegalArgumentException naming the sizes when the arrays disagree */
    public ImageBlock {
        if (labels.length != indices.length || (long) pixels.length != (long) indices.length * channels * height * width) {
            throw new IllegalArgumentException("block of domain " + domain + ": " + indices.length + " indices, "
                    + labels.length + " labels, " + pixels.length + " floats; expected B, B and B·" + channels + "·"
                    + height + "·" + width);
        }
    }

    /** The images {@code indices} of domain {@code d} of an in-memory dataset. */
    public static ImageBlock of(DomainImages data, int d, int[] indices) {
        return new ImageBlock(d, data.channels(), data.height(), data.width(), indices.clone(), data.labels(d, indices),
                data.block(d, indices), SkipReport.EMPTY);
    }

    /** Images in the block, B. */
    public int size() {
        return indices.length;
    }
}
