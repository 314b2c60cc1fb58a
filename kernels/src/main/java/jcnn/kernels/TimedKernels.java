package jcnn.kernels;

import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * A {@link Kernels} decorator that measures where the time goes: it forwards every call to another implementation
 * and adds the call's wall time ({@link System#nanoTime}) and a count to the call's {@link Category}.
 * <pre>{@code
 * TimedKernels timed = new TimedKernels(KernelProvider.scalar());
 * try (var scope = Engine.using(timed)) {
 *     trainer.fit(train, validation);
 * }
 * TimedKernels.Breakdown b = timed.breakdown();   // seconds and calls per category
 * }</pre>
 *
 * <p>Goals: the same breakdown for any implementation, so the scalar and vector paths can be compared side by side;
 * results bit-identical to the wrapped kernels; cheap enough to leave on for a whole training run (two
 * {@code nanoTime} reads and two array increments per call, no allocation).
 *
 * <p>Convolution is the one place where the two paths differ in shape. The vector kernels override
 * {@link #conv2dForward}/{@link #conv2dBackward} with batch-parallel versions that do im2col, GEMM and the bias
 * internally, where no wrapper can see them; the scalar kernels use the interface's composite bodies. So every
 * convolution call is timed as a whole under {@link Category#CONVOLUTION} for every implementation, which keeps the
 * top-level breakdowns comparable. When the wrapped kernels do use the composite bodies, this class runs those
 * bodies itself, so their im2col, GEMM and bias calls pass through here too and are recorded separately, as
 * {@link Breakdown#insideConvolution()}: a finer view of the convolution time, never added to the top level twice.
 *
 * <p>Non-goals: thread safety. The counters are plain fields for the thread that calls the kernels (the trainer
 * runs on one thread); kernels that use a thread pool internally are fine, because the timing wraps the whole call.
 */
public final class TimedKernels implements Kernels {

    /** Where a kernel call's time is booked. */
    public enum Category {
        CONVOLUTION("convolution (im2col + GEMM)"),
        IM2COL("im2col / col2im"),
        GEMM("GEMM"),
        BIAS("bias add / gradient"),
        POOLING("max pooling"),
        ACTIVATION("activation (ReLU)"),
        LOSS("loss (softmax cross-entropy)"),
        OPTIMIZER("optimizer (axpy, scale, Adam, norms)");

        private final String label;

        Category(String label) {
            this.label = label;
        }

        /** The name reports show. */
        public String label() {
            return label;
        }
    }

    /** The calls to one category and their total wall time. */
    public record Tally(long calls, long nanos) {
        public double seconds() {
            return nanos / 1e9;
        }
    }

    /**
     * A snapshot of the counters.
     *
     * @param kernels            the wrapped kernels' name
     * @param topLevel           every category, in declaration order: the calls made by the caller
     * @param convolutionDetail  whether the wrapped kernels use the composite convolution, so that
     *                           {@code insideConvolution} shows what the convolution time is made of
     * @param insideConvolution  the im2col, GEMM and bias calls made inside the composite convolution (all zero when
     *                           {@code convolutionDetail} is false); already included in the CONVOLUTION time
     */
    public record Breakdown(String kernels, Map<Category, Tally> topLevel, boolean convolutionDetail,
                            Map<Category, Tally> insideConvolution) {

        public Breakdown {
            topLevel = Collections.unmodifiableMap(new EnumMap<>(topLevel));
            insideConvolution = Collections.unmodifiableMap(new EnumMap<>(insideConvolution));
        }

        /** The time of all top-level kernel calls together, in seconds. */
        public double totalSeconds() {
            return topLevel.values().stream().mapToLong(Tally::nanos).sum() / 1e9;
        }
    }

    private static final Category[] CATEGORIES = Category.values();

    private final Kernels delegate;
    private final boolean compositeConvolution;
    private final long[] calls = new long[CATEGORIES.length];
    private final long[] nanos = new long[CATEGORIES.length];
    private final long[] innerCalls = new long[CATEGORIES.length];
    private final long[] innerNanos = new long[CATEGORIES.length];
    /** True while this class runs a composite convolution body: its primitive calls are booked as inner calls. */
    private boolean insideConvolution;

    public TimedKernels(Kernels delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.compositeConvolution = inheritsDefault(delegate, "conv2dForward", float[].class, float[].class,
                float[].class, float[].class, ConvShape.class)
                && inheritsDefault(delegate, "conv2dBackward", float[].class, float[].class, float[].class,
                float[].class, float[].class, float[].class, ConvShape.class);
    }

    /** Whether {@code k}'s class takes the interface's default body of a method instead of its own. */
    private static boolean inheritsDefault(Kernels k, String method, Class<?>... parameters) {
        try {
            return k.getClass().getMethod(method, parameters).getDeclaringClass() == Kernels.class;
        } catch (NoSuchMethodException e) {
            throw new AssertionError("Kernels has no method " + method, e);
        }
    }

    /** The kernels this wraps. */
    public Kernels delegate() {
        return delegate;
    }

    /** The counters so far. */
    public Breakdown breakdown() {
        Map<Category, Tally> top = new EnumMap<>(Category.class);
        Map<Category, Tally> inner = new EnumMap<>(Category.class);
        for (Category c : CATEGORIES) {
            top.put(c, new Tally(calls[c.ordinal()], nanos[c.ordinal()]));
            inner.put(c, new Tally(innerCalls[c.ordinal()], innerNanos[c.ordinal()]));
        }
        return new Breakdown(delegate.name(), top, compositeConvolution, inner);
    }

    /** Sets every counter back to zero, e.g. to time training apart from evaluation. */
    public void reset() {
        Arrays.fill(calls, 0);
        Arrays.fill(nanos, 0);
        Arrays.fill(innerCalls, 0);
        Arrays.fill(innerNanos, 0);
    }

    private void record(Category c, long start) {
        long elapsed = System.nanoTime() - start;
        int i = c.ordinal();
        if (insideConvolution) {
            innerCalls[i]++;
            innerNanos[i] += elapsed;
        } else {
            calls[i]++;
            nanos[i] += elapsed;
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Forwarded kernels, each timed under its category

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public int threads() {
        return delegate.threads();
    }

    @Override
    public void sgemm(boolean transA, boolean transB, int m, int n, int k,
                      float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float[] c, int cOff, int ldc,
                      boolean accumulate) {
        long t = System.nanoTime();
        delegate.sgemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
        record(Category.GEMM, t);
    }

    @Override
    public void im2col(float[] x, int xOff, ConvShape s, float[] col, int colOff) {
        long t = System.nanoTime();
        delegate.im2col(x, xOff, s, col, colOff);
        record(Category.IM2COL, t);
    }

    @Override
    public void col2im(float[] col, int colOff, ConvShape s, float[] dx, int dxOff) {
        long t = System.nanoTime();
        delegate.col2im(col, colOff, s, dx, dxOff);
        record(Category.IM2COL, t);
    }

    @Override
    public void biasAdd(float[] y, float[] bias, int n, int c, int spatial) {
        long t = System.nanoTime();
        delegate.biasAdd(y, bias, n, c, spatial);
        record(Category.BIAS, t);
    }

    @Override
    public void biasGrad(float[] dy, int n, int c, int spatial, float[] dbias) {
        long t = System.nanoTime();
        delegate.biasGrad(dy, n, c, spatial, dbias);
        record(Category.BIAS, t);
    }

    @Override
    public void conv2dForward(float[] x, float[] weight, float[] bias, float[] y, ConvShape s) {
        long t = System.nanoTime();
        if (compositeConvolution) {
            // The same body the wrapped kernels would run, but its im2col/sgemm/biasAdd calls come through here.
            insideConvolution = true;
            try {
                Kernels.super.conv2dForward(x, weight, bias, y, s);
            } finally {
                insideConvolution = false;
            }
        } else {
            delegate.conv2dForward(x, weight, bias, y, s);
        }
        record(Category.CONVOLUTION, t);
    }

    @Override
    public void conv2dBackward(float[] dy, float[] x, float[] weight,
                               float[] dx, float[] dweight, float[] dbias, ConvShape s) {
        long t = System.nanoTime();
        if (compositeConvolution) {
            insideConvolution = true;
            try {
                Kernels.super.conv2dBackward(dy, x, weight, dx, dweight, dbias, s);
            } finally {
                insideConvolution = false;
            }
        } else {
            delegate.conv2dBackward(dy, x, weight, dx, dweight, dbias, s);
        }
        record(Category.CONVOLUTION, t);
    }

    @Override
    public void reluForward(float[] x, float[] y, int len) {
        long t = System.nanoTime();
        delegate.reluForward(x, y, len);
        record(Category.ACTIVATION, t);
    }

    @Override
    public void reluBackward(float[] x, float[] dy, float[] dx, int len) {
        long t = System.nanoTime();
        delegate.reluBackward(x, dy, dx, len);
        record(Category.ACTIVATION, t);
    }

    @Override
    public void maxPoolForward(float[] x, PoolShape s, float[] y, int[] argmax) {
        long t = System.nanoTime();
        delegate.maxPoolForward(x, s, y, argmax);
        record(Category.POOLING, t);
    }

    @Override
    public void maxPoolBackward(float[] dy, int[] argmax, PoolShape s, float[] dx) {
        long t = System.nanoTime();
        delegate.maxPoolBackward(dy, argmax, s, dx);
        record(Category.POOLING, t);
    }

    // The fused ReLU is booked with the pooling it rides on: there is no separate call to time.
    @Override
    public void reluMaxPoolForward(float[] x, PoolShape s, float[] y, int[] argmax) {
        long t = System.nanoTime();
        delegate.reluMaxPoolForward(x, s, y, argmax);
        record(Category.POOLING, t);
    }

    @Override
    public void reluMaxPoolBackward(float[] dy, int[] argmax, float[] x, PoolShape s, float[] dx) {
        long t = System.nanoTime();
        delegate.reluMaxPoolBackward(dy, argmax, x, s, dx);
        record(Category.POOLING, t);
    }

    @Override
    public float crossEntropyForward(float[] logits, int[] target, int n, int k, float[] logProbs) {
        long t = System.nanoTime();
        float loss = delegate.crossEntropyForward(logits, target, n, k, logProbs);
        record(Category.LOSS, t);
        return loss;
    }

    @Override
    public void crossEntropyBackward(float[] logProbs, int[] target, int n, int k, float scale, float[] dlogits) {
        long t = System.nanoTime();
        delegate.crossEntropyBackward(logProbs, target, n, k, scale, dlogits);
        record(Category.LOSS, t);
    }

    @Override
    public void axpy(int len, float alpha, float[] x, float[] y) {
        long t = System.nanoTime();
        delegate.axpy(len, alpha, x, y);
        record(Category.OPTIMIZER, t);
    }

    @Override
    public void scale(int len, float alpha, float[] x) {
        long t = System.nanoTime();
        delegate.scale(len, alpha, x);
        record(Category.OPTIMIZER, t);
    }

    @Override
    public void scaleAdd(int len, float alpha, float[] y, float[] x) {
        long t = System.nanoTime();
        delegate.scaleAdd(len, alpha, y, x);
        record(Category.OPTIMIZER, t);
    }

    @Override
    public double sumOfSquares(int len, float[] x) {
        long t = System.nanoTime();
        double sum = delegate.sumOfSquares(len, x);
        record(Category.OPTIMIZER, t);
        return sum;
    }

    @Override
    public void adamUpdate(int len, float[] p, float[] g, float[] m, float[] v,
                           float lr, float beta1, float beta2, float eps, float bc1, float bc2) {
        long t = System.nanoTime();
        delegate.adamUpdate(len, p, g, m, v, lr, beta1, beta2, eps, bc1, bc2);
        record(Category.OPTIMIZER, t);
    }
}
