package jcnn.kernels;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector kernels that are not GEMM, convolution or pooling: bias, ReLU, the loss, the optimizer updates,
 * and the small vector loops the other files share ({@link #addTo}, {@link #addScalar}, {@link #sum},
 * {@link #sumLanes}). Each has its scalar twin of the same name in {@link ScalarKernels}.
 *
 * <p>Goals: full-width loads and stores with the same arithmetic as the reference wherever that is possible,
 * which makes most of these bit-identical to it (the properties check exactly that). The loop shape is the same
 * everywhere: an {@code S.loopBound(n)} main loop, independent accumulators, one reduction, a scalar tail; no
 * masks in hot loops. Additive reductions go through {@link #sumLanes}, never {@code reduceLanes(ADD)}, whose
 * order is unspecified.
 */
final class VectorElementwise {

    private static final VectorSpecies<Float> S = VectorWidth.FLOAT;
    private static final VectorSpecies<Double> D = VectorSpecies.of(double.class, S.vectorShape());
    private static final int L = S.length();

    /** The lanes of one vector, stored to be added in lane order. */
    private static final Scratch LANES = new Scratch();
    /** The reference, whose double sum is the accurate choice for a linear layer's bias gradient. */
    private static final ScalarKernels REFERENCE = new ScalarKernels();

    private VectorElementwise() {
    }

    /**
     * The sum of the lanes, in lane order. reduceLanes(ADD) leaves the order unspecified, and the interpreter and C2
     * really do differ, so a result would depend on which tier happened to run it: with threads, on timing. This is
     * one store and L - 1 adds per reduction, and reductions happen once per dot product or row, not per element.
     */
    static float sumLanes(FloatVector v) {
        float[] lanes = LANES.floats(L);
        v.intoArray(lanes, 0);
        float sum = lanes[0];
        for (int i = 1; i < L; i++) {
            sum += lanes[i];
        }
        return sum;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Elementwise: memory-bound, so the point is full-width loads and stores with the same arithmetic as the
    // scalar reference (no FMA contraction), which makes most of them bit-identical to it. Scalars are broadcast
    // once before the loop: the mul(float)-style overloads go through shared Vector API code whose type profile,
    // once polluted (as by a second width in the same JVM, when there could be one), ran 10x slower.

    static void addScalar(float[] y, int from, int to, float b) {
        FloatVector bv = FloatVector.broadcast(S, b);
        int i = from;
        for (int bound = from + S.loopBound(to - from); i < bound; i += L) {
            FloatVector.fromArray(S, y, i).add(bv).intoArray(y, i);
        }
        for (; i < to; i++) {
            y[i] += b;
        }
    }

    static void addTo(int len, float[] x, int xOff, float[] y, int yOff) {
        int i = 0;
        for (int bound = S.loopBound(len); i < bound; i += L) {
            FloatVector.fromArray(S, y, yOff + i).add(FloatVector.fromArray(S, x, xOff + i)).intoArray(y, yOff + i);
        }
        for (; i < len; i++) {
            y[yOff + i] += x[xOff + i];
        }
    }

    // Four accumulators: the adds are independent, so the loop runs at load speed, not at add latency.
    static float sum(float[] x, int from, int to) {
        FloatVector s0 = FloatVector.zero(S), s1 = FloatVector.zero(S), s2 = FloatVector.zero(S),
                s3 = FloatVector.zero(S);
        int i = from;
        for (int bound = from + S.loopBound(to - from) - 3 * L; i < bound; i += 4 * L) {
            s0 = s0.add(FloatVector.fromArray(S, x, i));
            s1 = s1.add(FloatVector.fromArray(S, x, i + L));
            s2 = s2.add(FloatVector.fromArray(S, x, i + 2 * L));
            s3 = s3.add(FloatVector.fromArray(S, x, i + 3 * L));
        }
        for (int bound = from + S.loopBound(to - from); i < bound; i += L) {
            s0 = s0.add(FloatVector.fromArray(S, x, i));
        }
        float sum = sumLanes(s0.add(s1).add(s2.add(s3)));
        for (; i < to; i++) {
            sum += x[i];
        }
        return sum;
    }

    // x > 0 ? x : 0 as a compare and blend, not max(x, 0): NaN and -0 must give +0 exactly as in the reference.
    static void reluForward(float[] x, float[] y, int len) {
        FloatVector zero = FloatVector.zero(S);
        int i = 0;
        for (int bound = S.loopBound(len); i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, i);
            zero.blend(v, v.compare(VectorOperators.GT, zero)).intoArray(y, i);
        }
        for (; i < len; i++) {
            y[i] = x[i] > 0f ? x[i] : 0f;
        }
    }

    // A masked add leaves dx untouched where x <= 0 (adding 0 would turn -0 into +0).
    static void reluBackward(float[] x, float[] dy, float[] dx, int len) {
        FloatVector zero = FloatVector.zero(S);
        int i = 0;
        for (int bound = S.loopBound(len); i < bound; i += L) {
            VectorMask<Float> pos = FloatVector.fromArray(S, x, i).compare(VectorOperators.GT, zero);
            FloatVector.fromArray(S, dx, i).add(FloatVector.fromArray(S, dy, i), pos).intoArray(dx, i);
        }
        for (; i < len; i++) {
            if (x[i] > 0f) {
                dx[i] += dy[i];
            }
        }
    }

    static float max(float[] x, int from, int to) {
        FloatVector mv = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        int i = from;
        for (int bound = from + S.loopBound(to - from); i < bound; i += L) {
            mv = mv.max(FloatVector.fromArray(S, x, i));
        }
        float max = mv.reduceLanes(VectorOperators.MAX);
        for (; i < to; i++) {
            max = Math.max(max, x[i]);
        }
        return max;
    }

    static void subtract(float[] x, float[] y, int off, int len, float s) {
        FloatVector sv = FloatVector.broadcast(S, s);
        int i = off, end = off + len;
        for (int bound = off + S.loopBound(len); i < bound; i += L) {
            FloatVector.fromArray(S, x, i).sub(sv).intoArray(y, i);
        }
        for (; i < end; i++) {
            y[i] = x[i] - s;
        }
    }

    // The optimizer's updates, over elements [from, to): each element's arithmetic is the same in a vector lane and
    // in the scalar tail, so any split of the range (VectorKernels splits large ones over the threads) gives the
    // same bits.

    static void axpy(int from, int to, float alpha, float[] x, float[] y) {
        FloatVector av = FloatVector.broadcast(S, alpha);
        int i = from;
        for (int bound = from + S.loopBound(to - from); i < bound; i += L) {
            FloatVector.fromArray(S, x, i).mul(av).add(FloatVector.fromArray(S, y, i)).intoArray(y, i);
        }
        for (; i < to; i++) {
            y[i] += alpha * x[i];
        }
    }

    static void scale(int from, int to, float alpha, float[] x) {
        FloatVector av = FloatVector.broadcast(S, alpha);
        int i = from;
        for (int bound = from + S.loopBound(to - from); i < bound; i += L) {
            FloatVector.fromArray(S, x, i).mul(av).intoArray(x, i);
        }
        for (; i < to; i++) {
            x[i] *= alpha;
        }
    }

    static void scaleAdd(int from, int to, float alpha, float[] y, float[] x) {
        FloatVector av = FloatVector.broadcast(S, alpha);
        int i = from;
        for (int bound = from + S.loopBound(to - from); i < bound; i += L) {
            FloatVector.fromArray(S, y, i).mul(av).add(FloatVector.fromArray(S, x, i)).intoArray(y, i);
        }
        for (; i < to; i++) {
            y[i] = alpha * y[i] + x[i];
        }
    }

    // Each float vector is widened into two double vectors; a float times a float is exact in double, so only the
    // order of the additions differs from the reference.
    static double sumOfSquares(int len, float[] x) {
        DoubleVector s0 = DoubleVector.zero(D), s1 = DoubleVector.zero(D);
        int i = 0;
        for (int bound = S.loopBound(len); i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, i);
            DoubleVector lo = (DoubleVector) v.convertShape(VectorOperators.F2D, D, 0);
            DoubleVector hi = (DoubleVector) v.convertShape(VectorOperators.F2D, D, 1);
            s0 = lo.fma(lo, s0);
            s1 = hi.fma(hi, s1);
        }
        // In lane order, like sumLanes: the same input always gives the same result, whatever the JIT did.
        double[] lanes = s0.add(s1).toArray();
        double sum = lanes[0];
        for (int j = 1; j < lanes.length; j++) {
            sum += lanes[j];
        }
        for (; i < len; i++) {
            sum += (double) x[i] * x[i];
        }
        return sum;
    }

    // The same operations in the same order as the reference (sqrt, divide, no FMA), so the result is identical;
    // the gain is 16 lanes of divide and square root at once.
    static void adamUpdate(int from, int to, float[] p, float[] g, float[] m, float[] v,
                           float lr, float beta1, float beta2, float eps, float bc1, float bc2) {
        float stepSize = lr / bc1;
        float sqrtBc2 = (float) Math.sqrt(bc2);
        float oneMinusBeta1 = 1 - beta1, oneMinusBeta2 = 1 - beta2;
        FloatVector b1 = FloatVector.broadcast(S, beta1), b2 = FloatVector.broadcast(S, beta2);
        FloatVector omb1 = FloatVector.broadcast(S, oneMinusBeta1), omb2 = FloatVector.broadcast(S, oneMinusBeta2);
        FloatVector step = FloatVector.broadcast(S, stepSize), sqrtBc2v = FloatVector.broadcast(S, sqrtBc2);
        FloatVector epsv = FloatVector.broadcast(S, eps);
        int i = from;
        for (int bound = from + S.loopBound(to - from); i < bound; i += L) {
            FloatVector gv = FloatVector.fromArray(S, g, i);
            FloatVector mv = FloatVector.fromArray(S, m, i).mul(b1).add(gv.mul(omb1));
            FloatVector vv = FloatVector.fromArray(S, v, i).mul(b2).add(gv.mul(omb2).mul(gv));
            FloatVector denom = vv.lanewise(VectorOperators.SQRT).div(sqrtBc2v).add(epsv);
            mv.intoArray(m, i);
            vv.intoArray(v, i);
            FloatVector.fromArray(S, p, i).sub(mv.mul(step).div(denom)).intoArray(p, i);
        }
        for (; i < to; i++) {
            m[i] = beta1 * m[i] + oneMinusBeta1 * g[i];
            v[i] = beta2 * v[i] + oneMinusBeta2 * g[i] * g[i];
            float denom = (float) Math.sqrt(v[i]) / sqrtBc2 + eps;
            p[i] -= stepSize * m[i] / denom;
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Bias

    // y (n,c,spatial) += bias (c)
    static void biasAdd(float[] y, float[] bias, int n, int c, int spatial) {
        if (spatial == 1) {
            // A linear layer: each row of y gets the whole bias vector.
            for (int i = 0; i < n; i++) {
                addTo(c, bias, 0, y, i * c);
            }
            return;
        }
        for (int i = 0; i < n; i++) {
            for (int ch = 0; ch < c; ch++) {
                int base = (i * c + ch) * spatial;
                addScalar(y, base, base + spatial, bias[ch]);
            }
        }
    }

    // dy (n,c,spatial) -> dbias (c) +=
    static void biasGrad(float[] dy, int n, int c, int spatial, float[] dbias) {
        if (spatial == 1) {
            // A linear layer: n * c adds (8,192 for fc1 at batch 64), next to a GEMM of 1568 times as many. The
            // reference sums each channel in double; whole-row vector adds summed it in one float chain of n adds,
            // 13x PyTorch's error at a batch of 4096 (docs/error-budget.md).
            REFERENCE.biasGrad(dy, n, c, spatial, dbias);
            return;
        }
        for (int ch = 0; ch < c; ch++) {
            float sum = 0f;
            for (int i = 0; i < n; i++) {
                int base = (i * c + ch) * spatial;
                sum += sum(dy, base, base + spatial);
            }
            dbias[ch] += sum;
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Loss: the vector part is the row maximum and the subtraction; exp and log stay scalar, in double like the
    // reference, because a vector exp is not worth its error analysis for ten classes.

    // logits (n,k), target (n) -> logProbs (n,k); returns the mean loss
    static float crossEntropyForward(float[] logits, int[] target, int n, int k, float[] logProbs) {
        double total = 0;
        for (int i = 0; i < n; i++) {
            int row = i * k;
            float max = max(logits, row, row + k);
            double sumExp = 0;
            for (int j = 0; j < k; j++) {
                sumExp += Math.exp(logits[row + j] - max);
            }
            // (x - max) - log(sumExp), as the reference does and for its reason (accuracy at large logits).
            float logSum = (float) Math.log(sumExp);
            subtract(logits, logProbs, row, k, max);
            subtract(logProbs, logProbs, row, k, logSum);
            total -= logProbs[row + target[i]];
        }
        return (float) (total / n);
    }

    // x (len), mask (len) -> y (len) = x * mask: the reference's one multiply, full width
    static void dropoutForward(float[] x, float[] mask, float[] y, int len) {
        int i = 0;
        for (int bound = S.loopBound(len); i < bound; i += L) {
            FloatVector.fromArray(S, x, i).mul(FloatVector.fromArray(S, mask, i)).intoArray(y, i);
        }
        for (; i < len; i++) {
            y[i] = x[i] * mask[i];
        }
    }

    // dy (len), mask (len) -> dx (len) += dy * mask: a multiply then an add, as the reference (no FMA)
    static void dropoutBackward(float[] dy, float[] mask, float[] dx, int len) {
        int i = 0;
        for (int bound = S.loopBound(len); i < bound; i += L) {
            FloatVector d = FloatVector.fromArray(S, dy, i).mul(FloatVector.fromArray(S, mask, i));
            FloatVector.fromArray(S, dx, i).add(d).intoArray(dx, i);
        }
        for (; i < len; i++) {
            dx[i] += dy[i] * mask[i];
        }
    }
}
