package jcnn.training;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import jcnn.core.BufferPool;
import jcnn.core.Engine;
import jcnn.core.GradientRoute;
import jcnn.core.Tensor;
import jcnn.kernels.Kernels;
import jcnn.kernels.Parallel;
import jcnn.training.nn.Flatten;
import jcnn.training.nn.Module;
import jcnn.training.nn.Sequential;

/**
 * The loss of a batch and the gradient of every parameter: the forward and backward half of a training step.
 * The convolutional trunk of a model runs as one parallel region over fixed chunks of the batch; the classifier
 * head runs on the whole batch.
 *
 * <p>Why chunks: run whole, a step is a chain of a dozen ops, each split over the threads and joined again, with
 * the glue between them on one thread; at two threads the seed CNN's step took 0.58x of its one-thread time, not
 * 0.5x. In chunks, each thread takes whole chunks of images through the convolutions, ReLUs and poolings, every
 * op inside a chunk on that thread alone, and the threads meet twice per pass instead of at every op. A chunk's
 * activations (16 images of the seed CNN: 1.5 MB with their gradients) also stay in the core's cache from one op
 * to the next, where a whole batch's streamed through memory.
 *
 * <p>Why the head runs whole: the linear layers are GEMMs whose weights (fc1's 200,704) are read once per
 * pass however many images there are; in chunks of 8 images they were read 8 times, and their gradients summed over 8
 * copies, which cost more than the chunks saved (measured: 7.2 ms a step with every layer in 8 chunks against
 * 5.7 ms whole, one thread). Whole, they split over the threads by output columns, as every GEMM here does.
 *
 * <p>So one step is: (1) each chunk's trunk forward, in parallel, each keeping its graph and activations; a chunk
 * also copies its images out of the batch and its output into its rows of the head's input, and zeroes those rows'
 * gradient, so that these run in parallel too (at batch 256: 0.8 MB in, 1.6 MB out and 1.6 MB zeroed, which the
 * calling thread used to do alone); (2) the head's forward, the loss and the head's backward, on the calling
 * thread, its ops parallel inside; (3) each chunk's trunk backward from its rows of the head's input gradient, in
 * parallel, each into parameter gradient buffers of its own (a {@link GradientRoute}); (4) those summed in chunk
 * order.
 *
 * <p>Why fixed: the batch is split into chunks of {@link #CHUNK_IMAGES} images whatever the thread count, so
 * the result is the same bit for bit at one thread, two or sixteen, and whichever thread ran which chunk. It is
 * not the whole batch's bit for bit: a trunk weight's gradient is summed over the chunks, each over its images,
 * rather than over the batch in one go.
 *
 * <p>When: for a {@link Sequential} with a {@link Flatten} layer, the trunk being the layers before it, when those
 * are all {@linkplain Module#independentPerSample independent per sample} in the mode the model is in. Batch
 * normalisation's batch statistics are not (a chunk's mean is not the batch's), nor are dropout's random draws,
 * so a trunk with either runs with the batch whole, on the calling thread, each op parallel inside.
 *
 * <p>Not thread-safe: one instance per training loop; its buffers are reused from step to step.
 */
public final class BatchGradient {

    /**
     * The most images in a chunk of the trunk: a batch of n runs in ceil(n / 16) chunks of near-equal size (4 at
     * batch 64, 16 at 256). Seed CNN, one thread, ms a step (AMD EPYC, AVX-512, JDK 25; whole batch / chunks of 8 /
     * 16 / 32 images): batch 64 5.86 / 6.35 / 6.07 / 6.11; batch 256 26.9 / 24.0 / 24.1 / 25.3. A chunk of 16
     * images keeps its conv1 output (0.8 MB) in the core's 1 MB L2.
     */
    public static final int CHUNK_IMAGES = 16;

    private final Module model;
    private final double labelSmoothing;
    private final int chunkImages;
    /** The layers before the Flatten, and from it on; both null when the model has no such split. */
    private final Sequential trunk, head;
    private final List<Tensor> trunkParameters;
    private Chunk[] chunks = new Chunk[0];
    /** The head's input, the chunks' outputs side by side: a leaf whose gradient the head's backward fills. */
    private Tensor joined;
    /** The shape of the batch {@link #joined} was made for. */
    private int[] joinedFor;

    /** The outcome of one batch: its mean loss and how many of its images the model classified right. */
    public record Result(float loss, int correct) {
    }

