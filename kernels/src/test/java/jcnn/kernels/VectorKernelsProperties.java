package jcnn.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * The vector kernels against the scalar reference, at every width whatever the host (a width the CPU lacks is
 * slow but still correct), over awkward shapes: 1, primes, tails shorter than one vector, every transpose,
 * strides and paddings. Exact where the arithmetic is the same; otherwise within 1e-5 of the scale of the sum.
 * And: results bit-identical for 1, 2, 3 and 4 threads.
 */
class VectorKernelsProperties {

    private static final int[] WIDTHS = {128, 256, 512};
    private static final double REL = 1e-5, ABS = 1e-6;

    private final Kernels scalar = new ScalarKernels();

    private static Kernels vector(int bits) {
        return new VectorKernels(bits, 1);
    }

    /** Sizes that stress the edges: 1, primes, just around 4, 16, 48 (one micro-tile at 512 bits), and more. */
    @Provide
    Arbitrary<Integer> size() {
        return Arbitraries.oneOf(
                Arbitraries.of(1, 2, 3, 4, 5, 7, 11, 13, 15, 16, 17, 23, 31, 47, 48, 49, 53, 97),
                Arbitraries.integers().between(1, 150));
    }

    // ---------------------------------------------------------------------------------------------------------
    // GEMM

