package jcnn.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import jcnn.kernels.TimedKernels.Category;
import jcnn.kernels.TimedKernels.Tally;
import org.junit.jupiter.api.Test;

/**
 * The timing decorator changes no result, books every call under its category exactly once, and is uniform: each
 * of its methods calls the same method of the wrapped kernels once, and nothing else.
 */
class TimedKernelsTest {

    private static final ConvShape CONV = new ConvShape(3, 2, 5, 6, 4, 3, 3, 1, 1);
    private static final PoolShape POOL = new PoolShape(2, 3, 4, 6, 2, 2);

    /** Calls every kernel once on the same pseudo-random inputs and returns every output, in a fixed order. */
    private static List<float[]> callEveryKernel(Kernels k) {
        SplittableRandom r = new SplittableRandom(7);
        List<float[]> out = new ArrayList<>();

        float[] a = random(r, 5 * 7), b = random(r, 7 * 3), c = random(r, 5 * 3);
        k.sgemm(false, false, 5, 3, 7, a, 0, 7, b, 0, 3, c, 0, 3, true);
        out.add(c);

        float[] x = random(r, CONV.n() * CONV.c() * CONV.h() * CONV.w());
        float[] w = random(r, CONV.o() * CONV.colRows());
        float[] bias = random(r, CONV.o());
        float[] col = new float[CONV.colRows() * CONV.colCols()];
        k.im2col(x, CONV.c() * CONV.h() * CONV.w(), CONV, col, 0);   // the second image: offsets matter
        out.add(col);
        float[] folded = new float[x.length];
        k.col2im(col, 0, CONV, folded, 0);
        out.add(folded);

        float[] y = new float[CONV.n() * CONV.o() * CONV.colCols()];
        k.conv2dForward(x, w, bias, y, CONV);
        out.add(y);
        float[] dx = new float[x.length], dw = new float[w.length], db = new float[bias.length];
        k.conv2dBackward(y, x, w, dx, dw, db, CONV);
        out.add(dx);
        out.add(dw);
        out.add(db);

        float[] biased = y.clone();
        k.biasAdd(biased, bias, CONV.n(), CONV.o(), CONV.colCols());
        out.add(biased);
        float[] dbias = new float[bias.length];
        k.biasGrad(y, CONV.n(), CONV.o(), CONV.colCols(), dbias);
        out.add(dbias);

        float[] relu = new float[y.length], drelu = new float[y.length];
        k.reluForward(y, relu, y.length);
        k.reluBackward(y, biased, drelu, y.length);
        out.add(relu);
        out.add(drelu);

        float[] px = random(r, POOL.n() * POOL.c() * POOL.h() * POOL.w());
        float[] py = new float[POOL.outputSize()], dpx = new float[px.length];
        int[] argmax = new int[POOL.outputSize()];
        k.maxPoolForward(px, POOL, py, argmax);
        k.maxPoolBackward(py, argmax, POOL, dpx);
        out.add(py);
        out.add(dpx);

        float[] fy = new float[POOL.outputSize()], dfx = new float[px.length], afx = new float[px.length];
        int[] fargmax = new int[POOL.outputSize()];
        k.reluMaxPoolForward(px, POOL, fy, fargmax);
        k.reluMaxPoolBackward(py, fargmax, px, POOL, dfx);
        k.reluMaxPoolBackwardAssign(py, fargmax, fy, POOL, afx);
        out.add(fy);
        out.add(dfx);
        out.add(afx);

        float[] apy = new float[POOL.outputSize()], dapx = new float[px.length];
        k.avgPoolForward(px, POOL, apy);
        k.avgPoolBackward(apy, POOL, dapx);
        out.add(apy);
        out.add(dapx);
        float[] gy = new float[POOL.n() * POOL.c()], dgx = new float[px.length];
        k.globalAvgPoolForward(px, POOL.n() * POOL.c(), POOL.h() * POOL.w(), gy);
        k.globalAvgPoolBackward(gy, POOL.n() * POOL.c(), POOL.h() * POOL.w(), dgx);
        out.add(gy);
        out.add(dgx);
        int bc = POOL.c(), bsp = POOL.h() * POOL.w();
        float[] mean = new float[bc], var = new float[bc], invStd = new float[bc];
        k.batchNormStatistics(px, POOL.n(), bc, bsp, mean, var);
        for (int ch = 0; ch < bc; ch++) {
            invStd[ch] = (float) (1 / Math.sqrt(var[ch] + 1e-5));
        }
        float[] gamma = random(r, bc), beta = random(r, bc), by = new float[px.length], bdx = new float[px.length];
        float[] dgamma = new float[bc], dbeta = new float[bc];
        k.batchNormForward(px, POOL.n(), bc, bsp, mean, invStd, gamma, beta, by);
        k.batchNormBackward(by, px, POOL.n(), bc, bsp, mean, invStd, gamma, true, bdx, dgamma, dbeta);
        out.add(mean);
        out.add(var);
        out.add(by);
        out.add(bdx);
        out.add(dgamma);
        out.add(dbeta);
        float[] mask = random(r, px.length), dropped = new float[px.length], ddrop = new float[px.length];
        k.dropoutForward(px, mask, dropped, px.length);
        k.dropoutBackward(dropped, mask, ddrop, px.length);
        out.add(dropped);
        out.add(ddrop);

        float[] logits = random(r, 4 * 5), logProbs = new float[logits.length], dlogits = new float[logits.length];
        int[] target = {0, 4, 2, 2};
        float loss = k.crossEntropyForward(logits, target, 4, 5, logProbs);
        k.crossEntropyBackward(logProbs, target, 4, 5, 0.25f, dlogits);
        out.add(new float[] {loss});
        out.add(logProbs);
        out.add(dlogits);

        float[] p = random(r, 9), g = random(r, 9), m = random(r, 9), v = new float[9];
        k.axpy(9, 0.5f, g, p);
        k.scale(9, 0.9f, m);
        k.scaleAdd(9, 0.8f, m, g);
        double norm = k.sumOfSquares(9, g);
        k.adamUpdate(9, p, g, m, v, 0.01f, 0.9f, 0.999f, 1e-8f, 0.1f, 0.001f);
        out.add(p);
        out.add(m);
        out.add(v);
        out.add(new float[] {(float) norm});
        return out;
    }

