package dev.sparkmoe.data.domainbed;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Rotates 8-bit single-channel images about their centre exactly as Pillow's
 * {@code Image.rotate(angle, resample, fillcolor=0)} does (no expand), which is what
 * DomainBed's RotatedMNIST calls through torchvision: counter-clockwise by {@code angle}
 * degrees about {@code (W/2, H/2)} in pixel-edge coordinates; every output pixel centre is
 * mapped back into the source and sampled with the filter; samples whose source point falls
 * outside the image are 0; results are clamped to {@code [0, 255]} and truncated to an
 * integer, as Pillow's 8-bit filters do. Stateless; allocates nothing.
 */
public final class Rotation {
    private Rotation() {}

    /**
     * Rotates one {@code H×W} image.
     *
     * @param src     source pixels, row-major, {@code H·W} unsigned bytes from {@code srcOff}
     * @param dst     destination, {@code H·W} bytes written from {@code dstOff}
     * @param degrees counter-clockwise angle
     */
    public static void rotate(byte[] src, int srcOff, int h, int w, double degrees, Interpolation filter,
                              byte[] dst, int dstOff) {
        double angle = degrees % 360.0;
        if (angle < 0) {
            angle += 360.0;
        }
        if (angle == 0.0) {
            System.arraycopy(src, srcOff, dst, dstOff, h * w);
            return;
        }
        double[] m = matrix(angle, w / 2.0, h / 2.0);
        for (int y = 0; y < h; y++) {
            double yc = y + 0.5;
            for (int x = 0; x < w; x++) {
                double xc = x + 0.5;
                double xin = m[0] * xc + m[1] * yc + m[2];
                double yin = m[3] * xc + m[4] * yc + m[5];
                dst[dstOff + y * w + x] = (byte) sample(src, srcOff, h, w, xin, yin, filter);
            }
        }
    }

    /** Pillow's inverse affine matrix for a rotation, its cos/sin rounded to 15 decimals as Pillow does. */
    static double[] matrix(double angleDegrees, double cx, double cy) {
        double t = -Math.toRadians(angleDegrees);
        double a = round15(Math.cos(t));
        double b = round15(Math.sin(t));
        double d = round15(-Math.sin(t));
        double e = round15(Math.cos(t));
        double c = a * -cx + b * -cy + cx;
        double f = d * -cx + e * -cy + cy;
        return new double[] {a, b, c, d, e, f};
    }

    private static double round15(double v) {
        return new BigDecimal(v).setScale(15, RoundingMode.HALF_EVEN).doubleValue();
    }

    private static int sample(byte[] src, int off, int h, int w, double xin, double yin, Interpolation filter) {
        if (xin < 0.0 || xin >= w || yin < 0.0 || yin >= h) {
            return 0;
        }
        xin -= 0.5;
        yin -= 0.5;
        int x = (int) Math.floor(xin);
        int y = (int) Math.floor(yin);
        double dx = xin - x;
        double dy = yin - y;
        double v = filter == Interpolation.BICUBIC
                ? bicubic(src, off, h, w, x - 1, y - 1, dx, dy)
                : bilinear(src, off, h, w, x, y, dx, dy);
        if (v <= 0.0) {
            return 0;
        }
        return v >= 255.0 ? 255 : (int) v;
    }

    private static double bilinear(byte[] src, int off, int h, int w, int x, int y, double dx, double dy) {
        int x0 = clip(x, w);
        int x1 = clip(x + 1, w);
        int r0 = off + clip(y, h) * w;
        int r1 = off + clip(y + 1, h) * w;
        double v1 = lerp(px(src, r0 + x0), px(src, r0 + x1), dx);
        double v2 = lerp(px(src, r1 + x0), px(src, r1 + x1), dx);
        return lerp(v1, v2, dy);
    }

    private static double lerp(double a, double b, double d) {
        return a + (b - a) * d;
    }

    private static double bicubic(byte[] src, int off, int h, int w, int x, int y, double dx, double dy) {
        int x0 = clip(x, w);
        int x1 = clip(x + 1, w);
        int x2 = clip(x + 2, w);
        int x3 = clip(x + 3, w);
        int r0 = off + clip(y, h) * w;
        int r1 = off + clip(y + 1, h) * w;
        int r2 = off + clip(y + 2, h) * w;
        int r3 = off + clip(y + 3, h) * w;
        return cubic(row(src, r0, x0, x1, x2, x3, dx), row(src, r1, x0, x1, x2, x3, dx),
                row(src, r2, x0, x1, x2, x3, dx), row(src, r3, x0, x1, x2, x3, dx), dy);
    }

    private static double row(byte[] src, int r, int x0, int x1, int x2, int x3, double dx) {
        return cubic(px(src, r + x0), px(src, r + x1), px(src, r + x2), px(src, r + x3), dx);
    }

    /** Pillow's BICUBIC macro: cubic convolution with a = -1 between v2 (d = 0) and v3 (d = 1). */
    private static double cubic(double v1, double v2, double v3, double v4, double d) {
        double p1 = v2;
        double p2 = -v1 + v3;
        double p3 = 2 * (v1 - v2) + v3 - v4;
        double p4 = -v1 + v2 - v3 + v4;
        return p1 + d * (p2 + d * (p3 + d * p4));
    }

    private static int clip(int i, int n) {
        return i < 0 ? 0 : (i >= n ? n - 1 : i);
    }

    private static int px(byte[] a, int i) {
        return a[i] & 0xFF;
    }
}
