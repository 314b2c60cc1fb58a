package jcnn.kernels;

import java.lang.reflect.InvocationTargetException;
import java.util.Locale;
import java.util.Properties;
import java.util.logging.Logger;

/**
 * The one place where the kernels are chosen.
 *
 * <ul>
 *   <li>{@code -Dkernel=scalar|vector}: the implementation. Default: vector when the incubator module
 *       {@code jdk.incubator.vector} is present, otherwise scalar, with one log line naming the flag to add.</li>
 *   <li>{@code -Dvector.bits=0|128|256|512}: the vector width; 0 means scalar. Default: the CPU's preferred width.
 *       One width per JVM: {@link VectorWidth} reads the same property once, and a different width asked for in
 *       {@code Properties} is an error that names the flag to start the JVM with.</li>
 *   <li>{@code -Dthreads=N}: threads for GEMM and the batch-parallel kernels. Default: available processors.</li>
 * </ul>
 */
public final class KernelProvider {

    /** The flag a user adds to the {@code java} command line to enable the Vector API. */
    public static final String VECTOR_FLAG = "--add-modules jdk.incubator.vector";

    private static final Logger LOG = Logger.getLogger(KernelProvider.class.getName());

    private KernelProvider() {
    }

    /** Whether the Vector API module is loaded in this JVM. */
    public static boolean vectorAvailable() {
        return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    }

    /** The kernels the system properties ask for; see the class comment. */
    public static Kernels fromSystemProperties() {
        return fromProperties(System.getProperties());
    }

    /** The kernels {@code p} asks for ({@code kernel}, {@code vector.bits}, {@code threads}). */
    public static Kernels fromProperties(Properties p) {
        String kernel = p.getProperty("kernel", "").trim().toLowerCase(Locale.ROOT);
        int bits = parseInt("vector.bits", p.getProperty("vector.bits", "-1"));
        if (bits != -1 && bits != 0 && bits != 128 && bits != 256 && bits != 512) {
            throw new IllegalArgumentException("invalid vector.bits=" + bits + ": expected 0, 128, 256 or 512");
        }
        int threads = threads(p);
        switch (kernel) {
            case "scalar":
                return scalar();
            case "vector":
                if (!vectorAvailable()) {
                    throw new IllegalArgumentException("kernel=vector needs the Vector API: add " + VECTOR_FLAG
                            + " to the java command line");
                }
                return bits == 0 ? scalar() : vector(bits, threads);
            case "":
                if (bits == 0) {
                    return scalar();
                }
                if (!vectorAvailable()) {
                    LOG.warning("Vector API not available, using scalar kernels; add " + VECTOR_FLAG
                            + " to the java command line for the SIMD kernels");
                    return scalar();
                }
                try {
                    return vector(bits, threads);
                } catch (IllegalStateException e) {
                    // Asked for nothing in particular: a vector path that cannot load is a warning, not a failure.
                    LOG.warning("vector kernels could not be loaded (" + e.getMessage() + "), using scalar kernels");
                    return scalar();
                }
            default:
                throw new IllegalArgumentException("invalid kernel=" + kernel + ": expected scalar or vector");
        }
    }

    /** The thread count from {@code -Dthreads}, defaulting to the available processors. */
    public static int threadsFromSystemProperties() {
        return threads(System.getProperties());
    }

    private static int threads(Properties p) {
        int threads = parseInt("threads",
                p.getProperty("threads", String.valueOf(Runtime.getRuntime().availableProcessors())));
        if (threads < 1) {
            throw new IllegalArgumentException("invalid threads=" + threads + ": expected an integer >= 1");
        }
        return threads;
    }

    /** The scalar reference kernels. */
    public static Kernels scalar() {
        return new ScalarKernels();
    }

    /**
     * The Vector API kernels, using up to {@code threads} threads. {@code bits} is -1 for this JVM's width, or the
     * width the caller expects (128, 256 or 512), which must be this JVM's: the width is read once per JVM from
     * {@code -Dvector.bits} ({@link VectorWidth}), because C2 compiles vector code well only for a constant species.
     *
     * @throws IllegalArgumentException when the width is not this JVM's (the message names the flag to start the
     *                                  JVM with) or the Vector API is not loaded
     */
    public static Kernels vector(int bits, int threads) {
        if (!vectorAvailable()) {
            throw new IllegalArgumentException("the vector kernels need the Vector API: add " + VECTOR_FLAG);
        }
        Kernels kernels;
        try {
            // Loaded by name so that this class, and the scalar path, work on a JVM without the incubator module.
            Class<?> type = Class.forName("jcnn.kernels.VectorKernels");
            kernels = (Kernels) type.getConstructor(int.class).newInstance(threads);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException("cannot create the vector kernels", e.getCause());
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new IllegalStateException("cannot load the vector kernels", e);
        }
        if (bits != -1 && bits != kernels.vectorBits()) {
            throw new IllegalArgumentException("vector.bits=" + bits + " asked for, but this JVM's vector width is "
                    + kernels.vectorBits() + " bits: the width is fixed when the JVM starts; start it with"
                    + " -Dvector.bits=" + bits);
        }
        return kernels;
    }

    private static int parseInt(String property, String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid " + property + "=" + value + ": expected an integer");
        }
    }
}
