package jcnn.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import jcnn.kernels.KernelProvider;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Every op's gradient, and that of a small CNN made of them, against float64 finite differences
 * ({@link GradCheck}) over random shapes: sizes 1, 2 and odd primes, strides 1-2, paddings 0-2, with and
 * without bias. The inputs are scaled as a network's would be (weights ~ 1/sqrt(fan-in)), so values stay of
 * order 1, where GradCheck's step and tolerance are meant to work.
 */
@SuppressWarnings("try")   // scopes are opened for their effect, not referenced
class GradCheckProperties {

    @Provide
    Arbitrary<Integer> sizes() {
        return Arbitraries.of(1, 2, 3, 5, 7);
    }

    private static Tensor param(Random rng, double scale, int... shape) {
        Tensor t = Tensor.randn(rng, shape);
        for (int i = 0; i < t.size(); i++) {
            t.data()[i] *= (float) scale;
        }
        return t.requiresGrad(true);
    }

    @Property(tries = 200)
    void conv2d(@ForAll @IntRange(min = 1, max = 2) int n, @ForAll @IntRange(min = 1, max = 3) int c,
                @ForAll("sizes") int h, @ForAll("sizes") int w, @ForAll @IntRange(min = 1, max = 3) int o,
                @ForAll @IntRange(min = 1, max = 3) int k, @ForAll @IntRange(min = 1, max = 2) int stride,
                @ForAll @IntRange(min = 0, max = 2) int pad, @ForAll boolean withBias, @ForAll long seed) {
        Assume.that(h + 2 * pad >= k && w + 2 * pad >= k);
        Random rng = new Random(seed);
        Tensor x = param(rng, 1, n, c, h, w);
        Tensor weight = param(rng, 1 / Math.sqrt(c * k * k), o, c, k, k);
        Tensor bias = param(rng, 0.5, o);
        GradCheck.check(in -> Ops.conv2d(in[0], in[1], withBias ? in[2] : null, stride, pad), x, weight, bias);
    }

