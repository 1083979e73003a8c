package dev.sparkmoe.data.domainbed;

/**
 * Bilinear resizing of one float plane from {@code inH×inW} to {@code outH×outW} with
 * half-pixel centres ({@code align_corners=false}: output pixel {@code y} samples source row
 * {@code (y + 0.5)·inH/outH − 0.5}) and edge pixels repeated. No antialiasing: when shrinking
 * by more than 2× each output pixel still reads only its 2×2 nearest source pixels (Pillow's
 * {@code resize}, which torchvision's {@code Resize} calls, widens the filter instead, so
 * downscaled values differ slightly from DomainBed's). The sampling tables are built once in
 * the constructor; {@link #bilinear} allocates nothing. Equal sizes copy exactly.
 */
public final class ImageResize {
    private final int inH;
    private final int inW;
    private final int outH;
    private final int outW;
    private final int[] x0;
    private final int[] x1;
    private final float[] fx;
    private final int[] y0;
    private final int[] y1;
    private final float[] fy;

    /** @throws IllegalArgumentException naming the sizes unless all are positive */
    public ImageResize(int inH, int inW, int outH, int outW) {
        if (inH <= 0 || inW <= 0 || outH <= 0 || outW <= 0) {
            throw new IllegalArgumentException("resize " + inH + "x" + inW + " -> " + outH + "x" + outW
                    + "; expected positive sizes");
        }
        this.inH = inH;
        this.inW = inW;
        this.outH = outH;
        this.outW = outW;
        x0 = new int[outW];
        x1 = new int[outW];
        fx = new float[outW];
        y0 = new int[outH];
        y1 = new int[outH];
        fy = new float[outH];
        table(inW, outW, x0, x1, fx);
        table(inH, outH, y0, y1, fy);
    }

    private static void table(int in, int out, int[] i0, int[] i1, float[] f) {
        double scale = (double) in / out;
        for (int o = 0; o < out; o++) {
            double s = Math.max(0.0, (o + 0.5) * scale - 0.5);
            int lo = Math.min((int) Math.floor(s), in - 1);
            i0[o] = lo;
            i1[o] = Math.min(lo + 1, in - 1);
            f[o] = (float) (s - lo);
        }
    }

    /** Resizes the plane {@code in[inOff .. inOff + inH·inW)} into {@code out[outOff .. outOff + outH·outW)}. */
    public void bilinear(float[] in, int inOff, float[] out, int outOff) {
        if (inH == outH && inW == outW) {
            System.arraycopy(in, inOff, out, outOff, inH * inW);
            return;
        }
        for (int y = 0; y < outH; y++) {
            int r0 = inOff + y0[y] * inW;
            int r1 = inOff + y1[y] * inW;
            float wy = fy[y];
            int o = outOff + y * outW;
            for (int x = 0; x < outW; x++) {
                float top = in[r0 + x0[x]] + (in[r0 + x1[x]] - in[r0 + x0[x]]) * fx[x];
                float bottom = in[r1 + x0[x]] + (in[r1 + x1[x]] - in[r1 + x0[x]]) * fx[x];
                out[o + x] = top + (bottom - top) * wy;
            }
        }
    }
}
