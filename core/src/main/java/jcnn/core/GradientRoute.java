package jcnn.core;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Gradient buffers of its own for some leaf tensors (a model's parameters), which backward passes on a thread
 * fill instead of the leaves' own {@link Tensor#grad()} while a scope of the route is open there.
 *
 * <p>Why: a data-parallel training step runs forward and backward on several chunks of a batch at once, on
 * different threads, through one model. The activations are the chunks' own, but every chunk's backward pass
 * adds into the same parameters' gradients, which threads cannot share without races, and whose order of
 * summation would then depend on which thread came first. With one route per chunk, each chunk's parameter
 * gradients land in that chunk's buffers; the caller then sums the chunks in chunk order, so the result is the
 * same bit for bit whatever thread ran which chunk, and however many threads there were.
 * <pre>{@code
 * GradientRoute route = new GradientRoute(model.parameters());   // once; its buffers are reused
 * try (var scope = route.open()) {                               // on the thread that runs the chunk
 *     route.zero();
 *     loss.backward();                                           // parameter gradients go to route.gradient(i)
 * }
 * }</pre>
 *
 * <p>Non-goals: routing op outputs' gradients (they belong to one backward pass anyway), nesting routes.
 */
public final class GradientRoute {

    private static final ThreadLocal<GradientRoute> OPEN = new ThreadLocal<>();

    private final List<Tensor> leaves;
    private final Map<Tensor, float[]> buffers = new IdentityHashMap<>();
    private final float[][] gradients;

    /** A route for {@code leaves}, each a leaf tensor that requires a gradient, with a zeroed buffer for each. */
    public GradientRoute(List<Tensor> leaves) {
        this.leaves = List.copyOf(leaves);
        this.gradients = new float[this.leaves.size()][];
        for (int i = 0; i < gradients.length; i++) {
            Tensor t = Objects.requireNonNull(this.leaves.get(i), "leaf");
            if (!t.isLeaf() || !t.requiresGrad()) {
                throw new IllegalArgumentException("GradientRoute: " + t.describe()
                        + " is not a leaf tensor that requires a gradient");
            }
            gradients[i] = new float[t.size()];
            if (buffers.put(t, gradients[i]) != null) {
                throw new IllegalArgumentException("GradientRoute: " + t.describe() + " is listed twice");
            }
        }
    }

    /** The route's buffer for the {@code i}-th leaf, in the order given to the constructor. */
    public float[] gradient(int i) {
        return gradients[i];
    }

    /** Sets every buffer to zero: backward passes add into them. */
    public void zero() {
        for (float[] g : gradients) {
            java.util.Arrays.fill(g, 0f);
        }
    }

    /**
     * Routes this thread's gradients of the leaves into this route's buffers until the scope closes.
     *
     * @throws IllegalStateException when a route is already open on this thread
     */
    public Scope open() {
        if (OPEN.get() != null) {
            throw new IllegalStateException("GradientRoute: a route is already open on this thread");
        }
        OPEN.set(this);
        return new Scope();
    }

    /** The buffer that receives {@code leaf}'s gradient on this thread now, or null when none is routed. */
    static float[] routed(Tensor leaf) {
        GradientRoute route = OPEN.get();
        return route == null ? null : route.buffers.get(leaf);
    }

    /** An open scope of a route; closing it ends the routing on this thread. */
    public static final class Scope implements AutoCloseable {
        private boolean closed;

        private Scope() {
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                OPEN.set(null);   // not remove(): the next get() would create the entry again
            }
        }
    }
}
