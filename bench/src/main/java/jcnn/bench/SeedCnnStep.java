package jcnn.bench;

import java.util.List;
import java.util.Random;
import jcnn.core.BufferPool;
import jcnn.core.Engine;
import jcnn.core.NoGrad;
import jcnn.core.Ops;
import jcnn.core.Tensor;
import jcnn.kernels.Kernels;

/**
 * The seed CNN written directly with the core ops, for the training-step and inference benchmarks: its eight
 * parameter tensors, the forward pass, and one plain SGD step ({@code p -= lr * grad} through
 * {@link Kernels#axpy}).
 *
 * <p>Why not the training module's model and optimizer: they are developed in parallel and this benchmark must
 * not wait for them. The work per step is the same (same ops, same kernels, same shapes), so the timing is
 * equivalent; switch to {@code jcnn.training}'s SeedCnn and SGD once they land if the figures should include
 * their bookkeeping.
 *
 * <p>Both entry points run inside a {@link BufferPool} scope, so after the first call a step reuses its large
 * arrays instead of allocating them; what remains per step is small bookkeeping (tensor objects, closures, the
 * topological order), which {@code -prof gc} measures.
 *
 * <pre>
 * x (n,1,28,28) -> conv1 3x3 pad 1 (16) -> relu -> maxpool 2 -> conv2 3x3 pad 1 (32) -> relu -> maxpool 2
 *   -> flatten (n,1568) -> fc1 (128) -> relu -> fc2 (10) = logits
 * </pre>
 */
public final class SeedCnnStep {

    private final Kernels kernels;
    private final Tensor conv1W, conv1B, conv2W, conv2B, fc1W, fc1B, fc2W, fc2B;
    private final List<Tensor> parameters;
    private final BufferPool pool = new BufferPool();
    private final float learningRate;

    public SeedCnnStep(Kernels kernels, float learningRate, long seed) {
        this.kernels = kernels;
        this.learningRate = learningRate;
        Random rng = new Random(seed);
        conv1W = uniform(rng, 9, 16, 1, 3, 3);
        conv1B = uniform(rng, 9, 16);
        conv2W = uniform(rng, 144, 32, 16, 3, 3);
        conv2B = uniform(rng, 144, 32);
        fc1W = uniform(rng, 1568, 128, 1568);
        fc1B = uniform(rng, 1568, 128);
        fc2W = uniform(rng, 128, 10, 128);
        fc2B = uniform(rng, 128, 10);
        parameters = List.of(conv1W, conv1B, conv2W, conv2B, fc1W, fc1B, fc2W, fc2B);
    }

    /**
     * PyTorch's default initialisation bound for conv and linear layers, U(-1/sqrt(fanIn), 1/sqrt(fanIn)), so
     * the activations have realistic magnitudes (no denormals, no overflow) whatever the step count.
     */
    private static Tensor uniform(Random rng, int fanIn, int... shape) {
        Tensor t = Tensor.zeros(shape);
        float bound = (float) (1 / Math.sqrt(fanIn));
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) {
            d[i] = (rng.nextFloat() * 2f - 1f) * bound;
        }
        return t.requiresGrad(true);
    }

    Tensor forward(Tensor x) {
        Tensor h = Ops.maxPool2d(Ops.relu(Ops.conv2d(x, conv1W, conv1B, 1, 1)), 2, 2);
        h = Ops.maxPool2d(Ops.relu(Ops.conv2d(h, conv2W, conv2B, 1, 1)), 2, 2);
        h = Ops.relu(Ops.linear(Ops.flatten(h), fc1W, fc1B));
        return Ops.linear(h, fc2W, fc2B);
    }

    /** One training step: forward, softmax cross-entropy, backward, SGD update; returns the loss. */
    @SuppressWarnings("try")   // both scopes are used for their open/close only
    public float trainStep(Tensor images, int[] labels) {
        try (var engine = Engine.using(kernels); var step = pool.open()) {
            Tensor loss = Ops.crossEntropy(forward(images), labels);
            loss.backward();
            for (Tensor p : parameters) {
                kernels.axpy(p.size(), -learningRate, p.grad(), p.data());
                p.zeroGrad();
            }
            return loss.item();
        }
    }

    /**
     * Inference without a graph; copies the logits out into {@code logits} (n*10) before the pool takes their
     * array back.
     */
    @SuppressWarnings("try")
    public float[] infer(Tensor images, float[] logits) {
        try (var engine = Engine.using(kernels); var step = pool.open(); var noGrad = NoGrad.enter()) {
            Tensor y = forward(images);
            System.arraycopy(y.data(), 0, logits, 0, y.size());
            return logits;
        }
    }

    /** The batch as an input tensor (a leaf that needs no gradient, like a data loader's). */
    public static Tensor input(SyntheticBatch batch) {
        return Tensor.of(batch.images, batch.size, SyntheticBatch.CHANNELS, SyntheticBatch.HEIGHT,
                SyntheticBatch.WIDTH);
    }
}
