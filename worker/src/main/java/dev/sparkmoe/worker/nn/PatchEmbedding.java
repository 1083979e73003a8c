package dev.sparkmoe.worker.nn;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * ViT patch embedding (Dosovitskiy et al. 2021): each image is cut into {@code N = (H/p)(W/p)} non-overlapping
 * {@code p×p} patches (row-major over the patch grid, each flattened in {@code (c, y, x)} order), projected
 * linearly to {@code D}, prefixed by a learned class token, and given learned positions for its {@code N+1} rows.
 *
 * <p>Bind order: projection {@code W [C·p·p, D]} (decayed), projection bias {@code [D]}, class token {@code [D]},
 * positions {@code [N+1, D]} (all three plain). Init: W, class token and positions normal(0, 0.02), bias 0.
 * The input is data, so backward returns no input gradient.
 */
public final class PatchEmbedding {
    private final String name;
    private final int channels;
    private final int height;
    private final int width;
    private final int patch;
    private final long d;
    private final int patches;     // N
    private ParamSlicer.View proj;
    private ParamSlicer.View bias;
    private ParamSlicer.View cls;
    private ParamSlicer.View pos;
    private INDArray patchRows;    // [B·N, C·p·p], cached by forward

    /** Images of {@code channels × height × width}, patches of {@code patch × patch}, embedded in {@code d}. */
    public PatchEmbedding(String name, int channels, int height, int width, int patch, long d) {
        if (channels <= 0 || height <= 0 || width <= 0 || patch <= 0 || d <= 0) {
            throw new IllegalArgumentException(name + ": channels, height, width, patch and d must be positive, got "
                    + channels + ", " + height + ", " + width + ", " + patch + ", " + d);
        }
        if (height % patch != 0 || width % patch != 0) {
            throw new IllegalArgumentException(name + ": image " + height + "×" + width
                    + " is not divisible into patches of " + patch + "×" + patch);
        }
        this.name = name;
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.patch = patch;
        this.d = d;
        this.patches = (height / patch) * (width / patch);
    }

    /** {@code C·p·p·D} decayed, {@code 2D + (N+1)·D} plain elements. */
    public ParamSlicer.Sizes sizes() {
        return new ParamSlicer.Sizes(patchSize() * d, 2 * d + (patches + 1L) * d);
    }

    /** Takes W, bias, class token, positions, in that order. */
    public void bind(ParamSlicer s) {
        proj = s.weight(patchSize(), d);
        bias = s.vector(d);
        cls = s.vector(d);
        pos = s.plainMatrix(patches + 1L, d);
    }

    /** W, class token and positions normal(0, 0.02); bias 0. */
    public void init(long seed) {
        Shapes.requireBound(name, proj);
        Init.normal(proj.value(), 0.02, seed, name, 0);
        Init.constant(bias.value(), 0);
        Init.normal(cls.value(), 0.02, seed, name, 1);
        Init.normal(pos.value(), 0.02, seed, name, 2);
    }

    /** Rows per image in the output: {@code N + 1} (class token first). */
    public int tokensPerImage() {
        return patches + 1;
    }

    /**
     * @param images {@code [B, C·H·W]}, each row an image in row-major {@code (c, y, x)} order
     * @return {@code [B·(N+1), D]}; row {@code b·(N+1)} is image {@code b}'s class token
     */
    public INDArray forward(INDArray images) {
        Shapes.requireBound(name, proj);
        Shapes.requireMatrix(name, "images", images, -1, (long) channels * height * width, dtype());
        long b = images.rows();
        int gh = height / patch;
        int gw = width / patch;
        if (b == 0) {
            patchRows = Init.empty(dtype(), patchSize());
            return Init.empty(dtype(), d);
        }
        patchRows = images.reshape('c', b, channels, gh, patch, gw, patch)
                .permute(0, 2, 4, 1, 3, 5)                                    // [B, gh, gw, C, p, p]
                .dup('c').reshape('c', b * patches, patchSize());             // [B·N, C·p·p]
        INDArray projected = Nd4j.createUninitialized(dtype(), b * patches, d);
        Nd4j.gemm(patchRows, proj.value(), projected, false, false, 1.0, 0.0);
        projected.addiRowVector(bias.value());
        INDArray out = Nd4j.createUninitialized(dtype(), b, patches + 1, d);   // [B, N+1, D]
        out.get(NDArrayIndex.all(), NDArrayIndex.interval(1, patches + 1), NDArrayIndex.all())
                .assign(projected.reshape('c', b, patches, d));
        out.get(NDArrayIndex.all(), NDArrayIndex.point(0), NDArrayIndex.all()).assign(0).addiRowVector(cls.value());
        out.reshape('c', b, (patches + 1) * d).addiRowVector(pos.value().reshape((patches + 1) * d));
        return out.reshape('c', b * (patches + 1), d);
    }

    /**
     * Accumulates the gradients of W, bias, class token and positions.
     *
     * @param dy {@code [B·(N+1), D]}
     */
    public void backward(INDArray dy) {
        Shapes.requireCache(name, patchRows);
        INDArray rows = patchRows;
        patchRows = null;
        long b = rows.rows() / patches;
        Shapes.requireMatrix(name, "output gradient", dy, b * (patches + 1), d, dtype());
        if (b == 0) return;
        INDArray dy3 = dy.reshape('c', b, patches + 1, d);                   // [B, N+1, D]
        cls.grad().addi(dy3.get(NDArrayIndex.all(), NDArrayIndex.point(0), NDArrayIndex.all()).sum(0));
        ColumnSums.addInto(dy.reshape('c', b, (patches + 1) * d), pos.grad());
        INDArray dProj = dy3.get(NDArrayIndex.all(), NDArrayIndex.interval(1, patches + 1), NDArrayIndex.all())
                .dup('c').reshape('c', b * patches, d);                      // [B·N, D]
        Nd4j.gemm(rows, dProj, proj.grad(), true, false, 1.0, 1.0);
        ColumnSums.addInto(dProj, bias.grad());
    }

    public String name() { return name; }

    private long patchSize() {
        return (long) channels * patch * patch;
    }

    private DataType dtype() { return proj.value().dataType(); }
}
