package jcnn.training.nn;

import jcnn.core.BufferPool;
import jcnn.core.NoGrad;
import jcnn.core.Tensor;

/**
 * Named layers applied one after another, PyTorch's {@code nn.Sequential(OrderedDict(...))}: the names become the
 * prefixes of the parameter names, so a layer added as {@code "conv1"} contributes {@code conv1.weight} and
 * {@code conv1.bias}.
 * <pre>{@code
 * Sequential net = new Sequential()
 *         .add("fc1", new Linear(784, 128, rng))
 *         .add("relu", new ReLU())
 *         .add("fc2", new Linear(128, 10, rng));
 * }</pre>
 */
public final class Sequential extends Module {

    /** Appends a layer under {@code name} (unique, dot-free); returns this, to chain. */
    public Sequential add(String name, Module layer) {
        addModule(name, layer);
        return this;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Fusion is decided here, and only here: a {@link ReLU} directly followed by a {@link MaxPool2d} runs as
     * one op, {@link jcnn.core.Ops#reluMaxPool2d}, which gives the same values and gradients bit for bit without
     * writing the rectified activation. The layers, their names and the summary stay as written.
     *
     * <p>So is the schedule of inference: with no graph recorded ({@link NoGrad}), a batch of at least two
     * {@linkplain #INFERENCE_CHUNK chunks} through layers that are all {@linkplain #independentPerSample independent
     * per sample} runs a chunk at a time, with the same outputs bit for bit.
     */
    @Override
    public Tensor forward(Tensor x) {
        if (!NoGrad.isRecording() && x.shape().length > 0 && x.shape()[0] >= 2 * INFERENCE_CHUNK
                && !IN_CHUNK.get()[0] && independentPerSample()) {
            return forwardInChunks(x);
        }
        return forwardLayers(x);
    }

    /** {@inheritDoc} True when every layer's is. */
    @Override
    public boolean independentPerSample() {
        for (Module layer : children().values()) {   // a loop, not a stream: the trainer asks on every step
            if (!layer.independentPerSample()) {
                return false;
            }
        }
        return true;
    }

    /**
     * Images per chunk of an inference batch: small enough that a chunk's activations stay in the core's cache
     * (at 64, the seed CNN's largest is conv1's output, 3.2 MB, against 1 to 2 MB of L2; the batch of 1000 that
     * evaluation uses would stream 50 MB through memory for it), large enough to keep the linear layers' GEMMs
     * efficient. Inference of 1000 images at one thread (Xeon, CPU time): 49 ms whole, 43.5 ms in chunks of 64.
     */
    static final int INFERENCE_CHUNK = 64;

    /** Each thread's pool for the chunks' activations, which each chunk hands back to the next. */
    private static final ThreadLocal<BufferPool> CHUNK_POOL = ThreadLocal.withInitial(BufferPool::new);
    /** Each thread's chunk of input images, reused from chunk to chunk and call to call. */
    private static final ThreadLocal<float[]> CHUNK_INPUT = new ThreadLocal<>();
    /** Set while this thread runs a chunk: a model called from inside a layer runs whole. */
    private static final ThreadLocal<boolean[]> IN_CHUNK = ThreadLocal.withInitial(() -> new boolean[1]);

    /**
     * Inference (no graph recorded) of a batch of at least two {@linkplain #INFERENCE_CHUNK chunks}, a chunk at a
     * time, when every layer is {@linkplain #independentPerSample independent per sample}; a chunk's activations are
     * reused by the next while they are still in cache. Every chunk has the same size, the last one overlapping
     * the one before it (its first images are computed twice and kept once): a GEMM of one row may take another
     * path, and round differently, than one of 64. So the outputs are those of the whole batch bit for bit
     * ({@code SequentialChunkingTest}: each image's arithmetic does not depend on its neighbours).
     */
    @SuppressWarnings("try")   // the chunk's pool scope is used for its open/close
    private Tensor forwardInChunks(Tensor x) {
        int n = x.shape()[0], inPer = x.size() / n;
        float[] in = x.data(), out = null;
        int[] outShape = null;
        int outPer = 0;
        BufferPool pool = CHUNK_POOL.get();
        boolean[] inChunk = IN_CHUNK.get();
        inChunk[0] = true;
        try {
            int count = INFERENCE_CHUNK;
            int[] shape = x.shape().clone();
            shape[0] = count;
            float[] chunkData = CHUNK_INPUT.get();
            if (chunkData == null || chunkData.length != count * inPer) {
                chunkData = new float[count * inPer];
                CHUNK_INPUT.set(chunkData);
            }
            for (int next = 0; next < n; next += count) {
                int from = Math.min(next, n - count);   // outputs [next, ..) are new
                System.arraycopy(in, from * inPer, chunkData, 0, count * inPer);
                Tensor chunk = Tensor.of(chunkData, shape);
                try (BufferPool.Scope scope = pool.open()) {
                    Tensor y = forwardLayers(chunk);
                    if (out == null) {
                        outPer = y.size() / count;
                        outShape = y.shape().clone();
                        outShape[0] = n;
                        out = new float[n * outPer];
                    }
                    System.arraycopy(y.data(), (next - from) * outPer, out, next * outPer,
                            (from + count - next) * outPer);
                }
            }
        } finally {
            inChunk[0] = false;
        }
        return Tensor.of(out, outShape);
    }

    /** The layers in order on the whole of {@code x}, fusing as {@link #forward} describes. */
    Tensor forwardLayers(Tensor x) {
        Tensor y = x;
        Module pendingRelu = null;   // a ReLU not run yet, because the next layer may take it in
        for (Module layer : children().values()) {
            if (pendingRelu != null) {
                Module relu = pendingRelu;
                pendingRelu = null;
                if (layer instanceof MaxPool2d pool) {
                    y = pool.forwardRectified(y);
                    continue;
                }
                y = relu.forward(y);
            }
            if (layer instanceof ReLU) {
                pendingRelu = layer;
            } else {
                y = layer.forward(y);
            }
        }
        return pendingRelu == null ? y : pendingRelu.forward(y);
    }

    /** {@inheritDoc} An error names the layer that does not fit, e.g. {@code layer 'fc1': ...}. */
    @Override
    public int[] outputShape(int[] input) {
        int[] shape = input.clone();
        for (var entry : children().entrySet()) {
            try {
                shape = entry.getValue().outputShape(shape);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("layer '" + entry.getKey() + "': " + e.getMessage(), e);
            }
        }
        return shape;
    }
}
