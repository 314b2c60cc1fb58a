package jcnn.core;

import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import jcnn.core.testing.PropertyCheck;
import jcnn.kernels.KernelProvider;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * Every op's gradient, and that of a small CNN made of them, against float64 finite differences
 * ({@link GradCheck}) over random shapes: sizes 1, 2 and odd primes, strides 1-2, paddings 0-2, with and
 * without bias. The inputs are scaled as a network's would be (weights ~ 1/sqrt(fan-in)), so values stay of
 * order 1, where GradCheck's step and tolerance are meant to work.
 */
@SuppressWarnings("try")   // scopes are opened for their effect, not referenced
class GradCheckProperties {

    /** Sizes 1, 2 and odd primes; a failing case shrinks towards 1. */
    private static Gen<Integer> sizes() {
        return Generate.pick(List.of(1, 2, 3, 5, 7));
    }

    private static Gen<Integer> between(int min, int max) {
        return integers().between(min, max);
    }

    private static Tensor param(Random rng, double scale, int... shape) {
        Tensor t = Tensor.randn(rng, shape);
        for (int i = 0; i < t.size(); i++) {
            t.data()[i] *= (float) scale;
        }
        return t.requiresGrad(true);
    }

    record Conv(int n, int c, int h, int w, int o, int k, int stride, int pad, boolean withBias, long seed) {
    }

    @Test
    void conv2d() {
        Gen<Conv> cases = in -> new Conv(between(1, 2).generate(in), between(1, 3).generate(in),
                sizes().generate(in), sizes().generate(in), between(1, 3).generate(in), between(1, 3).generate(in),
                between(1, 2).generate(in), between(0, 2).generate(in), booleans().all().generate(in),
                longs().all().generate(in));
        PropertyCheck.forAll(200, cases.assuming(p -> p.h() + 2 * p.pad() >= p.k() && p.w() + 2 * p.pad() >= p.k()),
                p -> {
                    Random rng = new Random(p.seed());
                    Tensor x = param(rng, 1, p.n(), p.c(), p.h(), p.w());
                    Tensor weight = param(rng, 1 / Math.sqrt(p.c() * p.k() * p.k()), p.o(), p.c(), p.k(), p.k());
                    Tensor bias = param(rng, 0.5, p.o());
                    GradCheck.check(in -> Ops.conv2d(in[0], in[1], p.withBias() ? in[2] : null, p.stride(), p.pad()),
                            x, weight, bias);
                });
    }

    record Pool(int n, int c, int h, int w, int k, int stride, long seed) {
    }

