package jcnn.kernels;

import java.util.concurrent.atomic.AtomicLongArray;
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
 * {@code nanoTime} reads and two atomic adds per call, no allocation).
 *
 * <p>Uniform: every method times one call to the same method of the wrapped kernels and nothing else, so it
 * knows nothing of the implementation it wraps. A convolution is booked as a whole under
 * {@link Category#CONVOLUTION}; the im2col, GEMM and bias work inside it is part of that time, and the GEMM, im2col
 * and bias categories count only the calls made outside convolutions (the linear layers, for instance).
 *
 * <p>Threads: the counters are atomic, because a training step runs its chunks' kernels on several threads at
 * once ({@code jcnn.training.BatchGradient}); each call's time is added, so at several threads a category's
 * seconds are thread-seconds and may exceed the wall time. Kernels that use the thread pool inside one call are
 * timed once, as a whole.
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
        AVERAGE_POOLING("average pooling"),
        NORMALIZATION("batch normalisation"),
        DROPOUT("dropout"),
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
     * @param kernels  the wrapped kernels' name
     * @param topLevel every category, in declaration order: the calls made by the caller
     */
    public record Breakdown(String kernels, Map<Category, Tally> topLevel) {

        public Breakdown {
            topLevel = Collections.unmodifiableMap(new EnumMap<>(topLevel));
        }

        /** The time of all top-level kernel calls together, in seconds. */
        public double totalSeconds() {
            return topLevel.values().stream().mapToLong(Tally::nanos).sum() / 1e9;
        }
    }

    private static final Category[] CATEGORIES = Category.values();

    private final Kernels delegate;
    /**
     * Per category; atomic because a training step's chunks call kernels from several threads at once (their
     * times add up: at two threads a category's seconds are thread-seconds, up to twice the wall time).
     */
    private final AtomicLongArray calls = new AtomicLongArray(CATEGORIES.length);
    private final AtomicLongArray nanos = new AtomicLongArray(CATEGORIES.length);

    public TimedKernels(Kernels delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /** The kernels this wraps. */
    public Kernels delegate() {
        return delegate;
    }

    /** The counters so far. */
    public Breakdown breakdown() {
        Map<Category, Tally> top = new EnumMap<>(Category.class);
        for (Category c : CATEGORIES) {
            top.put(c, new Tally(calls.get(c.ordinal()), nanos.get(c.ordinal())));
        }
        return new Breakdown(delegate.name(), top);
    }

    /** Sets every counter back to zero, e.g. to time training apart from evaluation. */
    public void reset() {
        for (int i = 0; i < CATEGORIES.length; i++) {
            calls.set(i, 0);
            nanos.set(i, 0);
        }
    }

    private void record(Category c, long start) {
        long elapsed = System.nanoTime() - start;
        calls.incrementAndGet(c.ordinal());
        nanos.addAndGet(c.ordinal(), elapsed);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Forwarded kernels, each timed under its category

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public int vectorBits() {
        return delegate.vectorBits();
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
        delegate.conv2dForward(x, weight, bias, y, s);
        record(Category.CONVOLUTION, t);
    }

    @Override
    public void conv2dBackward(float[] dy, float[] x, float[] weight,
                               float[] dx, float[] dweight, float[] dbias, ConvShape s) {
        long t = System.nanoTime();
        delegate.conv2dBackward(dy, x, weight, dx, dweight, dbias, s);
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
    public void reluMaxPoolBackwardAssign(float[] dy, int[] argmax, float[] y, PoolShape s, float[] dx) {
        long t = System.nanoTime();
        delegate.reluMaxPoolBackwardAssign(dy, argmax, y, s, dx);
        record(Category.POOLING, t);
    }

    @Override
    public void avgPoolForward(float[] x, PoolShape s, float[] y) {
        long t = System.nanoTime();
        delegate.avgPoolForward(x, s, y);
        record(Category.AVERAGE_POOLING, t);
    }

    @Override
    public void avgPoolBackward(float[] dy, PoolShape s, float[] dx) {
        long t = System.nanoTime();
        delegate.avgPoolBackward(dy, s, dx);
        record(Category.AVERAGE_POOLING, t);
    }

    @Override
    public void globalAvgPoolForward(float[] x, int planes, int spatial, float[] y) {
        long t = System.nanoTime();
        delegate.globalAvgPoolForward(x, planes, spatial, y);
        record(Category.AVERAGE_POOLING, t);
    }

    @Override
    public void globalAvgPoolBackward(float[] dy, int planes, int spatial, float[] dx) {
        long t = System.nanoTime();
        delegate.globalAvgPoolBackward(dy, planes, spatial, dx);
        record(Category.AVERAGE_POOLING, t);
    }

    @Override
    public void batchNormStatistics(float[] x, int n, int c, int spatial, float[] mean, float[] var) {
        long t = System.nanoTime();
        delegate.batchNormStatistics(x, n, c, spatial, mean, var);
        record(Category.NORMALIZATION, t);
    }

    @Override
    public void batchNormForward(float[] x, int n, int c, int spatial, float[] mean, float[] invStd,
                                 float[] gamma, float[] beta, float[] y) {
        long t = System.nanoTime();
        delegate.batchNormForward(x, n, c, spatial, mean, invStd, gamma, beta, y);
        record(Category.NORMALIZATION, t);
    }

    @Override
    public void batchNormBackward(float[] dy, float[] x, int n, int c, int spatial, float[] mean, float[] invStd,
                                  float[] gamma, boolean batchStatistics, float[] dx, float[] dgamma,
                                  float[] dbeta) {
        long t = System.nanoTime();
        delegate.batchNormBackward(dy, x, n, c, spatial, mean, invStd, gamma, batchStatistics, dx, dgamma, dbeta);
        record(Category.NORMALIZATION, t);
    }

    @Override
    public void dropoutForward(float[] x, float[] mask, float[] y, int len) {
        long t = System.nanoTime();
        delegate.dropoutForward(x, mask, y, len);
        record(Category.DROPOUT, t);
    }

    @Override
    public void dropoutBackward(float[] dy, float[] mask, float[] dx, int len) {
        long t = System.nanoTime();
        delegate.dropoutBackward(dy, mask, dx, len);
        record(Category.DROPOUT, t);
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
