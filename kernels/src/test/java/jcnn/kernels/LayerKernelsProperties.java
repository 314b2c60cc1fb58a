package jcnn.kernels;

import static jcnn.kernels.Theories.awkwardSize;
import static jcnn.kernels.Theories.bools;
import static jcnn.kernels.Theories.qt;
import static jcnn.kernels.Theories.range;
import static jcnn.kernels.Theories.seeds;

import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * The vector kernels of the deeper models' layers against the scalar reference at this JVM's width, over awkward
 * shapes (1, primes, planes shorter than a vector and tails): average pooling and dropout exactly (the same
 * arithmetic in the same order); batch normalisation's statistics and gradients, and global average pooling,
 * within 1e-5 of the scale of their sums (the vector sums run in lanes, the reference's in double); batch
 * normalisation's forward exactly given the same statistics. And: every result bit-identical for 1, 2 and 3
 * threads, on tensors large enough (over 64K elements) for the threads to be used.
 *
 * <p>Run once per vector width, like {@link VectorKernelsProperties} (kernels/pom.xml forks a JVM for each).
 */
@Tag(Theories.PER_WIDTH)
class LayerKernelsProperties {

    private static final double REL = 1e-5, ABS = 1e-6;

    private final Kernels scalar = new ScalarKernels();
    private final Kernels vector = new VectorKernels(1);

    record Pool(int n, int c, int h, int w, int k, int stride, long seed) {
        PoolShape shape() {
            return new PoolShape(n, c, h, w, k, stride);
        }
    }

    private static Gen<Pool> pools() {
        return in -> new Pool(range(1, 3).generate(in), range(1, 4).generate(in), awkwardSize().generate(in) % 40 + 1,
                awkwardSize().generate(in) % 40 + 1, range(1, 4).generate(in), range(1, 3).generate(in),
                seeds().generate(in));
    }

    private void checkAvgPool(Kernels v, Pool p) {
        PoolShape s = p.shape();
        Random r = new Random(p.seed());
        float[] x = Compare.random(r, s.inputSize()), dy = Compare.random(r, s.outputSize());
        float[] dx0 = Compare.random(r, s.inputSize());
        float[] y1 = new float[s.outputSize()], y2 = new float[s.outputSize()];
        float[] dx1 = dx0.clone(), dx2 = dx0.clone();
        scalar.avgPoolForward(x, s, y1);
        v.avgPoolForward(x, s, y2);
        Compare.assertSame(v.name() + " avgPoolForward " + p, y1, y2, y1.length);
        scalar.avgPoolBackward(dy, s, dx1);
        v.avgPoolBackward(dy, s, dx2);
        Compare.assertSame(v.name() + " avgPoolBackward " + p, dx1, dx2, dx1.length);
    }

    @Test
    void avgPoolIsExact() {
        qt("avgPoolIsExact", 200).forAll(pools().assuming(p -> p.h() >= p.k() && p.w() >= p.k()))
                .checkAssert(p -> checkAvgPool(vector, p));
    }

    /** The 2x2 stride-2 paths (even and odd sizes, rows shorter and longer than a vector), with threads. */
    @Test
    void pairwiseAvgPoolIsExactWithThreads() {
        Gen<Pool> cases = in -> new Pool(range(1, 9).generate(in), range(1, 17).generate(in),
                range(2, 70).generate(in), range(2, 70).generate(in), 2, 2, seeds().generate(in));
        qt("pairwiseAvgPoolIsExactWithThreads", 60).forAll(cases).checkAssert(p -> {
            checkAvgPool(vector, p);
            checkAvgPool(new VectorKernels(3), p);
        });
    }

    record Norm(int n, int c, int spatial, boolean batchStatistics, float offset, long seed) {
    }

    private static Gen<Norm> norms() {
        return in -> new Norm(range(1, 5).generate(in), range(1, 9).generate(in), awkwardSize().generate(in),
                bools().generate(in), range(-3, 3).generate(in).floatValue(), seeds().generate(in));
    }

    /** A scale for each element's error: the sum of the magnitudes that enter it. */
    private static float[] scaled(float[] values, double scale) {
        float[] b = new float[values.length];
        for (int i = 0; i < b.length; i++) {
            b[i] = (float) (Math.abs(values[i]) + scale);
        }
        return b;
    }

    private void checkBatchNorm(Kernels v, Norm p, boolean exactAcrossThreads, Kernels other) {
        int n = p.n(), c = p.c(), sp = p.spatial(), len = n * c * sp;
        Random r = new Random(p.seed());
        float[] x = Compare.random(r, len), dy = Compare.random(r, len), gamma = Compare.random(r, c),
                beta = Compare.random(r, c);
        for (int i = 0; i < len; i++) {
            x[i] += p.offset();
        }
        float[] mean1 = new float[c], var1 = new float[c], mean2 = new float[c], var2 = new float[c];
        scalar.batchNormStatistics(x, n, c, sp, mean1, var1);
        v.batchNormStatistics(x, n, c, sp, mean2, var2);
        Compare.assertCloseTo(v.name() + " mean " + p, mean1, mean2, scaled(mean1, 1 + Math.abs(p.offset())), c,
                ABS, REL);
        Compare.assertCloseTo(v.name() + " var " + p, var1, var2, scaled(var1, 1), c, ABS, REL);

        float[] invStd = new float[c];
        for (int ch = 0; ch < c; ch++) {
            invStd[ch] = (float) (1 / Math.sqrt(var1[ch] + 1e-5));
        }
        float[] y1 = new float[len], y2 = new float[len];
        scalar.batchNormForward(x, n, c, sp, mean1, invStd, gamma, beta, y1);
        v.batchNormForward(x, n, c, sp, mean1, invStd, gamma, beta, y2);
        Compare.assertSame(v.name() + " batchNormForward " + p, y1, y2, len);

        float[] dx0 = Compare.random(r, len), dg0 = Compare.random(r, c), db0 = Compare.random(r, c);
        float[] dx1 = dx0.clone(), dg1 = dg0.clone(), db1 = db0.clone();
        float[] dx2 = dx0.clone(), dg2 = dg0.clone(), db2 = db0.clone();
        scalar.batchNormBackward(dy, x, n, c, sp, mean1, invStd, gamma, p.batchStatistics(), dx1, dg1, db1);
        v.batchNormBackward(dy, x, n, c, sp, mean1, invStd, gamma, p.batchStatistics(), dx2, dg2, db2);
        double count = (double) n * sp;
        // dgamma and dbeta are sums of n*spatial terms of size ~1; dx takes those sums over N, times gamma*invStd.
        Compare.assertCloseTo(v.name() + " dgamma " + p, dg1, dg2, scaled(dg1, count), c, ABS, REL);
        Compare.assertCloseTo(v.name() + " dbeta " + p, db1, db2, scaled(db1, count), c, ABS, REL);
        float[] dxBound = new float[len];
        for (int i = 0; i < len; i++) {
            int ch = (i / sp) % c;
            dxBound[i] = (float) (Math.abs(dx1[i]) + 4 * Math.abs(gamma[ch] * invStd[ch]) + 1);
        }
        Compare.assertCloseTo(v.name() + " batchNorm dx " + p, dx1, dx2, dxBound, len, ABS, REL);

        if (exactAcrossThreads) {   // the same bits whatever the thread count
            float[] m3 = new float[c], v3 = new float[c], y3 = new float[len];
            float[] dx3 = dx0.clone(), dg3 = dg0.clone(), db3 = db0.clone();
            other.batchNormStatistics(x, n, c, sp, m3, v3);
            Compare.assertSame(other.name() + " threads mean " + p, mean2, m3, c);
            Compare.assertSame(other.name() + " threads var " + p, var2, v3, c);
            other.batchNormForward(x, n, c, sp, mean1, invStd, gamma, beta, y3);
            Compare.assertSame(other.name() + " threads forward " + p, y2, y3, len);
            other.batchNormBackward(dy, x, n, c, sp, mean1, invStd, gamma, p.batchStatistics(), dx3, dg3, db3);
            Compare.assertSame(other.name() + " threads dx " + p, dx2, dx3, len);
            Compare.assertSame(other.name() + " threads dgamma " + p, dg2, dg3, c);
            Compare.assertSame(other.name() + " threads dbeta " + p, db2, db3, c);
        }
    }

    @Test
    void batchNormMatchesScalar() {
        qt("batchNormMatchesScalar", 200).forAll(norms()).checkAssert(p -> checkBatchNorm(vector, p, false, null));
    }

    /** The seed's activation sizes at batch 64: over 64K elements, so 2 and 3 threads split the channels. */
    @Test
    void batchNormIsBitIdenticalForAnyThreadCount() {
        Gen<Norm> cases = in -> new Norm(range(16, 64).generate(in), range(3, 17).generate(in),
                range(49, 784).generate(in), bools().generate(in), 0f, seeds().generate(in));
        qt("batchNormIsBitIdenticalForAnyThreadCount", 10).forAll(cases).checkAssert(p -> {
            checkBatchNorm(vector, p, true, new VectorKernels(2));
            checkBatchNorm(vector, p, true, new VectorKernels(3));
        });
    }

    record Planes(int planes, int spatial, long seed) {
    }

    private void checkGlobalAvgPool(Kernels v, Planes p, Kernels other) {
        Random r = new Random(p.seed());
        int len = p.planes() * p.spatial();
        float[] x = Compare.random(r, len), dy = Compare.random(r, p.planes()), dx0 = Compare.random(r, len);
        float[] y1 = new float[p.planes()], y2 = new float[p.planes()];
        scalar.globalAvgPoolForward(x, p.planes(), p.spatial(), y1);
        v.globalAvgPoolForward(x, p.planes(), p.spatial(), y2);
        Compare.assertCloseTo(v.name() + " globalAvgPoolForward " + p, y1, y2, scaled(y1, 1), p.planes(), ABS, REL);
        float[] dx1 = dx0.clone(), dx2 = dx0.clone();
        scalar.globalAvgPoolBackward(dy, p.planes(), p.spatial(), dx1);
        v.globalAvgPoolBackward(dy, p.planes(), p.spatial(), dx2);
        Compare.assertSame(v.name() + " globalAvgPoolBackward " + p, dx1, dx2, len);
        if (other != null) {
            float[] y3 = new float[p.planes()], dx3 = dx0.clone();
            other.globalAvgPoolForward(x, p.planes(), p.spatial(), y3);
            other.globalAvgPoolBackward(dy, p.planes(), p.spatial(), dx3);
            Compare.assertSame(other.name() + " threads globalAvgPoolForward " + p, y2, y3, p.planes());
            Compare.assertSame(other.name() + " threads globalAvgPoolBackward " + p, dx2, dx3, len);
        }
    }

    @Test
    void globalAvgPoolMatchesScalar() {
        Gen<Planes> cases = in -> new Planes(awkwardSize().generate(in), awkwardSize().generate(in),
                seeds().generate(in));
        qt("globalAvgPoolMatchesScalar", 200).forAll(cases).checkAssert(p -> checkGlobalAvgPool(vector, p, null));
    }

    @Test
    void globalAvgPoolIsBitIdenticalForAnyThreadCount() {
        Gen<Planes> cases = in -> new Planes(range(1000, 4096).generate(in), range(49, 100).generate(in),
                seeds().generate(in));
        qt("globalAvgPoolIsBitIdenticalForAnyThreadCount", 10).forAll(cases)
                .checkAssert(p -> checkGlobalAvgPool(vector, p, new VectorKernels(3)));
    }

    record Drop(int len, long seed) {
    }

    @Test
    void dropoutIsExact() {
        Gen<Drop> cases = in -> new Drop(awkwardSize().generate(in), seeds().generate(in));
        qt("dropoutIsExact", 200).forAll(cases).checkAssert(p -> {
            Random r = new Random(p.seed());
            float[] x = Compare.random(r, p.len()), dy = Compare.random(r, p.len()), dx0 = Compare.random(r, p.len());
            float[] mask = new float[p.len()];
            for (int i = 0; i < mask.length; i++) {
                mask[i] = r.nextBoolean() ? 0f : 1f / 0.7f;
            }
            float[] y1 = new float[p.len()], y2 = new float[p.len()], dx1 = dx0.clone(), dx2 = dx0.clone();
            scalar.dropoutForward(x, mask, y1, p.len());
            vector.dropoutForward(x, mask, y2, p.len());
            Compare.assertSame("dropoutForward " + p, y1, y2, p.len());
            scalar.dropoutBackward(dy, mask, dx1, p.len());
            vector.dropoutBackward(dy, mask, dx2, p.len());
            Compare.assertSame("dropoutBackward " + p, dx1, dx2, p.len());
        });
    }
}
