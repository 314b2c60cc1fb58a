package jcnn.kernels;

import static jcnn.kernels.Theories.awkwardSize;
import static jcnn.kernels.Theories.bools;
import static jcnn.kernels.Theories.qt;
import static jcnn.kernels.Theories.range;
import static jcnn.kernels.Theories.seeds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * The vector kernels against the scalar reference at this JVM's width, over awkward shapes: 1, primes, tails
 * shorter than one vector, every transpose, strides and paddings. Exact where the arithmetic is the same;
 * otherwise within 1e-5 of the scale of the sum. And: results bit-identical for 1, 2, 3 and 4 threads.
 *
 * <p>Every width is tested on any host: the build runs this class in one forked JVM per width
 * ({@code -Dvector.bits=128}, {@code 256}, {@code 512}; kernels/pom.xml), since a JVM has one width. A width the CPU
 * lacks is slow but still correct. Seeds, tries and replay: {@link Theories}.
 */
@Tag(Theories.PER_WIDTH)
class VectorKernelsProperties {

    private static final double REL = 1e-5, ABS = 1e-6;

    private final Kernels scalar = new ScalarKernels();
    private final Kernels vector = new VectorKernels(1);

    @Test
    void theWidthIsThisJvmsAndAnotherIsAClearError() {
        String asked = System.getProperty("vector.bits", "");
        if (!asked.isEmpty()) {
            assertEquals(Integer.parseInt(asked), VectorWidth.BITS, "this fork runs the width it was started with");
        }
        Kernels v = new VectorKernels(3);
        assertEquals("vector-" + VectorWidth.BITS, v.name());
        assertEquals(VectorWidth.BITS, v.vectorBits());
        assertEquals(3, v.threads());
        assertEquals(VectorWidth.BITS, KernelProvider.vector(-1, 1).vectorBits());
        assertEquals(VectorWidth.BITS, KernelProvider.vector(VectorWidth.BITS, 1).vectorBits());
        int other = VectorWidth.BITS == 256 ? 512 : 256;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KernelProvider.vector(other, 1));
        assertTrue(e.getMessage().contains("start it with -Dvector.bits=" + other), e.getMessage());
        java.util.Properties p = new java.util.Properties();
        p.setProperty("vector.bits", String.valueOf(other));
        e = assertThrows(IllegalArgumentException.class, () -> KernelProvider.fromProperties(p));
        assertTrue(e.getMessage().contains("-Dvector.bits=" + other), e.getMessage());
    }

    // ---------------------------------------------------------------------------------------------------------
    // GEMM

    record GemmCase(int m, int n, int k, boolean transA, boolean transB, boolean accumulate, int pad, long seed) {
    }

    /** One sgemm under test: {@link Kernels#sgemm}, or one path of VectorGemm called directly. */
    @FunctionalInterface
    interface Gemm {
        void run(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff, int lda,
                 float[] b, int bOff, int ldb, float[] c, int cOff, int ldc, boolean accumulate);
    }

    private void checkGemm(Kernels v, GemmCase g) {
        checkGemm(v, g.transA, g.transB, g.m, g.n, g.k, g.accumulate, g.pad, new Random(g.seed));
    }

    private float[] checkGemm(Kernels v, boolean transA, boolean transB, int m, int n, int k, boolean accumulate,
                              int pad, Random r) {
        return checkGemm(v.name(), v::sgemm, transA, transB, m, n, k, accumulate, pad, r);
    }

    private float[] checkGemm(String name, Gemm v, boolean transA, boolean transB, int m, int n, int k,
                              boolean accumulate, int pad, Random r) {
        int aOff = r.nextInt(5), bOff = r.nextInt(5), cOff = r.nextInt(5);
        int lda = (transA ? m : k) + pad, ldb = (transB ? k : n) + pad, ldc = n + pad;
        float[] a = Compare.random(r, aOff + (transA ? k : m) * lda);
        float[] b = Compare.random(r, bOff + (transB ? n : k) * ldb);
        float[] c = Compare.random(r, cOff + m * ldc);
        float[] expected = c.clone();
        scalar.sgemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, expected, cOff, ldc, accumulate);
        v.run(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
        // The error of a float sum scales with the sum of the magnitudes of its terms: compute that bound.
        float[] bound = new float[c.length];
        float[] absA = abs(a), absB = abs(b);
        scalar.sgemm(transA, transB, m, n, k, absA, aOff, lda, absB, bOff, ldb, bound, cOff, ldc, false);
        for (int i = 0; i < bound.length; i++) {
            bound[i] += Math.abs(expected[i]);
        }
        Compare.assertCloseTo(name + " sgemm " + (transA ? "T" : "N") + (transB ? "T" : "N") + " m=" + m
                + " n=" + n + " k=" + k + " acc=" + accumulate + " pad=" + pad, expected, c, bound, c.length, ABS, REL);
        // The padding between rows of C must be untouched.
        for (int i = 0; i < m; i++) {
            for (int j = n; j < ldc && cOff + i * ldc + j < c.length; j++) {
                int idx = cOff + i * ldc + j;
                assertEquals(expected[idx], c[idx], "padding of C written at " + idx);
            }
        }
        return c;
    }

    private static float[] abs(float[] x) {
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = Math.abs(x[i]);
        }
        return y;
    }

    @Test
    void sgemmMatchesScalar() {
        Gen<GemmCase> cases = in -> new GemmCase(awkwardSize().generate(in), awkwardSize().generate(in),
                awkwardSize().generate(in), bools().generate(in), bools().generate(in), bools().generate(in),
                range(0, 19).generate(in), seeds().generate(in));
        qt("sgemmMatchesScalar", 60).forAll(cases).checkAssert(g -> checkGemm(vector, g));
    }

    /** Big enough for the packed, blocked path (several kc blocks, edge tiles on both sides). */
    @Test
    void packedSgemmMatchesScalar() {
        Gen<GemmCase> cases = in -> new GemmCase(range(60, 140).generate(in), range(60, 140).generate(in),
                range(200, 600).generate(in), bools().generate(in), bools().generate(in), bools().generate(in),
                3, seeds().generate(in));
        qt("packedSgemmMatchesScalar", 12).forAll(cases).checkAssert(g -> checkGemm(vector, g));
    }

    /**
     * Every register tile of the packed path (VectorGemm.Tile), on awkward shapes that the dispatch would send
     * elsewhere too (m, n, k of 1, primes, tails shorter than a vector, several kc slabs), 1 and 3 threads: each
     * matches the scalar reference, and all tiles give the same bits, since they sum every element in the same
     * order (the tile study may choose any of them without moving a weight hash), whether B's panels are packed or,
     * when B is not transposed, read in place.
     */
    @Test
    void everyTileOfThePackedPathMatchesScalarAndTheOthers() {
        Gen<GemmCase> cases = in -> new GemmCase(awkwardSize().generate(in), awkwardSize().generate(in),
                range(1, 300).generate(in), bools().generate(in), bools().generate(in), bools().generate(in),
                range(0, 5).generate(in), seeds().generate(in));
        qt("everyTileOfThePackedPathMatchesScalarAndTheOthers", 30).forAll(cases).checkAssert(g -> {
            float[] first = null;
            for (VectorGemm.Tile t : VectorGemm.Tile.values()) {
                for (int threads : new int[] {1, 3}) {
                    for (boolean inPlace : new boolean[] {false, true}) {
                        String name = vector.name() + " tile " + t.label() + " threads " + threads
                                + (inPlace ? " B in place" : " B packed");
                        Gemm packed = (tA, tB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, acc) ->
                                VectorGemm.packedGemm(t, inPlace, tA, tB, m, n, k, a, aOff, lda, b, bOff, ldb,
                                        c, cOff, ldc, acc, threads);
                        float[] c = checkGemm(name, packed, g.transA, g.transB, g.m, g.n, g.k, g.accumulate,
                                g.pad, new Random(g.seed));
                        if (first == null) {
                            first = c;
                        } else {
                            Compare.assertSame(name + " against tile " + VectorGemm.Tile.values()[0].label()
                                    + " B packed " + g, first, c, c.length);
                        }
                    }
                }
            }
        });
    }

    /**
     * The few-rows path (A . B^T with at most FEW_ROWS rows, lanes over the rows of A, B read in place) gives the
     * packed path's bits, whatever the tile, on 1 and 3 threads: the training step's fc1 forward takes it, so the
     * pinned weight hashes must not see which path ran. Rows from 1 to past a vector, columns from the 8 it keeps
     * in registers to odd counts past them, several kc slabs.
     */
    @Test
    void fewRowsTimesBtGivesThePackedPathsBits() {
        Gen<GemmCase> cases = in -> new GemmCase(range(1, VectorGemm.FEW_ROWS).generate(in),
                range(8, 150).generate(in), range(1, 300).generate(in), false, true, bools().generate(in),
                range(0, 3).generate(in), seeds().generate(in));
        qt("fewRowsTimesBtGivesThePackedPathsBits", 30).forAll(cases).checkAssert(g -> {
            Gemm packed = (tA, tB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, acc) ->
                    VectorGemm.packedGemm(VectorGemm.Tile.T4X3, false, tA, tB, m, n, k, a, aOff, lda, b, bOff, ldb,
                            c, cOff, ldc, acc, 1);
            float[] reference = checkGemm(vector.name() + " packed", packed, false, true, g.m, g.n, g.k,
                    g.accumulate, g.pad, new Random(g.seed));
            for (int threads : new int[] {1, 3}) {
                Gemm fewRows = (tA, tB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, acc) ->
                        VectorGemm.fewRowsTimesBt(m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, acc, threads);
                String name = vector.name() + " few rows, threads " + threads;
                float[] c = checkGemm(name, fewRows, false, true, g.m, g.n, g.k, g.accumulate, g.pad,
                        new Random(g.seed));
                Compare.assertSame(name + " against the packed path " + g, reference, c, c.length);
            }
        });
    }

    @Test
    void sgemmCrossesEveryBlockBoundary() {
        Random r = new Random(42);
        // n > 64 panels at 128 bits (768 columns), k > 2 kc blocks, m > one mc block.
        checkGemm(vector, false, false, 131, 800, 530, true, 1, r);
        checkGemm(vector, true, true, 131, 790, 300, false, 0, r);
    }

    @Test
    void sgemmIsBitIdenticalForAnyThreadCount() {
        Random r = new Random(7);
        int m = 157, n = 211, k = 300;
        for (int t = 0; t < 4; t++) {
            boolean transA = (t & 1) != 0, transB = (t & 2) != 0;
            float[] a = Compare.random(r, m * k), b = Compare.random(r, k * n), c0 = Compare.random(r, m * n);
            float[] reference = null;
            for (int threads = 1; threads <= 4; threads++) {
                float[] c = c0.clone();
                new VectorKernels(threads).sgemm(transA, transB, m, n, k, a, 0, transA ? m : k,
                        b, 0, transB ? k : n, c, 0, n, true);
                if (reference == null) {
                    reference = c;
                } else {
                    Compare.assertSame(vector.name() + " sgemm " + t + " with " + threads + " threads",
                            reference, c, c.length);
                }
            }
        }
    }

    /**
     * The thin shapes that skip packing split their rows of C over the threads once they have 1M multiply-adds per
     * thread: the row GEMM (k <= 16, NN and TN) and the dot products (NT with a thin op(B)), each past 3M
     * multiply-adds so that 2 and 3 threads really split. Same bits at 1, 2 and 3 threads.
     */
    @Test
    void thinSgemmIsBitIdenticalForAnyThreadCount() {
        Random r = new Random(11);
        int[][] shapes = {{7001, 40, 12, 0}, {7001, 40, 12, 1}, {17, 9, 20011, 2}};
        for (int[] s : shapes) {
            int m = s[0], n = s[1], k = s[2];
            boolean transA = s[3] == 1, transB = s[3] == 2;
            float[] a = Compare.random(r, m * k), b = Compare.random(r, k * n), c0 = Compare.random(r, m * n);
            float[] reference = null;
            for (int threads = 1; threads <= 3; threads++) {
                float[] c = c0.clone();
                new VectorKernels(threads).sgemm(transA, transB, m, n, k, a, 0, transA ? m : k,
                        b, 0, transB ? k : n, c, 0, n, true);
                if (reference == null) {
                    reference = c;
                } else {
                    Compare.assertSame(vector.name() + " thin sgemm " + m + "x" + n + "x" + k + " op " + s[3]
                            + " with " + threads + " threads", reference, c, c.length);
                }
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Convolution

    /** Whether the kernel fits the padded image; shapes that do not are not convolutions. */
    private static boolean fits(int h, int w, int kh, int kw, int pad) {
        return h + 2 * pad >= kh && w + 2 * pad >= kw;
    }

    record ColumnsCase(int c, int h, int w, int kh, int kw, int stride, int pad, long seed) {
        ConvShape shape() {
            return new ConvShape(1, c, h, w, 1, kh, kw, stride, pad);
        }
    }

    @Test
    void im2colAndCol2imAreExact() {
        Gen<ColumnsCase> cases = in -> new ColumnsCase(range(1, 3).generate(in), range(1, 19).generate(in),
                range(1, 37).generate(in), range(1, 5).generate(in), range(1, 5).generate(in),
                range(1, 3).generate(in), range(0, 2).generate(in), seeds().generate(in));
        qt("im2colAndCol2imAreExact", 80).forAll(cases.assuming(g -> fits(g.h, g.w, g.kh, g.kw, g.pad)))
                .checkAssert(g -> {
                    ConvShape s = g.shape();
                    Random r = new Random(g.seed);
                    int colSize = s.colRows() * s.colCols();
                    float[] x = Compare.random(r, 3 + g.c * g.h * g.w);
                    float[] col = Compare.random(r, 2 + colSize);
                    float[] dx0 = Compare.random(r, x.length);
                    float[] expectedCol = Compare.random(r, col.length), expectedDx = dx0.clone();
                    scalar.im2col(x, 3, s, expectedCol, 2);
                    scalar.col2im(col, 2, s, expectedDx, 3);
                    float[] actualCol = expectedCol.clone();
                    java.util.Arrays.fill(actualCol, 2, actualCol.length, Float.NaN);
                    vector.im2col(x, 3, s, actualCol, 2);
                    Compare.assertSame(vector.name() + " im2col " + s, expectedCol, actualCol, actualCol.length);
                    float[] dx = dx0.clone();
                    vector.col2im(col, 2, s, dx, 3);
                    Compare.assertSame(vector.name() + " col2im " + s, expectedDx, dx, dx.length);
                });
    }

    record SameWidthCase(int c, int h, int w, int pad, int kh, long seed) {
        ConvShape shape() {
            return new ConvShape(1, c, h, w, 1, kh, 2 * pad + 1, 1, pad);
        }
    }

    /** The bulk copy / add path for stride 1 and ow == w (3x3 pad 1, 5x5 pad 2, 1x1), with -0 and NaN in dx. */
    @Test
    void sameWidthIm2colAndCol2imAreExact() {
        Gen<SameWidthCase> cases = in -> new SameWidthCase(range(1, 3).generate(in), range(1, 17).generate(in),
                range(1, 33).generate(in), range(0, 2).generate(in), range(1, 5).generate(in), seeds().generate(in));
        qt("sameWidthIm2colAndCol2imAreExact", 40)
                .forAll(cases.assuming(g -> fits(g.h, g.w, g.kh, 2 * g.pad + 1, g.pad)))
                .checkAssert(g -> {
                    ConvShape s = g.shape();
                    Random r = new Random(g.seed);
                    float[] x = tiesAndNaNs(r, g.c * g.h * g.w);
                    float[] col = tiesAndNaNs(r, s.colRows() * s.colCols());
                    float[] dx0 = tiesAndNaNs(r, x.length);
                    float[] expectedCol = new float[col.length], expectedDx = dx0.clone();
                    scalar.im2col(x, 0, s, expectedCol, 0);
                    scalar.col2im(col, 0, s, expectedDx, 0);
                    float[] actualCol = new float[col.length];
                    java.util.Arrays.fill(actualCol, Float.NaN);
                    vector.im2col(x, 0, s, actualCol, 0);
                    Compare.assertSame(vector.name() + " im2col " + s, expectedCol, actualCol, col.length);
                    float[] dx = dx0.clone();
                    vector.col2im(col, 0, s, dx, 0);
                    Compare.assertSame(vector.name() + " col2im " + s, expectedDx, dx, dx.length);
                });
    }

    record ConvCase(int n, int c, int h, int w, int o, int kh, int kw, int stride, int pad, boolean withBias,
                    long seed) {
        ConvShape shape() {
            return new ConvShape(n, c, h, w, o, kh, kw, stride, pad);
        }
    }

    @Test
    void convolutionMatchesScalar() {
        Gen<ConvCase> cases = in -> new ConvCase(range(1, 5).generate(in), range(1, 4).generate(in),
                range(1, 15).generate(in), range(1, 15).generate(in), range(1, 20).generate(in),
                range(1, 4).generate(in), range(1, 4).generate(in), range(1, 3).generate(in),
                range(0, 2).generate(in), bools().generate(in), seeds().generate(in));
        qt("convolutionMatchesScalar", 40).forAll(cases.assuming(g -> fits(g.h, g.w, g.kh, g.kw, g.pad)))
                .checkAssert(g -> {
                    ConvShape s = g.shape();
                    int n = s.n(), o = s.o();
                    Random r = new Random(g.seed);
                    float[] x = Compare.random(r, s.inputSize()), weight = Compare.random(r, s.weightSize());
                    float[] bias = g.withBias ? Compare.random(r, o) : null;
                    float[] dy = Compare.random(r, s.outputSize());
                    float[] y = new float[s.outputSize()];
                    float[] dx0 = Compare.random(r, s.inputSize()), dw0 = Compare.random(r, s.weightSize()),
                            db0 = Compare.random(r, o);
                    float[] dx = dx0.clone(), dw = dw0.clone(), db = db0.clone();
                    scalar.conv2dForward(x, weight, bias, y, s);
                    scalar.conv2dBackward(dy, x, weight, dx, dw, db, s);
                    // Every sum has at most max(c kh kw, n oh ow) terms of magnitude <= 1: scale the tolerance.
                    double terms = Math.max(s.colRows(), (double) n * s.colCols()) + 1;
                    float[] vy = new float[y.length];
                    float[] vdx = dx0.clone(), vdw = dw0.clone(), vdb = db0.clone();
                    vector.conv2dForward(x, weight, bias, vy, s);
                    vector.conv2dBackward(dy, x, weight, vdx, vdw, vdb, s);
                    String what = vector.name() + " conv " + s;
                    Compare.assertClose(what + " y", y, vy, y.length, REL * terms, REL);
                    Compare.assertClose(what + " dx", dx, vdx, dx.length, REL * terms, REL);
                    Compare.assertClose(what + " dweight", dw, vdw, dw.length, REL * terms, REL);
                    Compare.assertClose(what + " dbias", db, vdb, db.length, REL * terms, REL);
                });
    }

    @Test
    void convolutionGradientsAreBitIdenticalForAnyThreadCount() {
        Random r = new Random(3);
        ConvShape s = new ConvShape(9, 3, 12, 13, 8, 3, 3, 1, 1);
        float[] x = Compare.random(r, s.inputSize()), weight = Compare.random(r, s.weightSize());
        float[] dy = Compare.random(r, s.outputSize()), bias = Compare.random(r, s.o());
        float[] y1 = null, dx1 = null, dw1 = null, db1 = null;
        for (int threads = 1; threads <= 4; threads++) {
            Kernels v = new VectorKernels(threads);
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

    record DirectConvCase(int n, int h, int w, int o, int pad, boolean withBias, long seed) {
        ConvShape shape() {
            return new ConvShape(n, 1, h, w, o, 3, 3, 1, pad);
        }
    }

    private static Gen<DirectConvCase> directConvCases(int minPad) {
        return in -> new DirectConvCase(range(1, 21).generate(in), range(1, 30).generate(in),
                range(1, 30).generate(in), range(1, 17).generate(in), range(minPad, 2).generate(in),
                bools().generate(in), seeds().generate(in));
    }

    /**
     * conv1's direct path (one input channel, 3x3, stride 1): the forward is bit-identical to im2col + GEMM + bias
     * on the same kernels, whatever the size and padding.
     */
    @Test
    void directConvolutionOfOneChannel() {
        qt("directConvolutionOfOneChannel", 40).forAll(directConvCases(0).assuming(g -> g.h + 2 * g.pad >= 3
                && g.w + 2 * g.pad >= 3)).checkAssert(g -> {
                    ConvShape s = g.shape();
                    Random r = new Random(g.seed);
                    float[] x = Compare.random(r, s.inputSize()), weight = Compare.random(r, s.weightSize());
                    float[] bias = g.withBias ? Compare.random(r, s.o()) : null;
                    Kernels v = new VectorKernels(2);
                    float[] viaIm2col = new float[s.outputSize()], direct = new float[s.outputSize()];
                    float[] col = new float[s.colRows() * s.colCols()];
                    for (int i = 0; i < s.n(); i++) {
                        v.im2col(x, i * s.h() * s.w(), s, col, 0);
                        v.sgemm(false, false, s.o(), s.colCols(), s.colRows(), weight, 0, s.colRows(), col, 0,
                                s.colCols(), viaIm2col, i * s.o() * s.colCols(), s.colCols(), false);
                    }
                    if (bias != null) {
                        v.biasAdd(viaIm2col, bias, s.n(), s.o(), s.colCols());
                    }
                    v.conv2dForward(x, weight, bias, direct, s);
                    Compare.assertSame("direct conv forward " + s, viaIm2col, direct, direct.length);
                });
    }

    /**
     * The direct weight gradient (no input gradient, as for conv1): within rounding of the reference, and
     * bit-identical for 1 to 4 threads.
     */
    @Test
    void directWeightGradientOfOneChannel() {
        qt("directWeightGradientOfOneChannel", 30).forAll(directConvCases(1)).checkAssert(g -> {
            ConvShape s = g.shape();
            Random r = new Random(g.seed);
            float[] x = Compare.random(r, s.inputSize()), weight = Compare.random(r, s.weightSize());
            float[] dy = Compare.random(r, s.outputSize());
            float[] dw = new float[s.weightSize()], db = new float[s.o()];
            scalar.conv2dBackward(dy, x, weight, null, dw, db, s);
            double terms = (double) s.n() * s.colCols() + 1;
            float[] first = null;
            for (int threads = 1; threads <= 4; threads++) {
                float[] vdw = new float[dw.length], vdb = new float[s.o()];
                new VectorKernels(threads).conv2dBackward(dy, x, weight, null, vdw, vdb, s);
                Compare.assertClose("direct conv dweight " + s, dw, vdw, dw.length, REL * terms, REL);
                Compare.assertClose("direct conv dbias " + s, db, vdb, s.o(), REL * terms, REL);
                if (first == null) {
                    first = vdw;
                } else {
                    Compare.assertSame("direct conv dweight with " + threads + " threads " + s, first, vdw,
                            vdw.length);
                }
            }
        });
    }

    record ChannelsConvCase(int n, int c, int h, int w, int o, boolean withBias, int threads, long seed) {
        ConvShape shape() {
            return new ConvShape(n, c, h, w, o, 3, 3, 1, 1);
        }
    }

    /** Several input channels, 3x3, padding 1 (conv2's kind), small and awkward: 1, primes, tails. */
    private static Gen<ChannelsConvCase> channelsConvCases(int maxO) {
        return in -> new ChannelsConvCase(range(1, 6).generate(in), range(2, 21).generate(in),
                range(1, 20).generate(in), range(1, 20).generate(in), range(1, maxO).generate(in),
                bools().generate(in), range(1, 3).generate(in), seeds().generate(in));
    }

    /** The direct convolution of several channels runs the forward and both gradients (accumulating) of its shapes. */
    private static float[][] runDirectAndIm2col(ConvShape s, boolean withBias, int threads, long seed) {
        Random r = new Random(seed);
        float[] x = Compare.random(r, s.inputSize()), weight = Compare.random(r, s.weightSize());
        float[] bias = withBias ? Compare.random(r, s.o()) : null, dy = Compare.random(r, s.outputSize());
        float[] dx0 = Compare.random(r, s.inputSize()), dw0 = Compare.random(r, s.weightSize());
        float[][] out = new float[6][];
        out[0] = new float[s.outputSize()];
        out[1] = dx0.clone();
        out[2] = dw0.clone();
        VectorDirectConvChannels.conv2dForward(x, weight, bias, out[0], s, threads);
        VectorDirectConvChannels.conv2dBackward(dy, x, weight, out[1], out[2], null, s, threads);
        out[3] = new float[s.outputSize()];
        out[4] = dx0.clone();
        out[5] = dw0.clone();
        VectorConv.im2colForward(x, weight, bias, out[3], s, threads);
        VectorConv.im2colBackward(dy, x, weight, out[4], out[5], null, s, threads);
        return out;
    }

    /**
     * conv2's direct path against the scalar reference, on small and awkward shapes, with gradients accumulated
     * onto random values; and the same for 1 to 3 threads.
     */
    @Test
    void directConvolutionOfSeveralChannels() {
        qt("directConvolutionOfSeveralChannels", 40).forAll(channelsConvCases(20)).checkAssert(g -> {
            ConvShape s = g.shape();
            assertTrue(VectorDirectConvChannels.fits(s));
            Random r = new Random(g.seed);
            float[] x = Compare.random(r, s.inputSize()), weight = Compare.random(r, s.weightSize());
            float[] bias = g.withBias ? Compare.random(r, s.o()) : null, dy = Compare.random(r, s.outputSize());
            float[] dx0 = Compare.random(r, s.inputSize()), dw0 = Compare.random(r, s.weightSize());
            float[] db0 = Compare.random(r, s.o());
            float[] y = new float[s.outputSize()], dx = dx0.clone(), dw = dw0.clone(), db = db0.clone();
            scalar.conv2dForward(x, weight, bias, y, s);
            scalar.conv2dBackward(dy, x, weight, dx, dw, db, s);
            double terms = Math.max(s.colRows(), (double) s.n() * s.colCols()) + 1;
            float[] first = null;
            for (int threads = 1; threads <= 3; threads++) {
                Kernels v = new VectorKernels(threads);
                float[] vy = new float[y.length], vdx = dx0.clone(), vdw = dw0.clone(), vdb = db0.clone();
                v.conv2dForward(x, weight, bias, vy, s);
                v.conv2dBackward(dy, x, weight, vdx, vdw, vdb, s);
                String what = v.name() + " direct conv, " + threads + " threads, " + s;
                Compare.assertClose(what + " y", y, vy, y.length, REL * terms, REL);
                Compare.assertClose(what + " dx", dx, vdx, dx.length, REL * terms, REL);
                Compare.assertClose(what + " dweight", dw, vdw, dw.length, REL * terms, REL);
                Compare.assertClose(what + " dbias", db, vdb, db.length, REL * terms, REL);
                float[] all = concat(vy, vdx, vdw, vdb);
                if (first == null) {
                    first = all;
                } else {
                    Compare.assertSame(what + " against 1 thread", first, all, all.length);
                }
            }
        });
    }

    /**
     * Bit-identical to im2col + GEMM + col2im wherever the GEMMs take their packed path (every product above
     * VectorGemm.SMALL_GEMM with more than 16 output channels): conv2 at any batch, so its weights hash the same.
     * (Smaller products take the unpacked row GEMM, which sums in other slabs; the property above covers them.)
     */
    @Test
    void directConvolutionOfSeveralChannelsEqualsIm2colBitForBit() {
        qt("directConvolutionOfSeveralChannelsEqualsIm2colBitForBit", 12).forAll(channelsConvCases(40)
                .assuming(g -> g.o > 16)).checkAssert(g -> {
                    // Grow the image until every GEMM of the im2col path is a packed one.
                    int h = g.h;
                    while ((long) g.o * 9 * g.c * h * g.w <= VectorGemm.SMALL_GEMM) {
                        h++;
                    }
                    ConvShape s = new ConvShape(g.n, g.c, h, g.w, g.o, 3, 3, 1, 1);
                    float[][] out = runDirectAndIm2col(s, g.withBias, g.threads, g.seed);
                    Compare.assertSame("direct forward " + s, out[3], out[0], out[0].length);
                    Compare.assertSame("direct dx " + s, out[4], out[1], out[1].length);
                    Compare.assertSame("direct dweight " + s, out[5], out[2], out[2].length);
                });
    }

    /** The seed CNN's conv2 itself, at batches 1, 7 and 65 (one image per chunk, and several), and more output
     * channels than one slab of the input gradient's sum. */
    @Test
    void directConvolutionEqualsIm2colOnConv2AndDeepShapes() {
        for (ConvShape s : new ConvShape[] {new ConvShape(1, 16, 14, 14, 32, 3, 3, 1, 1),
                new ConvShape(7, 16, 14, 14, 32, 3, 3, 1, 1), new ConvShape(65, 16, 14, 14, 32, 3, 3, 1, 1),
                new ConvShape(2, 5, 9, 11, 133, 3, 3, 1, 1)}) {
            for (int threads = s.n() > 64 ? 2 : 1; threads <= 2; threads++) {   // the largest once: slow at 512
                float[][] out = runDirectAndIm2col(s, true, threads, 11);
                Compare.assertSame("direct forward " + s, out[3], out[0], out[0].length);
                Compare.assertSame("direct dx " + s, out[4], out[1], out[1].length);
                Compare.assertSame("direct dweight " + s, out[5], out[2], out[2].length);
            }
        }
    }

    private static float[] concat(float[]... parts) {
        int len = 0;
        for (float[] p : parts) {
            len += p.length;
        }
        float[] all = new float[len];
        int at = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        return all;
    }

    record BiasCase(int n, int c, int spatial, boolean linear, long seed) {
    }

    @Test
    void biasMatchesScalar() {
        Gen<BiasCase> cases = in -> new BiasCase(range(1, 5).generate(in), awkwardSize().generate(in),
                range(1, 70).generate(in), bools().generate(in), seeds().generate(in));
        qt("biasMatchesScalar", 60).forAll(cases).checkAssert(g -> {
            int n = g.n, c = g.c, sp = g.linear ? 1 : g.spatial;
            Random r = new Random(g.seed);
            float[] y0 = Compare.random(r, n * c * sp), bias = Compare.random(r, c), db0 = Compare.random(r, c);
            float[] y = y0.clone(), db = db0.clone();
            scalar.biasAdd(y, bias, n, c, sp);
            scalar.biasGrad(y0, n, c, sp, db);
            float[] vy = y0.clone(), vdb = db0.clone();
            vector.biasAdd(vy, bias, n, c, sp);
            Compare.assertSame(vector.name() + " biasAdd", y, vy, y.length);
            vector.biasGrad(y0, n, c, sp, vdb);
            Compare.assertClose(vector.name() + " biasGrad", db, vdb, db.length, REL * (n * sp + 1), REL);
        });
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

    record LengthCase(int len, long seed) {
    }

    @Test
    void reluIsExact() {
        Gen<LengthCase> cases = in -> new LengthCase(awkwardSize().generate(in), seeds().generate(in));
        qt("reluIsExact", 60).forAll(cases).checkAssert(g -> {
            int len = g.len;
            Random r = new Random(g.seed);
            float[] x = tiesAndNaNs(r, len), dy = Compare.random(r, len), dx0 = tiesAndNaNs(r, len);
            float[] y = new float[len], dx = dx0.clone();
            scalar.reluForward(x, y, len);
            scalar.reluBackward(x, dy, dx, len);
            float[] vy = new float[len], vdx = dx0.clone();
            vector.reluForward(x, vy, len);
            vector.reluBackward(x, dy, vdx, len);
            Compare.assertSame(vector.name() + " reluForward", y, vy, len);
            Compare.assertSame(vector.name() + " reluBackward", dx, vdx, len);
        });
    }

    record PoolCase(int n, int c, int h, int w, int k, int stride, long seed) {
    }

    @Test
    void maxPoolIsExact() {
        Gen<PoolCase> cases = in -> new PoolCase(range(1, 3).generate(in), range(1, 3).generate(in),
                range(1, 13).generate(in), range(1, 13).generate(in), range(1, 3).generate(in),
                range(1, 3).generate(in), seeds().generate(in));
        qt("maxPoolIsExact", 60).forAll(cases.assuming(g -> g.h >= g.k && g.w >= g.k)).checkAssert(g -> {
            PoolShape s = new PoolShape(g.n, g.c, g.h, g.w, g.k, g.stride);
            Random r = new Random(g.seed);
            float[] x = tiesAndNaNs(r, s.inputSize()), dy = Compare.random(r, s.outputSize());
            float[] y = new float[s.outputSize()], dx0 = Compare.random(r, s.inputSize()), dx = dx0.clone();
            int[] argmax = new int[s.outputSize()];
            scalar.maxPoolForward(x, s, y, argmax);
            scalar.maxPoolBackward(dy, argmax, s, dx);
            float[] vy = new float[y.length], vdx = dx0.clone();
            int[] vargmax = new int[argmax.length];
            vector.maxPoolForward(x, s, vy, vargmax);
            Compare.assertSame(vector.name() + " maxPool y", y, vy, y.length);
            Compare.assertSame(vector.name() + " maxPool argmax", argmax, vargmax, argmax.length);
            vector.maxPoolBackward(dy, argmax, s, vdx);
            Compare.assertSame(vector.name() + " maxPool dx", dx, vdx, dx.length);
        });
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
            Kernels v = new VectorKernels(threads);
            float[] vy = new float[y.length], vdx = new float[dx.length];
            int[] vargmax = new int[argmax.length];
            v.maxPoolForward(x, s, vy, vargmax);
            v.maxPoolBackward(dy, vargmax, s, vdx);
            Compare.assertSame("maxPool y, threads " + threads, y, vy, y.length);
            Compare.assertSame("maxPool argmax, threads " + threads, argmax, vargmax, argmax.length);
            Compare.assertSame("maxPool dx, threads " + threads, dx, vdx, dx.length);
        }
    }

    /**
     * 2x2 windows with stride 2, the shapes of VectorPool's contiguous-load path (output rows narrower than a
     * vector, masked, and of one vector or more; odd widths and heights leave an unused edge): unfused and fused,
     * ties, NaN and -0, against the reference bit for bit.
     */
    @Test
    void pairwisePoolingIsExact() {
        Gen<PoolCase> cases = in -> new PoolCase(range(1, 3).generate(in), range(1, 4).generate(in),
                range(2, 9).generate(in), range(2, 70).generate(in), 2, 2,
                seeds().generate(in));
        qt("pairwisePoolingIsExact", 40).forAll(cases).checkAssert(g -> {
            PoolShape s = new PoolShape(g.n, g.c, g.h, g.w, 2, 2);
            assertTrue(VectorPool.isPairwise(s), s.toString());
            Random r = new Random(g.seed);
            float[] x = tiesAndNaNs(r, s.inputSize()), dy = Compare.random(r, s.outputSize());
            float[] y = new float[s.outputSize()], vy = new float[y.length];
            int[] argmax = new int[s.outputSize()], vargmax = new int[argmax.length];
            scalar.maxPoolForward(x, s, y, argmax);
            vector.maxPoolForward(x, s, vy, vargmax);
            Compare.assertSame(vector.name() + " maxPool y " + s, y, vy, y.length);
            Compare.assertSame(vector.name() + " maxPool argmax " + s, argmax, vargmax, argmax.length);
            float[] dx = new float[s.inputSize()], fdx = new float[dx.length];
            unfusedReluMaxPool(x, dy, s, y, argmax, dx);
            vector.reluMaxPoolForward(x, s, vy, vargmax);
            vector.reluMaxPoolBackward(dy, vargmax, x, s, fdx);
            Compare.assertSame(vector.name() + " reluMaxPool y " + s, y, vy, y.length);
            Compare.assertSame(vector.name() + " reluMaxPool argmax " + s, argmax, vargmax, argmax.length);
            Compare.assertSame(vector.name() + " reluMaxPool dx " + s, dx, fdx, dx.length);
            float[] assigned = tiesAndNaNs(r, dx.length);   // not accumulating: whatever dx held is overwritten
            vector.reluMaxPoolBackwardAssign(dy, vargmax, vy, s, assigned);
            Compare.assertSame(vector.name() + " reluMaxPool dx assigned " + s, dx, assigned, dx.length);
        });
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
    @Test
    void fusedReluMaxPoolIsExact() {
        Gen<PoolCase> cases = in -> new PoolCase(range(1, 3).generate(in), range(1, 3).generate(in),
                range(1, 37).generate(in), range(1, 37).generate(in), range(1, 3).generate(in),
                range(1, 3).generate(in), seeds().generate(in));
        qt("fusedReluMaxPoolIsExact", 80).forAll(cases.assuming(g -> g.h >= g.k && g.w >= g.k)).checkAssert(g -> {
            PoolShape s = new PoolShape(g.n, g.c, g.h, g.w, g.k, g.stride);
            Random r = new Random(g.seed);
            float[] x = tiesAndNaNs(r, s.inputSize()), dy = Compare.random(r, s.outputSize());
            float[] dx0 = tiesAndNaNs(r, s.inputSize());
            float[] y = new float[s.outputSize()], dx = dx0.clone(), intoZeros = new float[dx.length];
            int[] argmax = new int[s.outputSize()];
            unfusedReluMaxPool(x, dy, s, y, argmax, dx);
            unfusedReluMaxPool(x, dy, s, y, argmax, intoZeros);
            for (Kernels kernels : new Kernels[] {scalar, vector, new VectorKernels(2)}) {
                float[] fy = new float[y.length], fdx = dx0.clone(), assigned = tiesAndNaNs(r, dx.length);
                int[] fargmax = new int[argmax.length];
                kernels.reluMaxPoolForward(x, s, fy, fargmax);
                kernels.reluMaxPoolBackward(dy, fargmax, x, s, fdx);
                kernels.reluMaxPoolBackwardAssign(dy, fargmax, fy, s, assigned);
                String what = kernels.name() + " reluMaxPool " + s;
                Compare.assertSame(what + " y", y, fy, y.length);
                Compare.assertSame(what + " argmax", argmax, fargmax, argmax.length);
                Compare.assertSame(what + " dx", dx, fdx, dx.length);
                Compare.assertSame(what + " dx assigned", intoZeros, assigned, dx.length);
            }
        });
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
                Kernels v = new VectorKernels(threads);
                float[] vy = new float[y.length], vdx = new float[dx.length], assigned = new float[dx.length];
                java.util.Arrays.fill(assigned, Float.NaN);
                int[] vargmax = new int[argmax.length];
                v.reluMaxPoolForward(x, s, vy, vargmax);
                v.reluMaxPoolBackward(dy, vargmax, x, s, vdx);
                v.reluMaxPoolBackwardAssign(dy, vargmax, vy, s, assigned);
                String what = s + " threads " + threads;
                Compare.assertSame("reluMaxPool y, " + what, y, vy, y.length);
                Compare.assertSame("reluMaxPool argmax, " + what, argmax, vargmax, argmax.length);
                Compare.assertSame("reluMaxPool dx, " + what, dx, vdx, dx.length);
                Compare.assertSame("reluMaxPool dx assigned, " + what, dx, assigned, dx.length);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Loss and optimizer updates

    record LossCase(int n, int k, int logScale, long seed) {
    }

    @Test
    void crossEntropyMatchesScalar() {
        Gen<LossCase> cases = in -> new LossCase(range(1, 9).generate(in), awkwardSize().generate(in),
                range(0, 3).generate(in), seeds().generate(in));
        qt("crossEntropyMatchesScalar", 50).forAll(cases).checkAssert(g -> {
            int n = g.n, k = g.k;
            Random r = new Random(g.seed);
            float scale = (float) Math.pow(10, g.logScale);
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
            float[] vlogProbs = new float[n * k], vdlogits = dlogits0.clone();
            float vloss = vector.crossEntropyForward(logits, target, n, k, vlogProbs);
            assertEquals(loss, vloss, REL * Math.abs(loss) + ABS, vector.name() + " loss");
            Compare.assertClose(vector.name() + " logProbs", logProbs, vlogProbs, logProbs.length, ABS, REL);
            vector.crossEntropyBackward(vlogProbs, target, n, k, 1f / n, vdlogits);
            Compare.assertClose(vector.name() + " dlogits", dlogits, vdlogits, dlogits.length, ABS, REL);
        });
    }

    @Test
    void elementwiseUpdatesMatchScalar() {
        Gen<LengthCase> cases = in -> new LengthCase(awkwardSize().generate(in), seeds().generate(in));
        qt("elementwiseUpdatesMatchScalar", 60).forAll(cases).checkAssert(g -> {
            int len = g.len;
            Random r = new Random(g.seed);
            float alpha = 2 * r.nextFloat() - 1;
            float[] x = Compare.random(r, len), y0 = Compare.random(r, len);
            float[] axpy = y0.clone(), scaled = y0.clone(), scaleAdd = y0.clone();
            scalar.axpy(len, alpha, x, axpy);
            scalar.scale(len, alpha, scaled);
            scalar.scaleAdd(len, alpha, scaleAdd, x);
            double sumSq = scalar.sumOfSquares(len, x);
            float[] p0 = Compare.random(r, len), grad = Compare.random(r, len), m0 = Compare.random(r, len),
                    v0 = abs(Compare.random(r, len));
            float[] p = p0.clone(), m = m0.clone(), vv = v0.clone();
            scalar.adamUpdate(len, p, grad, m, vv, 1e-3f, 0.9f, 0.999f, 1e-8f, 0.271f, 0.00299f);
            float[] vaxpy = y0.clone(), vscaled = y0.clone(), vscaleAdd = y0.clone();
            vector.axpy(len, alpha, x, vaxpy);
            vector.scale(len, alpha, vscaled);
            vector.scaleAdd(len, alpha, vscaleAdd, x);
            // Same operations in the same order as the reference: exact.
            Compare.assertSame(vector.name() + " axpy", axpy, vaxpy, len);
            Compare.assertSame(vector.name() + " scale", scaled, vscaled, len);
            Compare.assertSame(vector.name() + " scaleAdd", scaleAdd, vscaleAdd, len);
            assertEquals(sumSq, vector.sumOfSquares(len, x), 1e-5 * sumSq + 1e-12, vector.name() + " sumOfSquares");
            float[] vp = p0.clone(), vm = m0.clone(), vvv = v0.clone();
            vector.adamUpdate(len, vp, grad, vm, vvv, 1e-3f, 0.9f, 0.999f, 1e-8f, 0.271f, 0.00299f);
            Compare.assertSame(vector.name() + " adam m", m, vm, len);
            Compare.assertSame(vector.name() + " adam v", vv, vvv, len);
            Compare.assertSame(vector.name() + " adam p", p, vp, len);
        });
    }

    /** fc1's weights and an odd length past them: split over 2 and 3 threads, the updates are the scalar ones. */
    @Test
    void longUpdatesSplitOverThreadsMatchScalar() {
        Random r = new Random(21);
        for (int len : new int[] {200_704, 65_536 + 4_096 * 3 + 5}) {
            float alpha = -0.0123f;
            float[] x = Compare.random(r, len), y0 = Compare.random(r, len);
            float[] p0 = Compare.random(r, len), grad = Compare.random(r, len), m0 = Compare.random(r, len),
                    v0 = abs(Compare.random(r, len));
            float[] axpy = y0.clone(), scaleAdd = y0.clone(), p = p0.clone(), m = m0.clone(), v = v0.clone();
            scalar.axpy(len, alpha, x, axpy);
            scalar.scaleAdd(len, alpha, scaleAdd, x);
            scalar.adamUpdate(len, p, grad, m, v, 1e-3f, 0.9f, 0.999f, 1e-8f, 0.271f, 0.00299f);
            for (int threads : new int[] {2, 3}) {
                Kernels k = new VectorKernels(threads);
                float[] vaxpy = y0.clone(), vscaleAdd = y0.clone(), vp = p0.clone(), vm = m0.clone(), vv = v0.clone();
                k.axpy(len, alpha, x, vaxpy);
                k.scaleAdd(len, alpha, vscaleAdd, x);
                k.adamUpdate(len, vp, grad, vm, vv, 1e-3f, 0.9f, 0.999f, 1e-8f, 0.271f, 0.00299f);
                String what = k.name() + " x " + threads + " threads, length " + len;
                Compare.assertSame(what + " axpy", axpy, vaxpy, len);
                Compare.assertSame(what + " scaleAdd", scaleAdd, vscaleAdd, len);
                Compare.assertSame(what + " adam p", p, vp, len);
                Compare.assertSame(what + " adam v", v, vv, len);
            }
        }
    }
}
