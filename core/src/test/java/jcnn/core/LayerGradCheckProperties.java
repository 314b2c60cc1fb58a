package jcnn.core;

import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import jcnn.core.testing.PropertyCheck;
import jcnn.kernels.KernelProvider;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * The gradients of the deeper models' layers against float64 finite differences ({@link GradCheck}) over random
 * awkward shapes (sizes 1, 2 and odd primes), on the scalar reference and, for half of the cases, the vector
 * kernels: batch normalisation in training mode (the gradient through the batch's mean and variance) and in
 * evaluation mode, average pooling with any window and stride, global average pooling, and dropout with a drawn
 * mask (a linear map, so its finite differences are exact up to float32 noise).
 */
class LayerGradCheckProperties {

    private static Gen<Integer> sizes() {
        return Generate.pick(List.of(1, 2, 3, 5, 7));
    }

    private static Gen<Integer> between(int min, int max) {
        return integers().between(min, max);
    }

    private static Tensor param(Random rng, double scale, double offset, int... shape) {
        Tensor t = Tensor.randn(rng, shape);
        for (int i = 0; i < t.size(); i++) {
            t.data()[i] = (float) (t.data()[i] * scale + offset);
        }
        return t.requiresGrad(true);
    }

    private static GradCheck checker(boolean vector) {
        return vector ? GradCheck.defaults().withKernels(KernelProvider.vector(-1, 2)) : GradCheck.defaults();
    }

    record Norm(int n, int c, int h, int w, boolean training, boolean vector, long seed) {
    }

    /**
     * Batch normalisation with weight and bias. In training mode no running statistics are passed (the op then
     * updates none), so every evaluation of the finite difference sees the same function; in evaluation mode the
     * running statistics are fixed inputs. Training needs more than one value per channel, as in PyTorch.
     */
    @Test
    void batchNorm2d() {
        Gen<Norm> cases = in -> new Norm(between(1, 3).generate(in), between(1, 3).generate(in),
                sizes().generate(in), sizes().generate(in), booleans().all().generate(in),
                booleans().all().generate(in), longs().all().generate(in));
        PropertyCheck.forAll(200, cases.assuming(p -> !p.training() || p.n() * p.h() * p.w() > 1), p -> {
            Random rng = new Random(p.seed());
            Tensor x = param(rng, 1, 0.5, p.n(), p.c(), p.h(), p.w());
            Tensor weight = param(rng, 0.5, 1, p.c());
            Tensor bias = param(rng, 0.5, 0, p.c());
            Tensor runningMean = p.training() ? null : param(rng, 0.3, 0, p.c()).requiresGrad(false);
            Tensor runningVar = null;
            if (!p.training()) {
                runningVar = Tensor.zeros(p.c());
                for (int i = 0; i < p.c(); i++) {
                    runningVar.data()[i] = (float) (0.5 + rng.nextDouble());
                }
            }
            Tensor rv = runningVar;
            checker(p.vector()).run(in -> Ops.batchNorm2d(in[0], in[1], in[2], runningMean, rv, p.training(),
                    0.1, 1e-5), x, weight, bias).assertOk();
        });
    }

    record Pool(int n, int c, int h, int w, int k, int stride, boolean vector, long seed) {
    }

    @Test
    void avgPool2d() {
        Gen<Pool> cases = in -> new Pool(between(1, 2).generate(in), between(1, 2).generate(in),
                sizes().generate(in), sizes().generate(in), between(1, 3).generate(in), between(1, 3).generate(in),
                booleans().all().generate(in), longs().all().generate(in));
        PropertyCheck.forAll(200, cases.assuming(p -> p.h() >= p.k() && p.w() >= p.k()), p -> {
            Tensor x = param(new Random(p.seed()), 1, 0, p.n(), p.c(), p.h(), p.w());
            checker(p.vector()).run(in -> Ops.avgPool2d(in[0], p.k(), p.stride()), x).assertOk();
        });
    }

    record Global(int n, int c, int h, int w, boolean vector, long seed) {
    }

    @Test
    void globalAvgPool2d() {
        Gen<Global> cases = in -> new Global(between(1, 2).generate(in), between(1, 3).generate(in),
                sizes().generate(in), sizes().generate(in), booleans().all().generate(in),
                longs().all().generate(in));
        PropertyCheck.forAll(100, cases, p -> {
            Tensor x = param(new Random(p.seed()), 1, 0, p.n(), p.c(), p.h(), p.w());
            checker(p.vector()).run(in -> Ops.globalAvgPool2d(in[0]), x).assertOk();
        });
    }

    record Drop(int a, int b, int percent, boolean vector, long seed) {
    }

    /** The mask is drawn once, from the case's seed, and replayed by every evaluation. */
    @Test
    void dropout() {
        Gen<Drop> cases = in -> new Drop(sizes().generate(in), sizes().generate(in), between(0, 90).generate(in),
                booleans().all().generate(in), longs().all().generate(in));
        PropertyCheck.forAll(100, cases, p -> {
            Tensor x = param(new Random(p.seed()), 1, 0, p.a(), p.b());
            long maskSeed = p.seed() ^ 0x5DEECE66DL;
            checker(p.vector()).run(in -> Ops.dropout(in[0], p.percent() / 100.0, new SplittableRandom(maskSeed)),
                    x).assertOk();
        });
    }
}