    /**
     * Distinct values 0.1 apart, centred on 0 and shuffled: no two elements of a window come within 2 eps of each
     * other, so no finite-difference step crosses a tie.
     */
    private static Tensor spreadOut(long seed, int... shape) {
        int size = 1;
        for (int d : shape) {
            size *= d;
        }
        List<Float> values = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            values.add(0.1f * (i - size / 2));
        }
        Collections.shuffle(values, new Random(seed));
        float[] data = new float[size];
        for (int i = 0; i < size; i++) {
            data[i] = values.get(i);
        }
        return Tensor.of(data, shape).requiresGrad(true);
    }

    @Test
    void maxPool2d() {
        Gen<Pool> cases = in -> new Pool(between(1, 2).generate(in), between(1, 2).generate(in),
                sizes().generate(in), sizes().generate(in), between(1, 3).generate(in), between(1, 3).generate(in),
                longs().all().generate(in));
        PropertyCheck.forAll(200, cases.assuming(p -> p.h() >= p.k() && p.w() >= p.k()), p -> {
            Tensor x = spreadOut(p.seed(), p.n(), p.c(), p.h(), p.w());
            GradCheck.check(in -> Ops.maxPool2d(in[0], p.k(), p.stride()), x);
        });
    }

    record FusedPool(int n, int c, int h, int w, int k, int stride, boolean vector, long seed) {
    }

    /**
     * The fused ReLU + max pooling on both kernel implementations. The same spread-out values as above, half of
     * them negative: whole windows below 0 (gradient 0), windows with one positive maximum, and the ReLU's kink
     * at the one value that is exactly 0 (GradCheck's one-sided differences recognise it).
     */
    @Test
    void reluMaxPool2d() {
        Gen<FusedPool> cases = in -> new FusedPool(between(1, 2).generate(in), between(1, 2).generate(in),
                sizes().generate(in), sizes().generate(in), between(1, 3).generate(in), between(1, 3).generate(in),
                booleans().all().generate(in), longs().all().generate(in));
        PropertyCheck.forAll(150, cases.assuming(p -> p.h() >= p.k() && p.w() >= p.k()), p -> {
            Tensor x = spreadOut(p.seed(), p.n(), p.c(), p.h(), p.w());
            GradCheck checker = p.vector() ? GradCheck.defaults().withKernels(KernelProvider.vector(-1, 2))
                    : GradCheck.defaults();
            checker.run(in -> Ops.reluMaxPool2d(in[0], p.k(), p.stride()), x).assertOk();
        });
    }

    record Linear(int n, int in, int out, boolean withBias, long seed) {
    }

    @Test
    void linear() {
        Gen<Linear> cases = sizes().zip(sizes(), sizes(), booleans().all(), longs().all(), Linear::new);
        PropertyCheck.forAll(100, cases, p -> {
            Random rng = new Random(p.seed());
            Tensor x = param(rng, 1, p.n(), p.in());
            Tensor weight = param(rng, 1 / Math.sqrt(p.in()), p.out(), p.in());
            Tensor bias = param(rng, 0.5, p.out());
            GradCheck.check(a -> Ops.linear(a[0], a[1], p.withBias() ? a[2] : null), x, weight, bias);
        });
    }

    record Plane(int a, int b, long seed) {
    }

    private static Gen<Plane> planes() {
        return sizes().zip(sizes(), longs().all(), Plane::new);
    }

    @Test
    void relu() {
        PropertyCheck.forAll(50, planes(),
                p -> GradCheck.check(in -> Ops.relu(in[0]), param(new Random(p.seed()), 1, p.a(), p.b())));
    }

    record Logits(int n, int classes, int scale, long seed) {
    }

    @Test
    void crossEntropyAndLogSoftmax() {
        Gen<Logits> cases = between(1, 5).zip(between(1, 7), between(1, 4), longs().all(), Logits::new);
        PropertyCheck.forAll(100, cases, p -> {
            Random rng = new Random(p.seed());
            Tensor logits = param(rng, p.scale(), p.n(), p.classes());
            int[] target = rng.ints(p.n(), 0, p.classes()).toArray();
            GradCheck.check(in -> Ops.crossEntropy(in[0], target), logits);
            GradCheck.check(in -> Ops.logSoftmax(in[0]), logits);
        });
    }

    @Test
    void elementwiseAndShapes() {
        PropertyCheck.forAll(50, planes(), p -> {
            Random rng = new Random(p.seed());
            Tensor x = param(rng, 1, p.a(), 1, p.b());
            Tensor y = param(rng, 1, p.a(), 1, p.b());
            GradCheck.check(in -> Ops.add(in[0], in[1]), x, y);
            GradCheck.check(in -> Ops.mul(in[0], in[1]), x, y);
            GradCheck.check(in -> Ops.sum(in[0]), x);
            GradCheck.check(in -> Ops.flatten(in[0]), x);
            GradCheck.check(in -> Ops.reshape(in[0], p.b(), -1), x);
        });
    }

    /** One small-CNN case; its tensors and targets are drawn from its seed, always in the same order. */
    record Cnn(int n, int c, int h, int w, int o, int k, int pad, int classes, long seed) {

        /** The finite-difference step; see {@link #smallCnn}. */
        static final double EPS = 1e-3;

        /** x, conv weight, conv bias, fc weight, fc bias, then the targets. */
        record Inputs(Tensor[] tensors, int[] target) {
        }

        Inputs inputs() {
            Random rng = new Random(seed);
            int oh = h + 2 * pad - k + 1, ow = w + 2 * pad - k + 1;
            int features = o * (oh / 2) * (ow / 2);
            Tensor x = param(rng, 1, n, c, h, w);
            Tensor convW = param(rng, 1 / Math.sqrt(c * k * k), o, c, k, k);
            Tensor convB = param(rng, 0.5, o);
            Tensor fcW = param(rng, 1 / Math.sqrt(features), classes, features);
            Tensor fcB = param(rng, 0.5, classes);
            int[] target = rng.ints(n, 0, classes).toArray();
            return new Inputs(new Tensor[] {x, convW, convB, fcW, fcB}, target);
        }

        boolean provablyAwayFromKinks() {
            Tensor[] t = inputs().tensors();
            double reach = 1.5 * EPS * Math.max(1, Math.max(maxAbs(t[0]), maxAbs(t[1])));
            return awayFromKinks(t[0], t[1], t[2], pad, reach);
        }
    }

    /**
     * conv -> relu -> pool -> flatten -> linear -> cross_entropy: the seed model in miniature.
     *
     * <p>One conv weight moves every pre-activation of its channel, so with the default step some ReLU or
     * pool-window kink is almost always within reach. The property therefore uses a smaller step (the output is
     * a mean loss of size ~1, so float32 noise stays ~1e-7 / 2e-3) and keeps only the samples that are provably
     * away from kinks: moving one element by eps moves a pre-activation by at most eps * M, where M bounds
     * |x|, |weight| and 1 (for the bias), so every pre-activation must be farther than that from 0, and every
     * positive window maximum farther than twice that from its runner-up.
     */
    @Test
    void smallCnn() {
        Gen<Cnn> cases = in -> new Cnn(between(1, 2).generate(in), between(1, 2).generate(in),
                between(4, 7).generate(in), between(4, 7).generate(in), between(1, 3).generate(in),
                between(1, 3).generate(in), between(0, 1).generate(in), between(2, 4).generate(in),
                longs().all().generate(in));
        PropertyCheck.forAll(100, cases.assuming(Cnn::provablyAwayFromKinks), p -> {
            Cnn.Inputs inputs = p.inputs();
            int[] target = inputs.target();
            int pad = p.pad();
            GradCheck.defaults().withEpsilon(Cnn.EPS).run(in -> {
                Tensor hidden = Ops.maxPool2d(Ops.relu(Ops.conv2d(in[0], in[1], in[2], 1, pad)), 2, 2);
                return Ops.crossEntropy(Ops.linear(Ops.flatten(hidden), in[3], in[4]), target);
            }, inputs.tensors()).assertOk();
        });
    }

    private static double maxAbs(Tensor t) {
        double m = 0;
        for (float v : t.data()) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    /** No pre-activation within {@code reach} of 0, no positive 2x2 window maximum within 2 reach of its runner-up. */
    private static boolean awayFromKinks(Tensor x, Tensor weight, Tensor bias, int pad, double reach) {
        Tensor pre;
        try (NoGrad noGrad = NoGrad.enter(); Engine.Scope scalar = Engine.using(KernelProvider.scalar())) {
            pre = Ops.conv2d(x, weight, bias, 1, pad);
        }
        for (float v : pre.data()) {
            if (Math.abs(v) <= reach) {
                return false;
            }
        }
        int planes = pre.dim(0) * pre.dim(1), ph = pre.dim(2), pw = pre.dim(3);
        for (int p = 0; p < planes; p++) {
            for (int i = 0; i + 1 < ph; i += 2) {
                for (int j = 0; j + 1 < pw; j += 2) {
                    float[] window = new float[4];
                    for (int d = 0; d < 4; d++) {
                        window[d] = Math.max(0f, pre.data()[(p * ph + i + d / 2) * pw + j + d % 2]);
                    }
                    java.util.Arrays.sort(window);
                    if (window[3] > 0 && window[3] - window[2] <= 2 * reach) {
                        return false;
                    }
                }
            }
        }
        return true;
    }
}
