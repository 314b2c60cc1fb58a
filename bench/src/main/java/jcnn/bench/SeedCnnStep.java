package jcnn.bench;

import java.util.List;
import java.util.Random;
import jcnn.core.BufferPool;
import jcnn.core.Engine;
import jcnn.core.NoGrad;
import jcnn.core.Ops;
import jcnn.core.Tensor;
import jcnn.kernels.Kernels;
import jcnn.training.nn.Module;
import jcnn.training.nn.SeedCnn;

/**
 * The seed CNN of the training module ({@link SeedCnn}, the model the trainer runs, fusion included) with one
 * plain SGD step ({@code p -= lr * grad} through {@link Kernels#axpy}), for the training-step and inference
 * benchmarks.
 *
 * <p>Why a plain SGD and not the trainer: the benchmark measures the engine's step (forward, backward, update),
 * not the trainer's bookkeeping (schedules, listeners, checkpoints).
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
    private final Module model;
    private final List<Tensor> parameters;
    private final BufferPool pool = new BufferPool();
    private final float learningRate;

    public SeedCnnStep(Kernels kernels, float learningRate, long seed) {
        this.kernels = kernels;
        this.learningRate = learningRate;
        this.model = SeedCnn.create(new Random(seed));
        this.parameters = model.parameters();
    }

    Tensor forward(Tensor x) {
        return model.forward(x);
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