    /** For {@code model}, with the loss's label smoothing and chunks of {@link #CHUNK_IMAGES} images. */
    public BatchGradient(Module model, double labelSmoothing) {
        this(model, labelSmoothing, CHUNK_IMAGES);
    }

    /** As {@link #BatchGradient(Module, double)} with chunks of another size (1 or more), for benchmarks. */
    public BatchGradient(Module model, double labelSmoothing, int chunkImages) {
        this.model = Objects.requireNonNull(model, "model");
        this.labelSmoothing = labelSmoothing;
        if (chunkImages < 1) {
            throw new IllegalArgumentException("chunk images must be >= 1, got " + chunkImages);
        }
        this.chunkImages = chunkImages;
        Sequential[] split = split(model);
        this.trunk = split[0];
        this.head = split[1];
        this.trunkParameters = trunk == null ? List.of() : trunk.parameters();
    }

    /** The model's layers before its first Flatten and from it on, as two views; nulls when it has none. */
    private static Sequential[] split(Module model) {
        if (!(model instanceof Sequential)) {
            return new Sequential[2];
        }
        List<Map.Entry<String, Module>> layers = new ArrayList<>(model.children().entrySet());
        int at = 0;
        while (at < layers.size() && !(layers.get(at).getValue() instanceof Flatten)) {
            at++;
        }
        if (at == 0 || at == layers.size()) {
            return new Sequential[2];
        }
        Sequential trunk = new Sequential(), head = new Sequential();
        for (int i = 0; i < layers.size(); i++) {
            (i < at ? trunk : head).add(layers.get(i).getKey(), layers.get(i).getValue());
        }
        return new Sequential[] {trunk, head};
    }

    /**
     * Computes the mean loss of the batch {@code x} (n images) against {@code labels} and adds each parameter's
     * derivative into its gradient (which the caller zeroes first, as for any backward pass), with the current
     * kernels ({@link Engine#kernels()}) and their thread count. Runs inside the caller's {@link BufferPool}
     * scope, which holds the head's activations (or the whole model's when the batch runs whole). The checks of
     * the loss and the gradients are the caller's, after this returns.
     */
    public Result compute(Tensor x, int[] labels) {
        int n = x.dim(0);
        if (n != labels.length) {
            throw new IllegalArgumentException("batch of " + n + " images with " + labels.length + " labels");
        }
        if (trunk == null || !trunk.independentPerSample()) {
            return whole(x, labels);
        }
        Kernels kernels = Engine.kernels();
        int count = (n + chunkImages - 1) / chunkImages;
        if (chunks.length < count) {
            chunks = Arrays.copyOf(chunks, count);
        }
        Tensor headInput = joined(x);
        float[] joinedData = headInput.data(), joinedGrad = headInput.grad();
        for (int c = 0; c < count; c++) {
            if (chunks[c] == null) {
                chunks[c] = new Chunk(trunkParameters);
            }
            chunks[c].cut(x, (int) ((long) n * c / count), (int) ((long) n * (c + 1) / count));
        }
        try {
            Parallel.forEach(kernels.threads(), count,
                    c -> chunks[c].forward(kernels, trunk, x, joinedData, joinedGrad));
            Tensor logits = head.forward(headInput);
            Tensor loss = Losses.crossEntropy(logits, labels, labelSmoothing);
            loss.backward();
            float[] dJoined = headInput.grad();
            Parallel.forEach(kernels.threads(), count, c -> chunks[c].backward(kernels, dJoined));
            addChunkGradients(count);
            return new Result(loss.item(),
                    Evaluator.countCorrect(logits.data(), labels, labels.length, logits.dim(1)));
        } finally {
            for (int c = 0; c < count; c++) {
                chunks[c].release();   // after a failure too: the next step opens the chunks' pools again
            }
        }
    }

    /** The batch through the model in one piece, the parameters' own gradients filled by its backward pass. */
    private Result whole(Tensor x, int[] labels) {
        Tensor logits = model.forward(x);
        Tensor loss = Losses.crossEntropy(logits, labels, labelSmoothing);
        loss.backward();
        return new Result(loss.item(), Evaluator.countCorrect(logits.data(), labels, labels.length, logits.dim(1)));
    }

