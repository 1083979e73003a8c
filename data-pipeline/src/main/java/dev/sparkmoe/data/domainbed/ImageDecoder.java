package dev.sparkmoe.data.domainbed;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * Decodes one image file (any format {@code javax.imageio} reads: JPEG, PNG, BMP, GIF) into
 * {@code float[C·H·W]} as {@link ImageOptions} say: pixels to {@code [0, 1]}, each channel
 * resized bilinearly to {@code H×W} ({@link ImageResize}), then {@code (v − mean[c]) / std[c]}.
 * Grey files (8- or 16-bit) are read from their raster, unconverted; all others through
 * {@code getRGB} (sRGB). A file is bad when no reader recognises it, when decoding fails, or
 * when the decoder warns (a truncated JPEG decodes with a "premature end" warning and grey
 * filler, so warnings count as failures). Holds only its options: thread-safe and
 * serialisable with them; runs wherever it is called (driver or Spark task) and blocks while
 * reading.
 */
public final class ImageDecoder {
    private final ImageOptions options;

    /** A decoder producing images of {@code options}' size, channels and normalisation. */
    public ImageDecoder(ImageOptions options) {
        this.options = options;
    }

    /** The options this decoder applies. */
    public ImageOptions options() {
        return options;
    }

    /**
     * An image that cannot be decoded; the message names the file and the cause.
     */
    public static final class BadImageException extends IOException {
        private static final long serialVersionUID = 1L;

        /** @param file the file; @param detail what went wrong and what was expected */
        public BadImageException(String file, String detail) {
            super(file + ": " + detail);
        }
    }

    /** Decodes a file through Hadoop's {@code FileSystem}; blocks while reading. */
    public float[] decode(Path file, Configuration conf) throws IOException {
        try (InputStream in = file.getFileSystem(conf).open(file)) {
            return decode(in, file.toString());
        }
    }

    /**
     * Decodes one image stream.
     *
     * @param name the file name used in error messages
     * @return {@code float[C·H·W]}
     * @throws BadImageException when the bytes are not a complete readable image
     * @throws IOException       when the stream itself fails
     */
    public float[] decode(InputStream in, String name) throws IOException {
        BufferedImage img = read(in, name);
        int h = img.getHeight();
        int w = img.getWidth();
        float[][] planes = planes(img, h, w);
        int c = options.channels();
        int plane = options.height() * options.width();
        float[] out = new float[c * plane];
        ImageResize resize = new ImageResize(h, w, options.height(), options.width());
        float[] mean = options.mean();
        float[] std = options.std();
        for (int k = 0; k < c; k++) {
            resize.bilinear(planes[k], 0, out, k * plane);
            float m = mean[k];
            float s = std[k];
            for (int i = k * plane; i < (k + 1) * plane; i++) {
                out[i] = (out[i] - m) / s;
            }
        }
        return out;
    }

    private static BufferedImage read(InputStream in, String name) throws IOException {
        try (ImageInputStream iis = new MemoryCacheImageInputStream(in)) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(iis);
            if (!readers.hasNext()) {
                throw new BadImageException(name, "not an image: no javax.imageio reader recognises its first bytes;"
                        + " expected JPEG, PNG, BMP or GIF");
            }
            ImageReader reader = readers.next();
            String[] warning = new String[1];
            try {
                reader.setInput(iis, true, true);
                reader.addIIOReadWarningListener((source, message) -> {
                    if (warning[0] == null) {
                        warning[0] = message;
                    }
                });
                BufferedImage img = reader.read(0);
                if (warning[0] != null) {
                    throw new BadImageException(name, "decoder warning '" + warning[0] + "' (truncated or corrupt "
                            + reader.getFormatName() + "); expected a complete image");
                }
                return img;
            } catch (BadImageException e) {
                throw e;
            } catch (IOException | RuntimeException e) {
                throw new BadImageException(name, "unreadable " + reader.getFormatName() + ": " + e.getMessage()
                        + "; expected a complete image");
            } finally {
                reader.dispose();
            }
        }
    }

    /** The image's channels as {@code [0, 1]} planes of {@code h·w} floats. */
    private float[][] planes(BufferedImage img, int h, int w) {
        int c = options.channels();
        float[][] p = new float[c][h * w];
        ColorModel cm = img.getColorModel();
        if (cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY && !(cm instanceof IndexColorModel)) {
            int[] g = img.getRaster().getSamples(0, 0, w, h, 0, (int[]) null);
            float max = (float) ((1L << cm.getComponentSize(0)) - 1);
            for (int i = 0; i < g.length; i++) {
                float v = g[i] / max;
                for (int k = 0; k < c; k++) {
                    p[k][i] = v;
                }
            }
            return p;
        }
        int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
        for (int i = 0; i < argb.length; i++) {
            int r = (argb[i] >> 16) & 0xFF;
            int g = (argb[i] >> 8) & 0xFF;
            int b = argb[i] & 0xFF;
            if (c == 1) {
                p[0][i] = ((r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16) / 255f; // Pillow's convert("L")
            } else {
                p[0][i] = r / 255f;
                p[1][i] = g / 255f;
                if (c == 3) {
                    p[2][i] = b / 255f;
                }
            }
        }
        return p;
    }
}
