package jcnn.bench;

import jcnn.kernels.KernelProvider;
import jcnn.kernels.Kernels;

/**
 * Turns a benchmark's {@code kernel} and {@code threads} parameters into {@link Kernels}, and refuses, with a
 * message that says why, the combinations that would measure nothing new or cannot run here.
 *
 * <p>Goals: every benchmark reads its parameters the same way, and a missing vector implementation shows up as a
 * one-line failure of that parameter combination, not as a confusing stack trace from deep inside a kernel. JMH
 * reports a failed {@code @Setup} and moves on to the next combination, so a run over all parameters still
 * measures what can be measured.
 */
final class BenchKernels {

    private BenchKernels() {
    }

    /**
     * The kernels for a benchmark's parameters.
     *
     * @param kernel  {@code scalar} or {@code vector}
     * @param threads 1, 2, ...
     * @throws SkipException for scalar at more than one thread (the scalar reference is single-threaded by design,
     *                       so that figure is the one-thread figure) and for vector when it is not built in or the
     *                       JVM lacks the incubator module
     */
    static Kernels create(String kernel, int threads) {
        switch (kernel) {
            case "scalar":
                if (threads != 1) {
                    throw new SkipException("scalar x " + threads + " threads: the scalar kernels are single-threaded"
                            + " by design, so this is the 1-thread figure; skipped");
                }
                return KernelProvider.scalar();
            case "vector":
                requireVector();
                // One width per JVM (JMH forks per parameter combination); -Dvector.bits=256 measures 256-bit.
                return KernelProvider.vector(Integer.getInteger("vector.bits", -1), threads);
            default:
                throw new IllegalArgumentException("kernel must be scalar or vector, got '" + kernel + "'");
        }
    }

    /** Fails with the reason when the vector kernels cannot be created in this JVM. */
    static void requireVector() {
        if (!KernelProvider.vectorAvailable()) {
            throw new SkipException("vector kernels need the Vector API: run with " + KernelProvider.VECTOR_FLAG);
        }
        try {
            Class.forName("jcnn.kernels.VectorKernels");
        } catch (ClassNotFoundException e) {
            throw new SkipException("vector kernels: jcnn.kernels.VectorKernels is not in this build"
                    + " (kernels module without it); only the scalar benchmarks can run");
        }
    }

    /** A parameter combination that is deliberately not measured; the message says why. */
    static final class SkipException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SkipException(String message) {
            super(message, null, false, false);   // no stack trace: the message is the whole story
        }
    }
}
