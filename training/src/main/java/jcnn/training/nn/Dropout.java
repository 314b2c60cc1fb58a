package jcnn.training.nn;

import java.util.SplittableRandom;
import jcnn.core.Ops;
import jcnn.core.Tensor;

/**
 * Dropout, PyTorch's {@code nn.Dropout(p)}: in training mode each element is zeroed with probability p and the
 * rest scaled by 1 / (1 - p); in evaluation mode the identity (the input itself is returned). No parameters.
 *
 * <p>The mask comes from this layer's own {@link SplittableRandom}, seeded at construction and again by
 * {@link Module#seedRandom} (the trainer reseeds the model before every step from the recipe's seed, the epoch
 * and the batch), and is drawn on the calling thread: the same seed gives the same masks whatever the kernels and
 * the thread count, and a resumed run draws what an uninterrupted one would. PyTorch's masks are not reproduced
 * (another generator); its scaling and its evaluation-mode identity are.
 */
public final class Dropout extends Module {

    private final double p;
    private SplittableRandom rng;

    /** @throws IllegalArgumentException when p is not in [0, 1) */
    public Dropout(double p, long seed) {
        Conv2d.require(p >= 0 && p < 1, "Dropout(p=" + p + ")", "p must be in [0, 1), got " + p);
        this.p = p;
        this.rng = new SplittableRandom(seed);
    }

    /** {@inheritDoc} <pre>x (any shape) -> y (the same shape)</pre> */
    /** {@inheritDoc} In evaluation mode only (the identity): training mode draws a mask per element of the batch. */
    @Override
    public boolean independentPerSample() {
        return !isTraining();
    }

    @Override
    public Tensor forward(Tensor x) {
        return isTraining() && p > 0 ? Ops.dropout(x, p, rng) : x;
    }

    @Override
    protected void reseed(long seed) {
        rng = new SplittableRandom(seed);
    }

    @Override
    public int[] outputShape(int[] input) {
        return input.clone();
    }

    public double p() {
        return p;
    }

    @Override
    public String toString() {
        return "Dropout(p=" + p + ")";
    }
}