    private void checkGemm(Kernels v, boolean transA, boolean transB, int m, int n, int k, boolean accumulate,
                           int pad, Random r) {
        int aOff = r.nextInt(5), bOff = r.nextInt(5), cOff = r.nextInt(5);
        int lda = (transA ? m : k) + pad, ldb = (transB ? k : n) + pad, ldc = n + pad;
        float[] a = Compare.random(r, aOff + (transA ? k : m) * lda);
        float[] b = Compare.random(r, bOff + (transB ? n : k) * ldb);
        float[] c = Compare.random(r, cOff + m * ldc);
        float[] expected = c.clone();
        scalar.sgemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, expected, cOff, ldc, accumulate);
        v.sgemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
        // The error of a float sum scales with the sum of the magnitudes of its terms: compute that bound.
        float[] bound = new float[c.length];
        float[] absA = abs(a), absB = abs(b);
        scalar.sgemm(transA, transB, m, n, k, absA, aOff, lda, absB, bOff, ldb, bound, cOff, ldc, false);
        for (int i = 0; i < bound.length; i++) {
            bound[i] += Math.abs(expected[i]);
        }
        Compare.assertCloseTo(v.name() + " sgemm " + (transA ? "T" : "N") + (transB ? "T" : "N") + " m=" + m
                + " n=" + n + " k=" + k + " acc=" + accumulate + " pad=" + pad, expected, c, bound, c.length, REL, ABS);
        // The padding between rows of C must be untouched.
        for (int i = 0; i < m; i++) {
            for (int j = n; j < ldc && cOff + i * ldc + j < c.length; j++) {
                int idx = cOff + i * ldc + j;
                assertEquals(expected[idx], c[idx], "padding of C written at " + idx);
            }
        }
    }

    private static float[] abs(float[] x) {
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = Math.abs(x[i]);
        }
        return y;
    }

    @Property(tries = 60)
    void sgemmMatchesScalar(@ForAll("size") int m, @ForAll("size") int n, @ForAll("size") int k,
                            @ForAll boolean transA, @ForAll boolean transB, @ForAll boolean accumulate,
                            @ForAll @IntRange(min = 0, max = 19) int pad, @ForAll long seed) {
        Random r = new Random(seed);
        for (int bits : WIDTHS) {
            checkGemm(vector(bits), transA, transB, m, n, k, accumulate, pad, r);
        }
    }

    /** Big enough for the packed, blocked path (several kc blocks, edge tiles on both sides). */
    @Property(tries = 12)
    void packedSgemmMatchesScalar(@ForAll @IntRange(min = 60, max = 140) int m,
                                  @ForAll @IntRange(min = 60, max = 140) int n,
                                  @ForAll @IntRange(min = 200, max = 600) int k,
                                  @ForAll boolean transA, @ForAll boolean transB, @ForAll boolean accumulate,
                                  @ForAll long seed) {
        Random r = new Random(seed);
        for (int bits : WIDTHS) {
            checkGemm(vector(bits), transA, transB, m, n, k, accumulate, 3, r);
        }
    }

    @Test
    void sgemmCrossesEveryBlockBoundary() {
        Random r = new Random(42);
        // n > 64 panels at 128 bits (768 columns), k > 2 kc blocks, m > one mc block.
        for (int bits : WIDTHS) {
            checkGemm(vector(bits), false, false, 131, 800, 530, true, 1, r);
            checkGemm(vector(bits), true, true, 131, 790, 300, false, 0, r);
        }
    }

    @Test
    void sgemmIsBitIdenticalForAnyThreadCount() {
        Random r = new Random(7);
        int m = 157, n = 211, k = 300;
        for (int bits : WIDTHS) {
            for (int t = 0; t < 4; t++) {
                boolean transA = (t & 1) != 0, transB = (t & 2) != 0;
                float[] a = Compare.random(r, m * k), b = Compare.random(r, k * n), c0 = Compare.random(r, m * n);
                float[] reference = null;
                for (int threads = 1; threads <= 4; threads++) {
                    float[] c = c0.clone();
                    new VectorKernels(bits, threads).sgemm(transA, transB, m, n, k, a, 0, transA ? m : k,
                            b, 0, transB ? k : n, c, 0, n, true);
                    if (reference == null) {
                        reference = c;
                    } else {
                        Compare.assertSame("vector-" + bits + " sgemm " + t + " with " + threads + " threads",
                                reference, c, c.length);
                    }
                }
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Convolution

    private static ConvShape conv(int n, int c, int h, int w, int o, int kh, int kw, int stride, int pad) {
        Assume.that(h + 2 * pad >= kh && w + 2 * pad >= kw);
        return new ConvShape(n, c, h, w, o, kh, kw, stride, pad);
    }

    @Property(tries = 80)
    void im2colAndCol2imAreExact(@ForAll @IntRange(min = 1, max = 3) int c, @ForAll @IntRange(min = 1, max = 19) int h,
                                 @ForAll @IntRange(min = 1, max = 37) int w, @ForAll @IntRange(min = 1, max = 5) int kh,
                                 @ForAll @IntRange(min = 1, max = 5) int kw, @ForAll @IntRange(min = 1, max = 3) int stride,
                                 @ForAll @IntRange(min = 0, max = 2) int pad, @ForAll long seed) {
        ConvShape s = conv(1, c, h, w, 1, kh, kw, stride, pad);
        Random r = new Random(seed);
        int colSize = s.colRows() * s.colCols();
        float[] x = Compare.random(r, 3 + c * h * w);
        float[] col = Compare.random(r, 2 + colSize);
        float[] dx0 = Compare.random(r, x.length);
        float[] expectedCol = Compare.random(r, col.length), expectedDx = dx0.clone();
        scalar.im2col(x, 3, s, expectedCol, 2);
        scalar.col2im(col, 2, s, expectedDx, 3);
        for (int bits : WIDTHS) {
            Kernels v = vector(bits);
            float[] actualCol = expectedCol.clone();
            java.util.Arrays.fill(actualCol, 2, actualCol.length, Float.NaN);
            v.im2col(x, 3, s, actualCol, 2);
            Compare.assertSame(v.name() + " im2col " + s, expectedCol, actualCol, actualCol.length);
            float[] dx = dx0.clone();
            v.col2im(col, 2, s, dx, 3);
            Compare.assertSame(v.name() + " col2im " + s, expectedDx, dx, dx.length);
        }
    }

    /** The bulk copy / add path for stride 1 and ow == w (3x3 pad 1, 5x5 pad 2, 1x1), with -0 and NaN in dx. */
    @Property(tries = 40)
    void sameWidthIm2colAndCol2imAreExact(@ForAll @IntRange(min = 1, max = 3) int c,
                                          @ForAll @IntRange(min = 1, max = 17) int h,
                                          @ForAll @IntRange(min = 1, max = 33) int w,
                                          @ForAll @IntRange(min = 0, max = 2) int pad,
                                          @ForAll @IntRange(min = 1, max = 5) int kh, @ForAll long seed) {
        ConvShape s = conv(1, c, h, w, 1, kh, 2 * pad + 1, 1, pad);
        Random r = new Random(seed);
        float[] x = tiesAndNaNs(r, c * h * w);
        float[] col = tiesAndNaNs(r, s.colRows() * s.colCols());
        float[] dx0 = tiesAndNaNs(r, x.length);
        float[] expectedCol = new float[col.length], expectedDx = dx0.clone();
        scalar.im2col(x, 0, s, expectedCol, 0);
        scalar.col2im(col, 0, s, expectedDx, 0);
        for (int bits : WIDTHS) {
            Kernels v = vector(bits);
            float[] actualCol = new float[col.length];
            java.util.Arrays.fill(actualCol, Float.NaN);
            v.im2col(x, 0, s, actualCol, 0);
            Compare.assertSame(v.name() + " im2col " + s, expectedCol, actualCol, col.length);
            float[] dx = dx0.clone();
            v.col2im(col, 0, s, dx, 0);
            Compare.assertSame(v.name() + " col2im " + s, expectedDx, dx, dx.length);
        }
    }

    @Property(tries = 40)
    void convolutionMatchesScalar(@ForAll @IntRange(min = 1, max = 5) int n, @ForAll @IntRange(min = 1, max = 4) int c,
                                  @ForAll @IntRange(min = 1, max = 15) int h, @ForAll @IntRange(min = 1, max = 15) int w,
                                  @ForAll @IntRange(min = 1, max = 20) int o, @ForAll @IntRange(min = 1, max = 4) int kh,
                                  @ForAll @IntRange(min = 1, max = 4) int kw, @ForAll @IntRange(min = 1, max = 3) int stride,
                                  @ForAll @IntRange(min = 0, max = 2) int pad, @ForAll boolean withBias,
                                  @ForAll long seed) {
        ConvShape s = conv(n, c, h, w, o, kh, kw, stride, pad);
        Random r = new Random(seed);
        float[] x = Compare.random(r, s.inputSize()), weight = Compare.random(r, s.weightSize());
        float[] bias = withBias ? Compare.random(r, o) : null;
        float[] dy = Compare.random(r, s.outputSize());
        float[] y = new float[s.outputSize()];
        float[] dx0 = Compare.random(r, s.inputSize()), dw0 = Compare.random(r, s.weightSize()),
                db0 = Compare.random(r, o);
        float[] dx = dx0.clone(), dw = dw0.clone(), db = db0.clone();
        scalar.conv2dForward(x, weight, bias, y, s);
        scalar.conv2dBackward(dy, x, weight, dx, dw, db, s);
        // Every sum here has at most max(c kh kw, n oh ow) terms of magnitude <= 1: scale the tolerance by that.
        double terms = Math.max(s.colRows(), (double) n * s.colCols()) + 1;
        for (int bits : WIDTHS) {
            Kernels v = vector(bits);
            float[] vy = new float[y.length];
            float[] vdx = dx0.clone(), vdw = dw0.clone(), vdb = db0.clone();
            v.conv2dForward(x, weight, bias, vy, s);
            v.conv2dBackward(dy, x, weight, vdx, vdw, vdb, s);
            String what = v.name() + " conv " + s;
            Compare.assertClose(what + " y", y, vy, y.length, REL, REL * terms);
            Compare.assertClose(what + " dx", dx, vdx, dx.length, REL, REL * terms);
            Compare.assertClose(what + " dweight", dw, vdw, dw.length, REL, REL * terms);
            Compare.assertClose(what + " dbias", db, vdb, db.length, REL, REL * terms);
        }
    }

    @Test
    void convolutionGradientsAreBitIdenticalForAnyThreadCount() {
        Random r = new Random(3);
        ConvShape s = new ConvShape(9, 3, 12, 13, 8, 3, 3, 1, 1);
        float[] x = Compare.random(r, s.inputSize()), weight = Compare.random(r, s.weightSize());
        float[] dy = Compare.random(r, s.outputSize()), bias = Compare.random(r, s.o());
        for (int bits : WIDTHS) {
            float[] y1 = null, dx1 = null, dw1 = null, db1 = null;
            for (int threads = 1; threads <= 4; threads++) {
                Kernels v = new VectorKernels(bits, threads);
                float[] y = new float[s.outputSize()], dx = new float[s.inputSize()], dw = new float[s.weightSize()],
                        db = new float[s.o()];
                v.conv2dForward(x, weight, bias, y, s);
                v.conv2dBackward(dy, x, weight, dx, dw, db, s);
                if (threads == 1) {
                    y1 = y;
                    dx1 = dx;
                    dw1 = dw;
                    db1 = db;
                } else {
                    String what = v.name() + " with " + threads + " threads: ";
                    Compare.assertSame(what + "y", y1, y, y.length);
                    Compare.assertSame(what + "dx", dx1, dx, dx.length);
                    Compare.assertSame(what + "dweight", dw1, dw, dw.length);
                    Compare.assertSame(what + "dbias", db1, db, db.length);
                }
            }
        }
    }

    /**
     * conv1's direct path (one input channel, stride 1): the forward is bit-identical to im2col + GEMM + bias on
     * the same kernels, whatever the size, padding and kernel; the weight gradient (3x3, no input gradient) is
     * within rounding of the reference and bit-identical for 1 to 4 threads.
     */
    @Property(tries = 40)
    void directConvolutionOfOneChannel(@ForAll @IntRange(min = 1, max = 21) int n,
                                       @ForAll @IntRange(min = 1, max = 30) int h,
                                       @ForAll @IntRange(min = 1, max = 30) int w,
                                       @ForAll @IntRange(min = 1, max = 17) int o,
                                       @ForAll @IntRange(min = 0, max = 2) int pad, @ForAll boolean withBias,
                                       @ForAll long seed) {
        ConvShape s = conv(n, 1, h, w, o, 3, 3, 1, pad);
        Random r = new Random(seed);
        float[] x = Compare.random(r, s.inputSize()), weight = Compare.random(r, s.weightSize());
        float[] bias = withBias ? Compare.random(r, o) : null, dy = Compare.random(r, s.outputSize());
        Kernels v = new VectorKernels(256, 2);
        float[] viaIm2col = new float[s.outputSize()], direct = new float[s.outputSize()];
        float[] col = new float[s.colRows() * s.colCols()];
        for (int i = 0; i < n; i++) {
            v.im2col(x, i * s.h() * s.w(), s, col, 0);
            v.sgemm(false, false, o, s.colCols(), s.colRows(), weight, 0, s.colRows(), col, 0, s.colCols(),
                    viaIm2col, i * o * s.colCols(), s.colCols(), false);
        }
        if (bias != null) {
            v.biasAdd(viaIm2col, bias, n, o, s.colCols());
        }
        v.conv2dForward(x, weight, bias, direct, s);
        Compare.assertSame("direct conv forward " + s, viaIm2col, direct, direct.length);
    }

    @Property(tries = 30)
    void directWeightGradientOfOneChannel(@ForAll @IntRange(min = 1, max = 21) int n,
                                          @ForAll @IntRange(min = 1, max = 30) int h,
                                          @ForAll @IntRange(min = 1, max = 30) int w,
                                          @ForAll @IntRange(min = 1, max = 17) int o,
                                          @ForAll @IntRange(min = 1, max = 2) int pad, @ForAll long seed) {
        ConvShape s = conv(n, 1, h, w, o, 3, 3, 1, pad);
        Random r = new Random(seed);
        float[] x = Compare.random(r, s.inputSize()), weight = Compare.random(r, s.weightSize());
        float[] dy = Compare.random(r, s.outputSize());
        float[] dw = new float[s.weightSize()], db = new float[o];
        scalar.conv2dBackward(dy, x, weight, null, dw, db, s);
        double terms = (double) n * s.colCols() + 1;
        float[] first = null;
        for (int threads = 1; threads <= 4; threads++) {
            float[] vdw = new float[dw.length], vdb = new float[o];
            new VectorKernels(256, threads).conv2dBackward(dy, x, weight, null, vdw, vdb, s);
            Compare.assertClose("direct conv dweight " + s, dw, vdw, dw.length, REL, REL * terms);
            Compare.assertClose("direct conv dbias " + s, db, vdb, o, REL, REL * terms);
            if (first == null) {
                first = vdw;
            } else {
                Compare.assertSame("direct conv dweight with " + threads + " threads " + s, first, vdw, vdw.length);
            }
        }
    }

    @Property(tries = 60)
    void biasMatchesScalar(@ForAll @IntRange(min = 1, max = 5) int n, @ForAll("size") int c,
                           @ForAll @IntRange(min = 1, max = 70) int spatial, @ForAll boolean linear,
                           @ForAll long seed) {
        int sp = linear ? 1 : spatial;
        Random r = new Random(seed);
        float[] y0 = Compare.random(r, n * c * sp), bias = Compare.random(r, c), db0 = Compare.random(r, c);
        float[] y = y0.clone(), db = db0.clone();
        scalar.biasAdd(y, bias, n, c, sp);
        scalar.biasGrad(y0, n, c, sp, db);
        for (int bits : WIDTHS) {
            Kernels v = vector(bits);
            float[] vy = y0.clone(), vdb = db0.clone();
            v.biasAdd(vy, bias, n, c, sp);
            Compare.assertSame(v.name() + " biasAdd", y, vy, y.length);
            v.biasGrad(y0, n, c, sp, vdb);
            Compare.assertClose(v.name() + " biasGrad", db, vdb, db.length, REL, REL * (n * sp + 1));
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Activations and pooling

    /** Values drawn from a few levels, so that ties are common, with zeros, -0 and an occasional NaN. */
    private static float[] tiesAndNaNs(Random r, int len) {
        float[] levels = {-1f, -0f, 0f, 0.5f, 1f, 2f};
        float[] x = new float[len];
        for (int i = 0; i < len; i++) {
            x[i] = r.nextInt(40) == 0 ? Float.NaN : levels[r.nextInt(levels.length)];
        }
        return x;
    }

    @Property(tries = 60)
    void reluIsExact(@ForAll("size") int len, @ForAll long seed) {
        Random r = new Random(seed);
        float[] x = tiesAndNaNs(r, len), dy = Compare.random(r, len), dx0 = tiesAndNaNs(r, len);
        float[] y = new float[len], dx = dx0.clone();
        scalar.reluForward(x, y, len);
        scalar.reluBackward(x, dy, dx, len);
        for (int bits : WIDTHS) {
            Kernels v = vector(bits);
            float[] vy = new float[len], vdx = dx0.clone();
            v.reluForward(x, vy, len);
            v.reluBackward(x, dy, vdx, len);
            Compare.assertSame(v.name() + " reluForward", y, vy, len);
            Compare.assertSame(v.name() + " reluBackward", dx, vdx, len);
        }
    }

    @Property(tries = 60)
    void maxPoolIsExact(@ForAll @IntRange(min = 1, max = 3) int n, @ForAll @IntRange(min = 1, max = 3) int c,
                        @ForAll @IntRange(min = 1, max = 13) int h, @ForAll @IntRange(min = 1, max = 13) int w,
                        @ForAll @IntRange(min = 1, max = 3) int k, @ForAll @IntRange(min = 1, max = 3) int stride,
                        @ForAll long seed) {
        Assume.that(h >= k && w >= k);
        PoolShape s = new PoolShape(n, c, h, w, k, stride);
        Random r = new Random(seed);
        float[] x = tiesAndNaNs(r, s.inputSize()), dy = Compare.random(r, s.outputSize());
        float[] y = new float[s.outputSize()], dx0 = Compare.random(r, s.inputSize()), dx = dx0.clone();
        int[] argmax = new int[s.outputSize()];
        scalar.maxPoolForward(x, s, y, argmax);
        scalar.maxPoolBackward(dy, argmax, s, dx);
        for (int bits : WIDTHS) {
            Kernels v = vector(bits);
            float[] vy = new float[y.length], vdx = dx0.clone();
            int[] vargmax = new int[argmax.length];
            v.maxPoolForward(x, s, vy, vargmax);
            Compare.assertSame(v.name() + " maxPool y", y, vy, y.length);
            Compare.assertSame(v.name() + " maxPool argmax", argmax, vargmax, argmax.length);
            v.maxPoolBackward(dy, argmax, s, vdx);
            Compare.assertSame(v.name() + " maxPool dx", dx, vdx, dx.length);
        }
    }

    @Test
    void bigMaxPoolIsExactWithThreads() {
        Random r = new Random(11);
        PoolShape s = new PoolShape(8, 16, 28, 28, 2, 2);
        float[] x = tiesAndNaNs(r, s.inputSize()), dy = Compare.random(r, s.outputSize());
        float[] y = new float[s.outputSize()], dx = new float[s.inputSize()];
        int[] argmax = new int[s.outputSize()];
        scalar.maxPoolForward(x, s, y, argmax);
        scalar.maxPoolBackward(dy, argmax, s, dx);
        for (int threads = 1; threads <= 3; threads++) {
            Kernels v = new VectorKernels(512, threads);
            float[] vy = new float[y.length], vdx = new float[dx.length];
            int[] vargmax = new int[argmax.length];
            v.maxPoolForward(x, s, vy, vargmax);
            v.maxPoolBackward(dy, vargmax, s, vdx);
            Compare.assertSame("maxPool y, threads " + threads, y, vy, y.length);
            Compare.assertSame("maxPool argmax, threads " + threads, argmax, vargmax, argmax.length);
            Compare.assertSame("maxPool dx, threads " + threads, dx, vdx, dx.length);
        }
    }

    /** The unfused pair on the scalar reference: what the fused kernels must give, bit for bit. */
    private void unfusedReluMaxPool(float[] x, float[] dy, PoolShape s, float[] y, int[] argmax, float[] dx) {
        float[] relu = new float[s.inputSize()], dRelu = new float[s.inputSize()];
        scalar.reluForward(x, relu, relu.length);
        scalar.maxPoolForward(relu, s, y, argmax);
        scalar.maxPoolBackward(dy, argmax, s, dRelu);
        scalar.reluBackward(x, dRelu, dx, dx.length);
    }

    /**
     * ReLU + max pooling fused, scalar twin and vector, against the unfused scalar pair: windows at the floored
     * edge, overlapping (stride &lt; k) and gapped (stride &gt; k) windows, planes wider than a vector or not,
     * ties, NaN and -0 in x, and -0 and NaN already in dx.
     */
    @Property(tries = 80)
    void fusedReluMaxPoolIsExact(@ForAll @IntRange(min = 1, max = 3) int n, @ForAll @IntRange(min = 1, max = 3) int c,
                                 @ForAll @IntRange(min = 1, max = 37) int h, @ForAll @IntRange(min = 1, max = 37) int w,
                                 @ForAll @IntRange(min = 1, max = 3) int k, @ForAll @IntRange(min = 1, max = 3) int stride,
                                 @ForAll long seed) {
        Assume.that(h >= k && w >= k);
        PoolShape s = new PoolShape(n, c, h, w, k, stride);
        Random r = new Random(seed);
        float[] x = tiesAndNaNs(r, s.inputSize()), dy = Compare.random(r, s.outputSize());
        float[] dx0 = tiesAndNaNs(r, s.inputSize());
        float[] y = new float[s.outputSize()], dx = dx0.clone();
        int[] argmax = new int[s.outputSize()];
        unfusedReluMaxPool(x, dy, s, y, argmax, dx);
        for (Kernels kernels : new Kernels[] {scalar, vector(512), new VectorKernels(256, 2)}) {
            float[] fy = new float[y.length], fdx = dx0.clone();
            int[] fargmax = new int[argmax.length];
            kernels.reluMaxPoolForward(x, s, fy, fargmax);
            kernels.reluMaxPoolBackward(dy, fargmax, x, s, fdx);
            String what = kernels.name() + " reluMaxPool " + s;
            Compare.assertSame(what + " y", y, fy, y.length);
            Compare.assertSame(what + " argmax", argmax, fargmax, argmax.length);
            Compare.assertSame(what + " dx", dx, fdx, dx.length);
        }
    }

    /** The seed's two pooling shapes at batch 64 and 1, threaded: the same bits as the unfused reference. */
    @Test
    void fusedReluMaxPoolOfTheSeedShapesIsExactWithThreads() {
        Random r = new Random(13);
        for (PoolShape s : new PoolShape[] {new PoolShape(64, 16, 28, 28, 2, 2), new PoolShape(64, 32, 14, 14, 2, 2),
                new PoolShape(1, 16, 28, 28, 2, 2), new PoolShape(1, 32, 14, 14, 2, 2)}) {
            float[] x = Compare.random(r, s.inputSize()), dy = Compare.random(r, s.outputSize());
            for (int i = 0; i < x.length; i += 7) {
                x[i] = x[i + 1 < x.length ? i + 1 : i];   // ties between neighbours, some inside a window
            }
            float[] y = new float[s.outputSize()], dx = new float[s.inputSize()];
            int[] argmax = new int[s.outputSize()];
            unfusedReluMaxPool(x, dy, s, y, argmax, dx);
            for (int threads = 1; threads <= 3; threads++) {
                Kernels v = new VectorKernels(512, threads);
                float[] vy = new float[y.length], vdx = new float[dx.length];
                int[] vargmax = new int[argmax.length];
                v.reluMaxPoolForward(x, s, vy, vargmax);
                v.reluMaxPoolBackward(dy, vargmax, x, s, vdx);
                String what = s + " threads " + threads;
                Compare.assertSame("reluMaxPool y, " + what, y, vy, y.length);
                Compare.assertSame("reluMaxPool argmax, " + what, argmax, vargmax, argmax.length);
                Compare.assertSame("reluMaxPool dx, " + what, dx, vdx, dx.length);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Loss and optimizer updates

    @Property(tries = 50)
    void crossEntropyMatchesScalar(@ForAll @IntRange(min = 1, max = 9) int n, @ForAll("size") int k,
                                   @ForAll @IntRange(min = 0, max = 3) int logScale, @ForAll long seed) {
        Random r = new Random(seed);
        float scale = (float) Math.pow(10, logScale);
        float[] logits = Compare.random(r, n * k);
        for (int i = 0; i < logits.length; i++) {
            logits[i] *= scale;
        }
        int[] target = new int[n];
        for (int i = 0; i < n; i++) {
            target[i] = r.nextInt(k);
        }
        float[] logProbs = new float[n * k], dlogits0 = Compare.random(r, n * k), dlogits = dlogits0.clone();
        float loss = scalar.crossEntropyForward(logits, target, n, k, logProbs);
        scalar.crossEntropyBackward(logProbs, target, n, k, 1f / n, dlogits);
        for (int bits : WIDTHS) {
            Kernels v = vector(bits);
            float[] vlogProbs = new float[n * k], vdlogits = dlogits0.clone();
            float vloss = v.crossEntropyForward(logits, target, n, k, vlogProbs);
            assertEquals(loss, vloss, REL * Math.abs(loss) + ABS, v.name() + " loss");
            Compare.assertClose(v.name() + " logProbs", logProbs, vlogProbs, logProbs.length, REL, ABS);
            v.crossEntropyBackward(vlogProbs, target, n, k, 1f / n, vdlogits);
            Compare.assertClose(v.name() + " dlogits", dlogits, vdlogits, dlogits.length, REL, ABS);
        }
    }

    @Property(tries = 60)
    void elementwiseUpdatesMatchScalar(@ForAll("size") int len, @ForAll long seed) {
        Random r = new Random(seed);
        float alpha = 2 * r.nextFloat() - 1;
        float[] x = Compare.random(r, len), y0 = Compare.random(r, len);
        float[] axpy = y0.clone(), scaled = y0.clone(), scaleAdd = y0.clone();
        scalar.axpy(len, alpha, x, axpy);
        scalar.scale(len, alpha, scaled);
        scalar.scaleAdd(len, alpha, scaleAdd, x);
        double sumSq = scalar.sumOfSquares(len, x);
        float[] p0 = Compare.random(r, len), g = Compare.random(r, len), m0 = Compare.random(r, len),
                v0 = abs(Compare.random(r, len));
        float[] p = p0.clone(), m = m0.clone(), vv = v0.clone();
        scalar.adamUpdate(len, p, g, m, vv, 1e-3f, 0.9f, 0.999f, 1e-8f, 0.271f, 0.00299f);
        for (int bits : WIDTHS) {
            Kernels v = vector(bits);
            float[] vaxpy = y0.clone(), vscaled = y0.clone(), vscaleAdd = y0.clone();
            v.axpy(len, alpha, x, vaxpy);
            v.scale(len, alpha, vscaled);
            v.scaleAdd(len, alpha, vscaleAdd, x);
            // Same operations in the same order as the reference: exact.
            Compare.assertSame(v.name() + " axpy", axpy, vaxpy, len);
            Compare.assertSame(v.name() + " scale", scaled, vscaled, len);
            Compare.assertSame(v.name() + " scaleAdd", scaleAdd, vscaleAdd, len);
            assertEquals(sumSq, v.sumOfSquares(len, x), 1e-5 * sumSq + 1e-12, v.name() + " sumOfSquares");
            float[] vp = p0.clone(), vm = m0.clone(), vvv = v0.clone();
            v.adamUpdate(len, vp, g, vm, vvv, 1e-3f, 0.9f, 0.999f, 1e-8f, 0.271f, 0.00299f);
            Compare.assertSame(v.name() + " adam m", m, vm, len);
            Compare.assertSame(v.name() + " adam v", vv, vvv, len);
            Compare.assertSame(v.name() + " adam p", p, vp, len);
        }
    }

    @Test
    void nameAndThreads() {
        for (int bits : WIDTHS) {
            Kernels v = new VectorKernels(bits, 3);
            assertEquals("vector-" + bits, v.name());
            assertEquals(3, v.threads());
        }
        assertEquals(KernelProvider.vector(-1, 1).name().startsWith("vector-"), true);
    }

    /**
     * The same input gives the same bits whichever JIT tier runs the code. A fresh copy's first call is interpreted;
     * after many calls it is compiled. (reduceLanes(ADD) failed this: its order differs between the two, which made
     * the weight gradient depend on the thread count through timing.)
     */
    @Test
    void resultsDoNotDependOnTheJitTier() {
        Random r = new Random(5);
        int m = 3, n = 2, k = 37;
        float[] a = Compare.random(r, m * k), b = Compare.random(r, n * k), x = Compare.random(r, 101);
        for (int bits : WIDTHS) {
            VectorLoops fresh = VectorKernels.defineLoops(bits);
            float[] first = new float[m * n];
            fresh.gemmDots(m, n, k, a, 0, k, b, 0, k, first, 0, n, false);
            float firstSum = fresh.sum(x, 0, x.length);
            double firstSumSq = fresh.sumOfSquares(x.length, x);
            float[] later = new float[m * n];
            float laterSum = 0;
            double laterSumSq = 0;
            for (int i = 0; i < 30_000; i++) {
                fresh.gemmDots(m, n, k, a, 0, k, b, 0, k, later, 0, n, false);
                laterSum = fresh.sum(x, 0, x.length);
                laterSumSq = fresh.sumOfSquares(x.length, x);
            }
            Compare.assertSame("vector-" + bits + " dot products, interpreted vs compiled", first, later, first.length);
            assertEquals(firstSum, laterSum, 0f, "vector-" + bits + " sum, interpreted vs compiled");
            assertEquals(firstSumSq, laterSumSq, 0d, "vector-" + bits + " sumOfSquares, interpreted vs compiled");
        }
    }

    @Test
    void eachWidthHasItsOwnCopyOfTheLoops() {
        // The hidden-class copies must each see their own width as a constant, and be cached (one copy per width).
        for (int bits : WIDTHS) {
            VectorLoops loops = VectorKernels.loops(bits);
            assertEquals(bits, loops.bits());
            assertEquals(bits / 32, loops.lanes());
            assertEquals(3 * bits / 32, loops.nr());
            assertEquals(true, loops == VectorKernels.loops(bits), "cached");
            assertEquals(true, loops.getClass().isHidden(), loops.getClass().getName());
        }
        assertEquals(3, java.util.Arrays.stream(WIDTHS).mapToObj(b -> VectorKernels.loops(b).getClass())
                .distinct().count());
    }
}
