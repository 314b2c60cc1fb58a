package jcnn.core;

import java.util.Objects;
import java.util.function.Supplier;
import jcnn.kernels.KernelProvider;
import jcnn.kernels.Kernels;

/**
 * The one holder in core from which every op takes its {@link Kernels}.
 *
 * <p>Goals: the choice of kernels is made in exactly one place ({@link KernelProvider#fromSystemProperties()}),
 * and a test, a benchmark or the scalar-vs-vector comparison can run a block of code with other kernels without
 * passing them through every call:
 * <pre>{@code
 * try (var scope = Engine.using(KernelProvider.scalar())) {
 *     Tensor y = Ops.conv2d(x, w, b, 1, 1);   // scalar kernels, forward and backward
 * }
 * }</pre>
 * The scope is per thread, so two threads can compare implementations side by side. An op captures its kernels
 * when it runs forward and uses the same ones in its backward pass, so a graph never mixes implementations.
 *
 * <p>Non-goals: choosing kernels (that is {@link KernelProvider}'s job), device placement, per-op dispatch.
 */
public final class Engine {

    /**
     * The process-wide default, created on first use rather than when the class loads, so that opening a scope
     * with explicit kernels never reads system properties, and a default that cannot be created (say
     * {@code -Dkernel=vector} without the Vector API) fails with its own message at the first op that needs it.
     */
    private static volatile Kernels defaultKernels;

    /** The kernels of the innermost open scope on this thread; null means "use the default". */
    private static final ThreadLocal<Kernels> SCOPED = new ThreadLocal<>();

    private Engine() {
    }

    /** The kernels ops on this thread use now: the innermost {@link #using} scope, else the default. */
    public static Kernels kernels() {
        Kernels scoped = SCOPED.get();
        return scoped != null ? scoped : defaultKernels();
    }

    private static Kernels defaultKernels() {
        Kernels k = defaultKernels;
        if (k == null) {
            synchronized (Engine.class) {
                k = defaultKernels;
                if (k == null) {
                    k = KernelProvider.fromSystemProperties();
                    defaultKernels = k;
                }
            }
        }
        return k;
    }

    /**
     * Makes {@code kernels} the current kernels of this thread until the returned scope is closed. Scopes nest;
     * closing one restores what was current when it was opened.
     */
    public static Scope using(Kernels kernels) {
        Objects.requireNonNull(kernels, "kernels");
        Kernels previous = SCOPED.get();
        SCOPED.set(kernels);
        return new Scope(previous);
    }

    /** Runs {@code body} with {@code kernels} as the current kernels of this thread and returns its result. */
    @SuppressWarnings("try")   // the scope is used for its open/close, never referenced: that is the idiom
    public static <T> T using(Kernels kernels, Supplier<T> body) {
        try (Scope ignored = using(kernels)) {
            return body.get();
        }
    }

    /** An open {@link #using} scope; closing it restores the previous kernels. Not reusable. */
    public static final class Scope implements AutoCloseable {
        private final Kernels previous;
        private boolean closed;

        private Scope(Kernels previous) {
            this.previous = previous;
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            SCOPED.set(previous);   // null included, not remove(): the next get() would create the entry again
        }
    }
}
