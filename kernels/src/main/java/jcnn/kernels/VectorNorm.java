package jcnn.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Batch normalisation and global average pooling in SIMD: per-channel (or per-plane) reductions and one
 * normalise-and-scale pass; {@link VectorKernels} delegates here.
 *
 * <p>Why it is fast: both layers are memory-bound sweeps over an activation. The reductions run over one
 * contiguous (h*w) plane at a time with {@link VectorElementwise#sum}'s four independent vector accumulators (the
 * adds do not wait on each other), and each plane's float sum is added into the channel's double total, so a
 * channel of 64 images x 784 pixels is 64 short float sums and 64 double adds rather than 50,176 dependent scalar
 * adds. The normalise pass is a subtract, a multiply and an add per element with the channel's mean, scale and
 * shift broadcast once per plane: the reference's arithmetic in the reference's order (no FMA), so the forward pass is
 * bit-identical to {@link ScalarKernels#batchNormForward} given the same statistics.
 *
 * <p>Determinism: the statistics and the gradient sums of a channel are computed by one thread, image by image,
 * and the normalise passes write disjoint planes, so no result depends on the thread count. Small tensors (under
 * 64K elements) stay on the calling thread: the hand-off would cost more than the sweep.
 */
final class VectorNorm {

    private static final VectorSpecies<Float> S = VectorWidth.FLOAT;
    private static final int L = S.length();

    private VectorNorm() {
    }

    private static int threadsFor(long elements, int threads) {
        return elements < 1 << 16 ? 1 : threads;
    }

    // x (n,c,spatial) -> mean (c), var (c): channels across threads, each channel's planes in order
    static void batchNormStatistics(float[] x, int n, int c, int spatial, float[] mean, float[] var, int threads) {
        double count = (double) n * spatial;
        Parallel.forRange(threadsFor((long) n * c * spatial, threads), c, (from, to) -> {
            for (int ch = from; ch < to; ch++) {
                // Summed about the channel's first value: float lanes summing values of 100 with a spread of 0.01
                // lose the spread (the reference's double sum does not); shifted, the terms are the spread itself.
                float shift = x[ch * spatial];
                double sum = 0;
                for (int i = 0; i < n; i++) {
                    int base = (i * c + ch) * spatial;
                    sum += sumOfDifferences(x, base, base + spatial, shift);
                }
                float mu = (float) (shift + sum / count);
                double squares = 0;
                for (int i = 0; i < n; i++) {
                    int base = (i * c + ch) * spatial;
                    squares += sumOfSquaredDifferences(x, base, base + spatial, mu);
                }
                mean[ch] = mu;
                var[ch] = (float) (squares / count);
            }
        });
    }

    /** The sum of x[i] - shift over [from, to), two independent accumulators. */
    private static float sumOfDifferences(float[] x, int from, int to, float shift) {
        FloatVector m = FloatVector.broadcast(S, shift);
        FloatVector s0 = FloatVector.zero(S), s1 = FloatVector.zero(S);
        int i = from;
        for (int bound = from + S.loopBound(to - from) - L; i < bound; i += 2 * L) {
            s0 = s0.add(FloatVector.fromArray(S, x, i).sub(m));
            s1 = s1.add(FloatVector.fromArray(S, x, i + L).sub(m));
        }
        for (int bound = from + S.loopBound(to - from); i < bound; i += L) {
            s0 = s0.add(FloatVector.fromArray(S, x, i).sub(m));
        }
        float sum = VectorElementwise.sumLanes(s0.add(s1));
        for (; i < to; i++) {
            sum += x[i] - shift;
        }
        return sum;
    }

    /** The sum of (x[i] - mu)^2 over [from, to), two independent accumulators. */
    private static float sumOfSquaredDifferences(float[] x, int from, int to, float mu) {
        FloatVector m = FloatVector.broadcast(S, mu);
        FloatVector s0 = FloatVector.zero(S), s1 = FloatVector.zero(S);
        int i = from;
        for (int bound = from + S.loopBound(to - from) - L; i < bound; i += 2 * L) {
            FloatVector d0 = FloatVector.fromArray(S, x, i).sub(m), d1 = FloatVector.fromArray(S, x, i + L).sub(m);
            s0 = s0.add(d0.mul(d0));
            s1 = s1.add(d1.mul(d1));
        }
        for (int bound = from + S.loopBound(to - from); i < bound; i += L) {
            FloatVector d = FloatVector.fromArray(S, x, i).sub(m);
            s0 = s0.add(d.mul(d));
        }
        float sum = VectorElementwise.sumLanes(s0.add(s1));
        for (; i < to; i++) {
            float d = x[i] - mu;
            sum += d * d;
        }
        return sum;
    }

    // x (n,c,spatial), mean, invStd, gamma, beta (c) -> y = (x - mean) * a + beta: planes across threads
    static void batchNormForward(float[] x, int n, int c, int spatial, float[] mean, float[] invStd,
                                 float[] gamma, float[] beta, float[] y, int threads) {
        Parallel.forRange(threadsFor((long) n * c * spatial, threads), n * c, (from, to) -> {
            for (int plane = from; plane < to; plane++) {
                int ch = plane % c, base = plane * spatial;
                float a = gamma[ch] * invStd[ch], mu = mean[ch], b = beta[ch];
                FloatVector av = FloatVector.broadcast(S, a), mv = FloatVector.broadcast(S, mu),
                        bv = FloatVector.broadcast(S, b);
                int p = 0;
                for (int bound = S.loopBound(spatial); p < bound; p += L) {
                    FloatVector.fromArray(S, x, base + p).sub(mv).mul(av).add(bv).intoArray(y, base + p);
                }
                for (; p < spatial; p++) {
                    y[base + p] = (x[base + p] - mu) * a + b;
                }
            }
        });
    }

    // dy, x (n,c,spatial), mean, invStd, gamma (c) -> dx +=, dgamma +=, dbeta +=: channels across threads
    static void batchNormBackward(float[] dy, float[] x, int n, int c, int spatial, float[] mean, float[] invStd,
                                  float[] gamma, boolean batchStatistics, float[] dx, float[] dgamma,
                                  float[] dbeta, int threads) {
        double count = (double) n * spatial;
        Parallel.forRange(threadsFor((long) n * c * spatial, threads), c, (from, to) -> {
            for (int ch = from; ch < to; ch++) {
                FloatVector mu = FloatVector.broadcast(S, mean[ch]), is = FloatVector.broadcast(S, invStd[ch]);
                double sumDy = 0, sumDyXhat = 0;
                for (int i = 0; i < n; i++) {
                    int base = (i * c + ch) * spatial;
                    FloatVector sd = FloatVector.zero(S), sdx = FloatVector.zero(S);
                    int p = 0;
                    for (int bound = S.loopBound(spatial); p < bound; p += L) {
                        FloatVector g = FloatVector.fromArray(S, dy, base + p);
                        FloatVector xhat = FloatVector.fromArray(S, x, base + p).sub(mu).mul(is);
                        sd = sd.add(g);
                        sdx = sdx.add(g.mul(xhat));
                    }
                    float plainDy = VectorElementwise.sumLanes(sd), plainDyXhat = VectorElementwise.sumLanes(sdx);
                    for (; p < spatial; p++) {
                        float xhat = (x[base + p] - mean[ch]) * invStd[ch];
                        plainDy += dy[base + p];
                        plainDyXhat += dy[base + p] * xhat;
                    }
                    sumDy += plainDy;
                    sumDyXhat += plainDyXhat;
                }
                if (dgamma != null) {
                    dgamma[ch] += (float) sumDyXhat;
                }
                if (dbeta != null) {
                    dbeta[ch] += (float) sumDy;
                }
                if (dx == null) {
                    continue;
                }
                float k = gamma[ch] * invStd[ch];
                float meanDy = batchStatistics ? (float) (sumDy / count) : 0f;
                float meanDyXhat = batchStatistics ? (float) (sumDyXhat / count) : 0f;
                FloatVector kv = FloatVector.broadcast(S, k), m1 = FloatVector.broadcast(S, meanDy),
                        m2 = FloatVector.broadcast(S, meanDyXhat);
                for (int i = 0; i < n; i++) {
                    int base = (i * c + ch) * spatial;
                    int p = 0;
                    for (int bound = S.loopBound(spatial); p < bound; p += L) {
                        FloatVector xhat = FloatVector.fromArray(S, x, base + p).sub(mu).mul(is);
                        FloatVector g = FloatVector.fromArray(S, dy, base + p).sub(m1).sub(xhat.mul(m2));
                        FloatVector.fromArray(S, dx, base + p).add(kv.mul(g)).intoArray(dx, base + p);
                    }
                    for (; p < spatial; p++) {
                        float xhat = (x[base + p] - mean[ch]) * invStd[ch];
                        dx[base + p] += k * (dy[base + p] - meanDy - xhat * meanDyXhat);
                    }
                }
            }
        });
    }

    // x (planes, spatial) -> y (planes): each plane's vector sum, divided once
    static void globalAvgPoolForward(float[] x, int planes, int spatial, float[] y, int threads) {
        Parallel.forRange(threadsFor((long) planes * spatial, threads), planes, (from, to) -> {
            for (int p = from; p < to; p++) {
                y[p] = (float) ((double) VectorElementwise.sum(x, p * spatial, (p + 1) * spatial) / spatial);
            }
        });
    }

    // dy (planes) -> dx (planes, spatial) += dy / spatial: the reference's g, broadcast
    static void globalAvgPoolBackward(float[] dy, int planes, int spatial, float[] dx, int threads) {
        Parallel.forRange(threadsFor((long) planes * spatial, threads), planes, (from, to) -> {
            for (int p = from; p < to; p++) {
                VectorElementwise.addScalar(dx, p * spatial, (p + 1) * spatial, dy[p] / spatial);
            }
        });
    }
}
