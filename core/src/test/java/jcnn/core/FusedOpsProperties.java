package jcnn.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import jcnn.kernels.KernelProvider;
import jcnn.kernels.Kernels;
import jcnn.core.testing.PropertyCheck;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.SourceDSL;

/**
 * A fused op is an optimisation, never a different function: {@link Ops#reluMaxPool2d} gives the values and the
 * input gradient of {@code maxPool2d(relu(x))} bit for bit, on each kernel implementation, over awkward shapes
 * (batch 1, windows at the floored edge, overlapping and gapped windows) with ties, zeros, -0 and NaN in x.
 */
@SuppressWarnings("try")   // scopes are opened for their effect
class FusedOpsProperties {

    private static float[] tiesAndNaNs(Random r, int len) {
        float[] levels = {-1f, -0f, 0f, 0.5f, 1f, 2f};
        float[] x = new float[len];
        for (int i = 0; i < len; i++) {
            x[i] = r.nextInt(40) == 0 ? Float.NaN : levels[r.nextInt(levels.length)];
        }
        return x;
    }

    /** y and dL/dx for L = sum(y * r), computed fused or unfused on {@code kernels}. */
    private static float[][] run(Kernels kernels, boolean fused, float[] data, float[] r, int[] shape, int k,
                                 int stride) {
        try (Engine.Scope scope = Engine.using(kernels); BufferPool.Scope pool = new BufferPool().open()) {
            Tensor x = Tensor.of(data.clone(), shape).requiresGrad(true);
            Tensor y = fused ? Ops.reluMaxPool2d(x, k, stride) : Ops.maxPool2d(Ops.relu(x), k, stride);
            y.backward(Tensor.of(r, y.shape()));
            return new float[][] {y.data().clone(), x.grad().clone()};
        }
    }

    private static void assertBitsEqual(String what, float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length, what + " length");
        for (int i = 0; i < expected.length; i++) {
            int e = Float.floatToIntBits(expected[i]), a = Float.floatToIntBits(actual[i]);
            if (e != a) {
                throw new AssertionError(what + " differs at " + i + ": unfused " + expected[i] + ", fused " + actual[i]);
            }
        }
    }

    record Case(int n, int c, int h, int w, int k, int stride, long seed) {
    }

    @Test
    void fusedReluMaxPoolIsTheUnfusedPair() {
        Gen<Case> cases = in -> new Case(SourceDSL.integers().between(1, 3).generate(in),
                SourceDSL.integers().between(1, 3).generate(in), SourceDSL.integers().between(1, 31).generate(in),
                SourceDSL.integers().between(1, 31).generate(in), SourceDSL.integers().between(1, 3).generate(in),
                SourceDSL.integers().between(1, 3).generate(in), SourceDSL.longs().all().generate(in));
        PropertyCheck.forAll(80, cases.assuming(p -> p.h() >= p.k() && p.w() >= p.k()), p -> {
            Random rng = new Random(p.seed());
            int[] shape = {p.n(), p.c(), p.h(), p.w()};
            float[] data = tiesAndNaNs(rng, p.n() * p.c() * p.h() * p.w());
            float[] r = new float[p.n() * p.c() * ((p.h() - p.k()) / p.stride() + 1)
                    * ((p.w() - p.k()) / p.stride() + 1)];
            for (int i = 0; i < r.length; i++) {
                r[i] = (float) rng.nextGaussian();
            }
            for (Kernels kernels : new Kernels[] {KernelProvider.scalar(), KernelProvider.vector(-1, 2)}) {
                float[][] unfused = run(kernels, false, data, r, shape, p.k(), p.stride());
                float[][] fused = run(kernels, true, data, r, shape, p.k(), p.stride());
                assertBitsEqual(kernels.name() + " y", unfused[0], fused[0]);
                assertBitsEqual(kernels.name() + " dx", unfused[1], fused[1]);
            }
        });
    }

    /**
     * The fused pool assigns its input's gradient where it is that gradient's only producer
     * ({@link Tensor#gradToAssign}) and adds into it where another consumer wrote first: either way the leaf
     * receives the unfused pair's gradient bit for bit, also when the pooled buffer it is assigned into holds an
     * earlier pass's values (the second pass in the same pool).
     */
    @Test
    void aGradientWithOneProducerIsAssignedAndWithTwoIsAdded() {
        Random rng = new Random(5);
        int[] shape = {2, 3, 8, 10};
        float[] data = tiesAndNaNs(rng, 2 * 3 * 8 * 10), r = new float[2 * 3 * 4 * 5], r2 = new float[data.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = (float) rng.nextGaussian();
        }
        for (int i = 0; i < r2.length; i++) {
            r2[i] = (float) rng.nextGaussian();
        }
        for (Kernels kernels : new Kernels[] {KernelProvider.scalar(), KernelProvider.vector(-1, 2)}) {
            for (boolean twoConsumers : new boolean[] {false, true}) {
                BufferPool pool = new BufferPool();
                float[] unfused = leafGradient(kernels, pool, false, twoConsumers, data, shape, r, r2);
                for (int pass = 0; pass < 2; pass++) {
                    float[] fused = leafGradient(kernels, pool, true, twoConsumers, data, shape, r, r2);
                    assertBitsEqual(kernels.name() + (twoConsumers ? ", two consumers" : ", one consumer")
                            + ", pass " + pass + ": dx", unfused, fused);
                }
            }
        }
    }

    /** dL/d(leaf) for L = sum(pool(relu(x)) * r) [+ sum(relu(x) * r2)], x = reshape(leaf): an op's output. */
    private static float[] leafGradient(Kernels kernels, BufferPool pool, boolean fused, boolean twoConsumers,
                                        float[] data, int[] shape, float[] r, float[] r2) {
        try (Engine.Scope scope = Engine.using(kernels); BufferPool.Scope buffers = pool.open()) {
            Tensor leaf = Tensor.of(data.clone(), shape).requiresGrad(true);
            Tensor x = Ops.reshape(leaf, shape);
            Tensor y = fused ? Ops.reluMaxPool2d(x, 2, 2) : Ops.maxPool2d(Ops.relu(x), 2, 2);
            Tensor loss = Ops.sum(Ops.mul(y, Tensor.of(r.clone(), y.shape())));
            if (twoConsumers) {
                loss = Ops.add(loss, Ops.sum(Ops.mul(Ops.relu(x), Tensor.of(r2.clone(), shape))));
            }
            loss.backward();
            return leaf.grad().clone();
        }
    }

    @Test
    void reshapeSharesItsInputsValuesAndStillPassesTheGradientBack() {
        Tensor x = Tensor.randn(new Random(2), 2, 3, 4).requiresGrad(true);
        Tensor flat = Ops.flatten(x);
        assertEquals(true, flat.data() == x.data(), "flatten copies no values");
        float[] g = new float[24];
        for (int i = 0; i < g.length; i++) {
            g[i] = i;
        }
        flat.backward(Tensor.of(g, 2, 12));
        assertArrayEquals(g, x.grad());
    }
}