    @Property(tries = 200)
    void maxPool2d(@ForAll @IntRange(min = 1, max = 2) int n, @ForAll @IntRange(min = 1, max = 2) int c,
                   @ForAll("sizes") int h, @ForAll("sizes") int w, @ForAll @IntRange(min = 1, max = 3) int k,
                   @ForAll @IntRange(min = 1, max = 3) int stride, @ForAll long seed) {
        Assume.that(h >= k && w >= k);
        // Distinct values 0.1 apart, shuffled: no two elements of a window come within 2 eps of each other,
        // so no finite-difference step crosses a tie.
        int size = n * c * h * w;
        List<Float> values = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            values.add(0.1f * (i - size / 2));
        }
        Collections.shuffle(values, new Random(seed));
        float[] data = new float[size];
        for (int i = 0; i < size; i++) {
            data[i] = values.get(i);
        }
        Tensor x = Tensor.of(data, n, c, h, w).requiresGrad(true);
        GradCheck.check(in -> Ops.maxPool2d(in[0], k, stride), x);
    }

    /**
     * The fused ReLU + max pooling on both kernel implementations. The same spread-out values as above, half of
     * them negative: whole windows below 0 (gradient 0), windows with one positive maximum, and the ReLU's kink
     * at the one value that is exactly 0 (GradCheck's one-sided differences recognise it).
     */
    @Property(tries = 150)
    void reluMaxPool2d(@ForAll @IntRange(min = 1, max = 2) int n, @ForAll @IntRange(min = 1, max = 2) int c,
                       @ForAll("sizes") int h, @ForAll("sizes") int w, @ForAll @IntRange(min = 1, max = 3) int k,
                       @ForAll @IntRange(min = 1, max = 3) int stride, @ForAll boolean vector, @ForAll long seed) {
        Assume.that(h >= k && w >= k);
        int size = n * c * h * w;
        List<Float> values = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            values.add(0.1f * (i - size / 2));
        }
        Collections.shuffle(values, new Random(seed));
        float[] data = new float[size];
        for (int i = 0; i < size; i++) {
            data[i] = values.get(i);
        }
        Tensor x = Tensor.of(data, n, c, h, w).requiresGrad(true);
        GradCheck checker = vector ? GradCheck.defaults().withKernels(KernelProvider.vector(-1, 2)) : GradCheck.defaults();
        checker.run(in -> Ops.reluMaxPool2d(in[0], k, stride), x).assertOk();
    }

    @Property(tries = 100)
    void linear(@ForAll("sizes") int n, @ForAll("sizes") int in, @ForAll("sizes") int out,
                @ForAll boolean withBias, @ForAll long seed) {
        Random rng = new Random(seed);
        Tensor x = param(rng, 1, n, in);
        Tensor weight = param(rng, 1 / Math.sqrt(in), out, in);
        Tensor bias = param(rng, 0.5, out);
        GradCheck.check(a -> Ops.linear(a[0], a[1], withBias ? a[2] : null), x, weight, bias);
    }

    @Property(tries = 50)
    void relu(@ForAll("sizes") int a, @ForAll("sizes") int b, @ForAll long seed) {
        GradCheck.check(in -> Ops.relu(in[0]), param(new Random(seed), 1, a, b));
    }

    @Property(tries = 100)
    void crossEntropyAndLogSoftmax(@ForAll @IntRange(min = 1, max = 5) int n,
                                   @ForAll @IntRange(min = 1, max = 7) int classes,
                                   @ForAll @IntRange(min = 1, max = 4) int scale, @ForAll long seed) {
        Random rng = new Random(seed);
        Tensor logits = param(rng, scale, n, classes);
        int[] target = rng.ints(n, 0, classes).toArray();
        GradCheck.check(in -> Ops.crossEntropy(in[0], target), logits);
        GradCheck.check(in -> Ops.logSoftmax(in[0]), logits);
    }

    @Property(tries = 50)
    void elementwiseAndShapes(@ForAll("sizes") int a, @ForAll("sizes") int b, @ForAll long seed) {
        Random rng = new Random(seed);
        Tensor x = param(rng, 1, a, 1, b);
        Tensor y = param(rng, 1, a, 1, b);
        GradCheck.check(in -> Ops.add(in[0], in[1]), x, y);
        GradCheck.check(in -> Ops.mul(in[0], in[1]), x, y);
        GradCheck.check(in -> Ops.sum(in[0]), x);
        GradCheck.check(in -> Ops.flatten(in[0]), x);
        GradCheck.check(in -> Ops.reshape(in[0], b, -1), x);
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
    @Property(tries = 100, maxDiscardRatio = 20)
    void smallCnn(@ForAll @IntRange(min = 1, max = 2) int n, @ForAll @IntRange(min = 1, max = 2) int c,
                  @ForAll @IntRange(min = 4, max = 7) int h, @ForAll @IntRange(min = 4, max = 7) int w,
                  @ForAll @IntRange(min = 1, max = 3) int o, @ForAll @IntRange(min = 1, max = 3) int k,
                  @ForAll @IntRange(min = 0, max = 1) int pad, @ForAll @IntRange(min = 2, max = 4) int classes,
                  @ForAll long seed) {
        Random rng = new Random(seed);
        int oh = h + 2 * pad - k + 1, ow = w + 2 * pad - k + 1;
        int features = o * (oh / 2) * (ow / 2);
        Tensor x = param(rng, 1, n, c, h, w);
        Tensor convW = param(rng, 1 / Math.sqrt(c * k * k), o, c, k, k);
        Tensor convB = param(rng, 0.5, o);
        Tensor fcW = param(rng, 1 / Math.sqrt(features), classes, features);
        Tensor fcB = param(rng, 0.5, classes);
        int[] target = rng.ints(n, 0, classes).toArray();

        double eps = 1e-3;
        double reach = 1.5 * eps * Math.max(1, Math.max(maxAbs(x), maxAbs(convW)));
        Assume.that(awayFromKinks(x, convW, convB, pad, reach));
        GradCheck.defaults().withEpsilon(eps).run(in -> {
            Tensor hidden = Ops.maxPool2d(Ops.relu(Ops.conv2d(in[0], in[1], in[2], 1, pad)), 2, 2);
            return Ops.crossEntropy(Ops.linear(Ops.flatten(hidden), in[3], in[4]), target);
        }, x, convW, convB, fcW, fcB).assertOk();
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
