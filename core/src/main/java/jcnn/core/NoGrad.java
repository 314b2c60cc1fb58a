package jcnn.core;

/**
 * A per-thread switch that stops ops from recording the autograd graph, for evaluation and for the numeric side
 * of gradient checking:
 * <pre>{@code
 * try (var noGrad = NoGrad.enter()) {
 *     Tensor logits = model.forward(x);    // no graph, no gradient buffers, nothing kept alive
 * }
 * }</pre>
 * Inside the scope every op's output has {@code requiresGrad() == false} and no parents, so the inputs of a
 * forward pass can be garbage-collected as soon as the pass is done. Scopes nest, like PyTorch's
 * {@code torch.no_grad()}.
 */
public final class NoGrad implements AutoCloseable {

    /** How many scopes are open on this thread; recording is off while it is positive. */
    private static final ThreadLocal<int[]> DEPTH = ThreadLocal.withInitial(() -> new int[1]);

    private boolean closed;

    private NoGrad() {
    }

    /** Turns graph recording off on this thread until the returned scope is closed. */
    public static NoGrad enter() {
        DEPTH.get()[0]++;
        return new NoGrad();
    }

    /** Whether ops on this thread record the graph now (no {@link NoGrad} scope is open). */
    public static boolean isRecording() {
        return DEPTH.get()[0] == 0;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            DEPTH.get()[0]--;
        }
    }
}
