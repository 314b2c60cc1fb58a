package jcnn.bench;

import java.util.Random;

/**
 * The GEMM shapes worth measuring: squares (the textbook figure), the seed CNN's GEMMs at batch 64 exactly as our
 * engine issues them, and the whole-batch shapes of docs ANCHORS.md, for which OpenBLAS figures exist.
 *
 * <p>Our engine convolves image by image (per-image im2col), so its convolution GEMMs are small and repeated 64
 * times; {@link #images} says how many. Within such a run one operand is per image (its offset advances) and the
 * others are the same buffer every time, as in {@code Kernels.conv2dForward/Backward}: the im2col buffer is
 * reused, the weight is shared. That keeps the cache behaviour of the real step. The names are the JMH
 * parameter values, shared with the OpenBLAS peer benchmark so that the two line up in one table.
 *
 * <p>Layout conventions are those of {@link jcnn.kernels.Kernels#sgemm}: row-major, C (m,n) = op(A) (m,k) op(B) (k,n).
 */
public enum GemmShape {
    SQ512("square", false, false, 512, 512, 512, 1, false, ""),
    SQ1024("square", false, false, 1024, 1024, 1024, 1, false, ""),
    SQ2048("square", false, false, 2048, 2048, 2048, 1, false, ""),

    // The seed CNN at batch 64, as Ops.conv2d / Ops.linear execute it.
    CONV1_FWD("conv1 fwd", false, false, 16, 784, 9, 64, false, "C"),      // y_i (16,784) = W (16,9) . col_i (9,784)
    CONV1_DW("conv1 dW", false, true, 16, 9, 784, 64, true, "A"),          // dW (16,9) += dy_i (16,784) . col_i^T
    CONV2_FWD("conv2 fwd", false, false, 32, 196, 144, 64, false, "C"),    // y_i (32,196) = W (32,144) . col_i (144,196)
    CONV2_DW("conv2 dW", false, true, 32, 144, 196, 64, true, "A"),        // dW (32,144) += dy_i (32,196) . col_i^T
    CONV2_DX("conv2 dX", true, false, 144, 196, 32, 64, false, "B"),       // col (144,196) = W^T (144,32) . dy_i (32,196)
    FC1_FWD("fc1 fwd", false, true, 64, 128, 1568, 1, false, ""),          // y (64,128) = x (64,1568) . W^T
    FC1_DW("fc1 dW", true, false, 128, 1568, 64, 1, true, ""),             // dW (128,1568) += dy^T (128,64) . x (64,1568)
    FC1_DX("fc1 dX", false, false, 64, 1568, 128, 1, true, ""),            // dx (64,1568) += dy (64,128) . W (128,1568)

    // ANCHORS.md: one GEMM over the whole batch (batch-wide im2col, weights stored (in,out)), OpenBLAS measured there.
    ANCHOR_CONV1_FWD("anchor conv1 fwd", false, false, 50176, 16, 9, 1, false, ""),
    ANCHOR_CONV1_DW("anchor conv1 dW", true, false, 9, 16, 50176, 1, false, ""),
    ANCHOR_CONV2_FWD("anchor conv2 fwd", false, false, 12544, 32, 144, 1, false, ""),
    ANCHOR_CONV2_DW("anchor conv2 dW", true, false, 144, 32, 12544, 1, false, ""),
    ANCHOR_CONV2_DX("anchor conv2 dX", false, true, 12544, 144, 32, 1, false, ""),
    ANCHOR_FC1_FWD("anchor fc1 fwd", false, false, 64, 128, 1568, 1, false, ""),
    ANCHOR_FC1_DW("anchor fc1 dW", true, false, 1568, 128, 64, 1, false, ""),
    ANCHOR_FC1_DX("anchor fc1 dX", false, true, 64, 1568, 128, 1, false, "");

    public final String title;
    public final boolean transA, transB;
    public final int m, n, k;
    /** How many GEMMs of this shape one benchmark operation runs (one per image for the per-image convolution). */
    public final int images;
    /** C += instead of C = (weight gradients accumulate over images, and into the parameter's gradient). */
    public final boolean accumulate;
    /** Which operands ("A", "B", "C") advance by one matrix per image; the others are one buffer reused. */
    private final String perImage;

    GemmShape(String title, boolean transA, boolean transB, int m, int n, int k, int images, boolean accumulate,
              String perImage) {
        this.title = title;
        this.transA = transA;
        this.transB = transB;
        this.m = m;
        this.n = n;
        this.k = k;
        this.images = images;
        this.accumulate = accumulate;
        this.perImage = perImage;
    }

    /** Floating-point operations of one benchmark operation: 2 m n k per GEMM (a multiply and an add). */
    public double flops() {
        return 2.0 * m * n * k * images;
    }

    /** "NN", "NT", "TN": which operands are read transposed. */
    public String op() {
        return (transA ? "T" : "N") + (transB ? "T" : "N");
    }

    /** A row label for tables, e.g. {@code conv2 dW 32x144x196 (NT) x64}. */
    public String label() {
        return title + " " + m + "×" + n + "×" + k + " (" + op() + ")" + (images > 1 ? " ×" + images : "");
    }

    public int lda() {
        return transA ? m : k;
    }

    public int ldb() {
        return transB ? k : n;
    }

    public int ldc() {
        return n;
    }

    /** Distance between consecutive images' A, B, C (0: the same buffer for every image). */
    public int strideA() {
        return perImage.contains("A") ? m * k : 0;
    }

    public int strideB() {
        return perImage.contains("B") ? k * n : 0;
    }

    public int strideC() {
        return perImage.contains("C") ? m * n : 0;
    }

    /** The operands, filled with seeded uniform values in [-1, 1), sized for every image. */
    public float[][] operands(long seed) {
        Random rng = new Random(seed);
        return new float[][] {
            random(rng, m * k + (images - 1) * strideA()),
            random(rng, k * n + (images - 1) * strideB()),
            random(rng, m * n + (images - 1) * strideC()),
        };
    }

    private static float[] random(Random rng, int size) {
        float[] a = new float[size];
        for (int i = 0; i < size; i++) {
            a[i] = rng.nextFloat() * 2f - 1f;
        }
        return a;
    }
}
