package jcnn.training.nn;

import java.util.Objects;
import java.util.random.RandomGenerator;
import jcnn.core.Tensor;

/**
 * PyTorch's default initialisation of {@code Conv2d} and {@code Linear}, drawn from an explicit random generator so
 * that the same seed always gives the same model.
 *
 * <p>PyTorch initialises the weight with {@code kaiming_uniform_(w, a = sqrt(5))}: uniform on [-bound, bound] with
 * {@code bound = gain * sqrt(3 / fan_in)} and {@code gain = sqrt(2 / (1 + a^2)) = sqrt(1/3)}, which simplifies to
 * {@code bound = 1 / sqrt(fan_in)}. The bias is uniform on the same interval. Here {@code fan_in} is the number of
 * inputs one output sums over: {@code in} for a linear layer, {@code in * kh * kw} for a convolution.
 *
 * <p>Non-goals: bit-identical draws to PyTorch's generator (Mersenne Twister on the CPU). The distribution is the
 * same; the numbers are not, and nothing here depends on them being so.
 */
final class Init {

    private Init() {
    }

    /** {@code 1 / sqrt(fanIn)}: the bound of PyTorch's default weight and bias initialisation. */
    static double bound(int fanIn) {
        return 1.0 / Math.sqrt(fanIn);
    }

    /** A tensor of the given shape filled, in row-major order, with uniform draws on [-bound, bound). */
    static Tensor uniform(RandomGenerator rng, double bound, int... shape) {
        Objects.requireNonNull(rng, "rng");
        Tensor t = Tensor.zeros(shape);
        float[] v = t.data();
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) ((2 * rng.nextDouble() - 1) * bound);
        }
        return t;
    }
}