    /**
     * The head's input for a batch like {@code x}: a reused leaf of the trunk's output shape, whose rows the chunks
     * fill (and whose gradient rows they zero) each in its own forward task, in parallel; made again only when the
     * batch's shape changes.
     */
    private Tensor joined(Tensor x) {
        if (joined == null || !sameShape(x, joinedFor)) {
            joinedFor = x.shape();
            joined = Tensor.zeros(trunk.outputShape(joinedFor)).requiresGrad(true);
        }
        return joined;
    }

    private static boolean sameShape(Tensor t, int[] shape) {
        if (t.rank() != shape.length) {
            return false;
        }
        for (int d = 0; d < shape.length; d++) {
            if (t.dim(d) != shape[d]) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code t} has {@code rows} rows and otherwise {@code like}'s shape (compared without copying). */
    private static boolean sameShapeExceptRows(Tensor t, Tensor like, int rows) {
        if (t.rank() != like.rank() || t.dim(0) != rows) {
            return false;
        }
        for (int d = 1; d < t.rank(); d++) {
            if (t.dim(d) != like.dim(d)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Each trunk parameter's gradient plus, element by element, the chunks' in chunk order: the same sums
     * whatever the thread count.
     */
    private void addChunkGradients(int count) {
        for (int p = 0; p < trunkParameters.size(); p++) {
            float[] g = trunkParameters.get(p).grad();
            for (int c = 0; c < count; c++) {
                float[] gc = chunks[c].route.gradient(p);
                for (int i = 0; i < g.length; i++) {
                    g[i] += gc[i];
                }
            }
        }
    }

    /** One chunk's images, graph, activation pool and trunk gradients; reused from step to step. */
    private static final class Chunk {
        final GradientRoute route;
        final BufferPool pool = new BufferPool();
        BufferPool.Scope scope;
        /** The trunk's input (this chunk's images), and the seed of its backward pass: reused while sizes hold. */
        Tensor input, dOutput;
        int size, outputRow;
        Tensor output;

        Chunk(List<Tensor> parameters) {
            this.route = new GradientRoute(parameters);
        }

        /** Makes this chunk images [from, to) of batches shaped like {@code x}. */
        void cut(Tensor x, int from, int to) {
            size = to - from;
            outputRow = from;
            if (input == null || !sameShapeExceptRows(input, x, size)) {
                int[] shape = x.shape();
                shape[0] = size;
                input = Tensor.of(new float[x.size() / x.dim(0) * size], shape);
            }
        }

        /**
         * On this thread: copies the chunk's images out of the batch {@code x}, runs the trunk's forward on them,
         * copies the output into its rows of the head's input and zeroes their gradient. The pool scope stays
         * open (suspended) for the backward pass. The copies are each chunk's own, so they run in parallel too.
         */
        @SuppressWarnings("try")   // the kernels' scope is used for its open/close only
        void forward(Kernels kernels, Module trunk, Tensor x, float[] joinedData, float[] joinedGrad) {
            System.arraycopy(x.data(), outputRow * (input.size() / size), input.data(), 0, input.size());
            scope = pool.open();
            try (Engine.Scope k = Engine.using(kernels)) {
                output = trunk.forward(input);
            } finally {
                scope.suspend();
            }
            int per = joinedData.length / x.dim(0);
            if (output.size() != size * per) {
                throw new IllegalStateException("BatchGradient: a chunk of " + size + " images gave "
                        + output.shapeString() + ", not " + per + " values per image");
            }
            System.arraycopy(output.data(), 0, joinedData, outputRow * per, output.size());
            Arrays.fill(joinedGrad, outputRow * per, (outputRow + size) * per, 0f);
        }

        /** The trunk's backward on this thread from this chunk's rows of the head's input gradient. */
        @SuppressWarnings("try")   // the scopes are used for their open/close only
        void backward(Kernels kernels, float[] dJoined) {
            int per = output.size() / size;
            if (dOutput == null || !sameShapeExceptRows(dOutput, output, size)) {
                dOutput = Tensor.of(new float[output.size()], output.shape());
            }
            System.arraycopy(dJoined, outputRow * per, dOutput.data(), 0, dOutput.size());
            scope.resume();
            try (Engine.Scope k = Engine.using(kernels); GradientRoute.Scope r = route.open()) {
                route.zero();
                output.backward(dOutput);
            } finally {
                scope.suspend();
            }
        }

        /** Returns the chunk's activations to its pool. */
        void release() {
            if (scope != null) {
                scope.close();
                scope = null;
                output = null;
            }
        }
    }
}