    private static float[] random(SplittableRandom r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextDouble(-1, 1);
        }
        return v;
    }

    private static long calls(Map<Category, Tally> tallies, Category c) {
        return tallies.get(c).calls();
    }

    @Test
    void everyResultIsBitForBitTheWrappedKernels() {
        List<float[]> expected = callEveryKernel(new ScalarKernels());
        List<float[]> actual = callEveryKernel(new TimedKernels(new ScalarKernels()));
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i), actual.get(i), "output #" + i);
        }
    }

    @Test
    void everyCallIsBookedOnceUnderItsCategory() {
        TimedKernels timed = new TimedKernels(new ScalarKernels());
        callEveryKernel(timed);
        TimedKernels.Breakdown b = timed.breakdown();
        Map<Category, Tally> top = b.topLevel();
        assertEquals(1, calls(top, Category.GEMM));
        assertEquals(2, calls(top, Category.IM2COL));        // im2col and col2im
        assertEquals(2, calls(top, Category.CONVOLUTION));   // forward and backward, each once as a whole
        assertEquals(2, calls(top, Category.BIAS));
        assertEquals(2, calls(top, Category.ACTIVATION));
        assertEquals(5, calls(top, Category.POOLING));   // max pooling, unfused and fused with the ReLU
        assertEquals(4, calls(top, Category.AVERAGE_POOLING));
        assertEquals(3, calls(top, Category.NORMALIZATION));
        assertEquals(2, calls(top, Category.DROPOUT));
        assertEquals(2, calls(top, Category.LOSS));
        assertEquals(5, calls(top, Category.OPTIMIZER));
        for (Category c : Category.values()) {
            assertTrue(top.get(c).nanos() >= 0, c.name());
        }
        assertEquals("scalar", b.kernels());
        assertTrue(b.totalSeconds() > 0);
    }

    @Test
    void aConvolutionIsBookedAsAWholeAndWhatItDoesInsideIsNotCountedAgain() {
        TimedKernels timed = new TimedKernels(new ScalarKernels());
        float[] x = new float[CONV.n() * CONV.c() * CONV.h() * CONV.w()];
        float[] w = new float[CONV.o() * CONV.colRows()];
        float[] y = new float[CONV.n() * CONV.o() * CONV.colCols()];
        timed.conv2dForward(x, w, new float[CONV.o()], y, CONV);
        timed.conv2dBackward(y, x, w, x.clone(), w.clone(), new float[CONV.o()], CONV);

        Map<Category, Tally> top = timed.breakdown().topLevel();
        assertEquals(2, calls(top, Category.CONVOLUTION));
        assertEquals(0, calls(top, Category.GEMM));
        assertEquals(0, calls(top, Category.IM2COL));
        assertEquals(0, calls(top, Category.BIAS));
    }

    @Test
    void everyMethodCallsTheSameMethodOfTheWrappedKernelsOnce() {
        List<String> called = new ArrayList<>();
        Kernels scalar = new ScalarKernels();
        Kernels recording = (Kernels) Proxy.newProxyInstance(Kernels.class.getClassLoader(),
                new Class<?>[] {Kernels.class}, (proxy, method, args) -> {
                    called.add(method.getName());
                    try {
                        return method.invoke(scalar, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        List<float[]> expected = callEveryKernel(scalar);
        List<float[]> actual = callEveryKernel(new TimedKernels(recording));
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i), actual.get(i), "output #" + i);
        }
        assertEquals(List.of("sgemm", "im2col", "col2im", "conv2dForward", "conv2dBackward", "biasAdd", "biasGrad",
                "reluForward", "reluBackward", "maxPoolForward", "maxPoolBackward", "reluMaxPoolForward",
                "reluMaxPoolBackward", "reluMaxPoolBackwardAssign", "avgPoolForward",
                "avgPoolBackward", "globalAvgPoolForward", "globalAvgPoolBackward", "batchNormStatistics",
                "batchNormForward", "batchNormBackward", "dropoutForward", "dropoutBackward", "crossEntropyForward",
                "crossEntropyBackward", "axpy", "scale", "scaleAdd", "sumOfSquares", "adamUpdate"), called);

        TimedKernels timed = new TimedKernels(recording);
        called.clear();
        assertEquals(scalar.name(), timed.name());
        assertEquals(0, timed.vectorBits());
        assertEquals(1, timed.threads());
        assertEquals(List.of("name", "vectorBits", "threads"), called);
    }

    @Test
    void resetStartsAgainFromZero() {
        TimedKernels timed = new TimedKernels(new ScalarKernels());
        callEveryKernel(timed);
        timed.reset();
        TimedKernels.Breakdown b = timed.breakdown();
        for (Category c : Category.values()) {
            assertEquals(new Tally(0, 0), b.topLevel().get(c), c.name());
        }
        assertEquals(0.0, b.totalSeconds());
    }
}
