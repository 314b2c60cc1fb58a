package jcnn.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import static jcnn.kernels.Theories.bools;
import static jcnn.kernels.Theories.qt;
import static jcnn.kernels.Theories.range;
import static jcnn.kernels.Theories.seeds;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/** The reference kernels against definitions simpler still: a naive triple loop, the adjoint identity, examples. */
class ScalarKernelsTest {

    private final Kernels k = new ScalarKernels();

    /**
     * C (+)= op(A) op(B) by the definition, summing in double in the same order (p ascending) and rounding once,
     * as the reference does, so the match is exact.
     */
    static void naiveGemm(boolean transA, boolean transB, int m, int n, int kk, float[] a, int aOff, int lda,
                          float[] b, int bOff, int ldb, float[] c, int cOff, int ldc, boolean accumulate) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = accumulate ? c[cOff + i * ldc + j] : 0;
                for (int p = 0; p < kk; p++) {
                    double av = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                    double bv = transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
                    sum += av * bv;
                }
                c[cOff + i * ldc + j] = (float) sum;
            }
        }
    }

    record GemmCase(int m, int n, int k, boolean transA, boolean transB, boolean accumulate, int pad, long seed) {
    }

    @Test
    void sgemmIsTheTripleLoop() {
        Gen<GemmCase> cases = in -> new GemmCase(range(1, 23).generate(in), range(1, 23).generate(in),
                range(1, 23).generate(in), bools().generate(in), bools().generate(in), bools().generate(in),
                range(0, 5).generate(in), seeds().generate(in));
        qt("sgemmIsTheTripleLoop", 100).forAll(cases).checkAssert(g -> {
            int m = g.m, n = g.n, kk = g.k, pad = g.pad;
            boolean transA = g.transA, transB = g.transB;
            Random r = new Random(g.seed);
            int aOff = r.nextInt(4), bOff = r.nextInt(4), cOff = r.nextInt(4);
            int lda = (transA ? m : kk) + pad, ldb = (transB ? kk : n) + pad, ldc = n + pad;
            float[] a = Compare.random(r, aOff + (transA ? kk : m) * lda);
            float[] b = Compare.random(r, bOff + (transB ? n : kk) * ldb);
            float[] c = Compare.random(r, cOff + m * ldc);
            float[] expected = c.clone();
            naiveGemm(transA, transB, m, n, kk, a, aOff, lda, b, bOff, ldb, expected, cOff, ldc, g.accumulate);
            k.sgemm(transA, transB, m, n, kk, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, g.accumulate);
            // Exact: same products, same order. Also checks the padding between rows is left alone.
            Compare.assertSame("sgemm", expected, c, c.length);
        });
    }

    record ColumnsCase(int c, int h, int w, int kh, int kw, int stride, int pad, long seed) {
    }

    @Test
    void col2imIsTheAdjointOfIm2col() {
        Gen<ColumnsCase> cases = in -> new ColumnsCase(range(1, 3).generate(in), range(1, 13).generate(in),
                range(1, 13).generate(in), range(1, 5).generate(in), range(1, 5).generate(in),
                range(1, 3).generate(in), range(0, 2).generate(in), seeds().generate(in));
        qt("col2imIsTheAdjointOfIm2col", 100)
                .forAll(cases.assuming(g -> g.h + 2 * g.pad >= g.kh && g.w + 2 * g.pad >= g.kw))
                .checkAssert(g -> {
                    ConvShape s = new ConvShape(1, g.c, g.h, g.w, 1, g.kh, g.kw, g.stride, g.pad);
                    Random r = new Random(g.seed);
                    float[] x = Compare.random(r, g.c * g.h * g.w);
                    float[] y = Compare.random(r, s.colRows() * s.colCols());
                    float[] col = new float[y.length];
                    float[] dx = new float[x.length];
                    k.im2col(x, 0, s, col, 0);
                    k.col2im(y, 0, s, dx, 0);
                    double left = 0, right = 0, scale = 0;
                    for (int i = 0; i < y.length; i++) {
                        left += (double) col[i] * y[i];
                        scale += Math.abs((double) col[i] * y[i]);
                    }
                    for (int i = 0; i < x.length; i++) {
                        right += (double) x[i] * dx[i];
                    }
                    // col2im sums overlapping windows in float, hence the small tolerance.
                    assertEquals(left, right, 1e-5 * scale + 1e-9, () -> "<im2col(x), y> != <x, col2im(y)> for " + s);
                });
    }

    @Test
    void im2colPutsZerosInThePadding() {
        ConvShape s = new ConvShape(1, 1, 2, 2, 1, 3, 3, 1, 1);
        float[] col = new float[s.colRows() * s.colCols()];
        k.im2col(new float[] {1, 2, 3, 4}, 0, s, col, 0);
        // The centre tap (row 4) sees the image itself; the top-left tap (row 0) only sees x[0] at output (1,1).
        assertEquals(1f, col[4 * 4]);
        assertEquals(4f, col[4 * 4 + 3]);
        assertEquals(0f, col[0]);
        assertEquals(1f, col[3]);
    }

    @Test
    void maxPoolKeepsTheFirstMaximumAndPropagatesNaN() {
        PoolShape s = new PoolShape(1, 1, 2, 4, 2, 2);
        float[] x = {5, 5, 1, Float.NaN,
                     5, 5, Float.NaN, 7};
        float[] y = new float[2];
        int[] argmax = new int[2];
        k.maxPoolForward(x, s, y, argmax);
        assertEquals(5f, y[0]);
        assertEquals(0, argmax[0], "a tie goes to the first maximum in row-major order");
        assertTrue(Float.isNaN(y[1]));
        assertEquals(3, argmax[1], "the first NaN wins and stays");
        float[] dx = new float[8];
        k.maxPoolBackward(new float[] {1, 2}, argmax, s, dx);
        assertEquals(1f, dx[0]);
        assertEquals(2f, dx[3]);
    }

    @Test
    void crossEntropyIsStableForHugeLogits() {
        int n = 3, classes = 4;
        float[] logits = {1000, -1000, 500, 999, -1000, -1000, -1000, -1000, 0, 1000, 0, 0};
        int[] target = {0, 2, 3};
        float[] logProbs = new float[n * classes];
        float loss = k.crossEntropyForward(logits, target, n, classes, logProbs);
        assertTrue(Float.isFinite(loss), "loss " + loss);
        // Row 0: log(1 + e^-1) for the target; row 1: uniform, log 4; row 2: about 1000.
        double expected = (Math.log1p(Math.exp(-1)) + Math.log(4) + 1000 + Math.log1p(2 * Math.exp(-1000))) / 3;
        assertEquals(expected, loss, 1e-4);
        for (int i = 0; i < n; i++) {
            double total = 0;
            for (int j = 0; j < classes; j++) {
                assertTrue(logProbs[i * classes + j] <= 0f);
                total += Math.exp(logProbs[i * classes + j]);
            }
            // A float near 1000 is only good to 6e-5, and logSumExp is such a float.
            assertEquals(1.0, total, 1e-4, "softmax row " + i + " sums to 1");
        }
        float[] dlogits = new float[n * classes];
        k.crossEntropyBackward(logProbs, target, n, classes, 1f / n, dlogits);
        for (int i = 0; i < n; i++) {
            double rowSum = 0;
            for (int j = 0; j < classes; j++) {
                assertTrue(Float.isFinite(dlogits[i * classes + j]));
                rowSum += dlogits[i * classes + j];
            }
            assertEquals(0.0, rowSum, 1e-4, "each gradient row sums to 0");
        }
    }

    @Test
    void backwardKernelsAccumulate() {
        float[] x = {1, -1, 2}, dy = {1, 1, 1}, dx = {10, 10, 10};
        k.reluBackward(x, dy, dx, 3);
        assertEquals(11f, dx[0]);
        assertEquals(10f, dx[1]);
        float[] dbias = {100};
        k.biasGrad(new float[] {1, 2, 3, 4}, 2, 1, 2, dbias);
        assertEquals(110f, dbias[0]);
    }
}
