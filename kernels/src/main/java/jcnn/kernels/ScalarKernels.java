package jcnn.kernels;

/**
 * The reference kernels: plain loops, one thread, written to be read. They are the test oracle for every faster
 * implementation, the teaching text, and the fallback when the Vector API is not available.
 *
 * <p>Non-goals: speed. The loops are ordered so that the innermost one walks memory contiguously (the i-k-j order
 * for GEMM), because that costs no readability, but nothing here is blocked, unrolled or threaded.
 *
 * <p>Accuracy is a goal: the long sums (GEMM, bias gradient, softmax) accumulate in double and round to float once,
 * which keeps the reference at least as close to the exact answer as PyTorch's float32 on every op (core's
 * ErrorBudgetTest, docs/error-budget.md). A product of two floats is exact in double, and adding k of them in
 * double costs about k * 2^-53 relative, far below the 2^-24 of the final rounding for any k a CNN has.
 */
public final class ScalarKernels implements Kernels {

    /** Each thread's im2col of the image it is working on: (c*kh*kw, oh*ow). */
    private static final Scratch COLUMNS = new Scratch();
    /** One plane of the ReLU output's gradient, in the fused ReLU + pooling backward. */
    private static final Scratch RELU_GRADIENT_PLANE = new Scratch();

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public int vectorBits() {
        return 0;
    }

    @Override
    public int threads() {
        return 1;
    }

    // A (m,k) or A^T, B (k,n) or B^T -> C (m,n)
    @Override
    public void sgemm(boolean transA, boolean transB, int m, int n, int k,
                      float[] a, int aOff, int lda,
                      float[] b, int bOff, int ldb,
                      float[] c, int cOff, int ldc,
                      boolean accumulate) {
        // One row of C at a time, summed in double: in float, each of the k additions rounded the growing sum
        // again, and 4096-term dot products came out 4-9x further from the exact answer than PyTorch's.
        double[] sum = new double[n];
        for (int i = 0; i < m; i++) {
            int ci = cOff + i * ldc;
            for (int j = 0; j < n; j++) {
                sum[j] = accumulate ? c[ci + j] : 0;
            }
            for (int p = 0; p < k; p++) {
                double aip = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                if (transB) {
                    for (int j = 0; j < n; j++) {
                        sum[j] += aip * b[bOff + j * ldb + p];
                    }
                } else {
                    int bp = bOff + p * ldb;
                    for (int j = 0; j < n; j++) {
                        sum[j] += aip * b[bp + j];
                    }
                }
            }
            for (int j = 0; j < n; j++) {
                c[ci + j] = (float) sum[j];
            }
        }
    }

    // x (c,h,w) -> col (c*kh*kw, oh*ow)
    @Override
    public void im2col(float[] x, int xOff, ConvShape s, float[] col, int colOff) {
        int oh = s.oh(), ow = s.ow();
        int row = 0;
        for (int ci = 0; ci < s.c(); ci++) {
            for (int i = 0; i < s.kh(); i++) {
                for (int j = 0; j < s.kw(); j++, row++) {
                    int out = colOff + row * oh * ow;
                    for (int y = 0; y < oh; y++) {
                        int iy = y * s.stride() - s.pad() + i;
                        for (int xo = 0; xo < ow; xo++) {
                            int ix = xo * s.stride() - s.pad() + j;
                            boolean inside = iy >= 0 && iy < s.h() && ix >= 0 && ix < s.w();
                            col[out++] = inside ? x[xOff + (ci * s.h() + iy) * s.w() + ix] : 0f;
                        }
                    }
                }
            }
        }
    }

    // col (c*kh*kw, oh*ow) -> dx (c,h,w) +=
    @Override
    public void col2im(float[] col, int colOff, ConvShape s, float[] dx, int dxOff) {
        int oh = s.oh(), ow = s.ow();
        int row = 0;
        for (int ci = 0; ci < s.c(); ci++) {
            for (int i = 0; i < s.kh(); i++) {
                for (int j = 0; j < s.kw(); j++, row++) {
                    int in = colOff + row * oh * ow;
                    for (int y = 0; y < oh; y++) {
                        int iy = y * s.stride() - s.pad() + i;
                        for (int xo = 0; xo < ow; xo++, in++) {
                            int ix = xo * s.stride() - s.pad() + j;
                            if (iy >= 0 && iy < s.h() && ix >= 0 && ix < s.w()) {
                                dx[dxOff + (ci * s.h() + iy) * s.w() + ix] += col[in];
                            }
                        }
                    }
                }
            }
        }
    }

    // y (n,c,spatial) += bias (c)
    @Override
    public void biasAdd(float[] y, float[] bias, int n, int c, int spatial) {
        for (int i = 0; i < n; i++) {
            for (int ch = 0; ch < c; ch++) {
                int base = (i * c + ch) * spatial;
                for (int p = 0; p < spatial; p++) {
                    y[base + p] += bias[ch];
                }
            }
        }
    }

    // dy (n,c,spatial) -> dbias (c) +=
    @Override
    public void biasGrad(float[] dy, int n, int c, int spatial, float[] dbias) {
        // n * spatial terms per channel (50,176 for the seed's conv1 at batch 64): summed in double.
        for (int ch = 0; ch < c; ch++) {
            double sum = dbias[ch];
            for (int i = 0; i < n; i++) {
                int base = (i * c + ch) * spatial;
                for (int p = 0; p < spatial; p++) {
                    sum += dy[base + p];
                }
            }
            dbias[ch] = (float) sum;
        }
    }

    // x (n,c,h,w), weight (o,c,kh,kw), bias (o) or null -> y (n,o,oh,ow)
    // Per image: y_i (o, oh*ow) = weight (o, c*kh*kw) . im2col(x_i) (c*kh*kw, oh*ow), then the bias.
    @Override
    public void conv2dForward(float[] x, float[] weight, float[] bias, float[] y, ConvShape s) {
        int rows = s.colRows(), cols = s.colCols();
        float[] col = COLUMNS.floats(rows * cols);
        for (int i = 0; i < s.n(); i++) {
            im2col(x, i * s.c() * s.h() * s.w(), s, col, 0);
            sgemm(false, false, s.o(), cols, rows, weight, 0, rows, col, 0, cols,
                    y, i * s.o() * cols, cols, false);
        }
        if (bias != null) {
            biasAdd(y, bias, s.n(), s.o(), cols);
        }
    }

    // dy (n,o,oh,ow), x (n,c,h,w), weight (o,c,kh,kw) -> dx +=, dweight +=, dbias += (each may be null)
    // Per image: dweight += dy_i . im2col(x_i)^T; dx_i += col2im(weight^T . dy_i).
    @Override
    public void conv2dBackward(float[] dy, float[] x, float[] weight,
                               float[] dx, float[] dweight, float[] dbias, ConvShape s) {
        int rows = s.colRows(), cols = s.colCols();
        float[] col = COLUMNS.floats(rows * cols);
        for (int i = 0; i < s.n(); i++) {
            int xOff = i * s.c() * s.h() * s.w();
            int yOff = i * s.o() * cols;
            if (dweight != null) {
                im2col(x, xOff, s, col, 0);
                sgemm(false, true, s.o(), rows, cols, dy, yOff, cols, col, 0, cols, dweight, 0, rows, true);
            }
            if (dx != null) {
                sgemm(true, false, rows, cols, s.o(), weight, 0, rows, dy, yOff, cols, col, 0, cols, false);
                col2im(col, 0, s, dx, xOff);
            }
        }
        if (dbias != null) {
            biasGrad(dy, s.n(), s.o(), cols, dbias);
        }
    }

    // x (len) -> y (len)
    @Override
    public void reluForward(float[] x, float[] y, int len) {
        for (int i = 0; i < len; i++) {
            y[i] = x[i] > 0f ? x[i] : 0f;
        }
    }

    // x (len), dy (len) -> dx (len) +=
    @Override
    public void reluBackward(float[] x, float[] dy, float[] dx, int len) {
        for (int i = 0; i < len; i++) {
            if (x[i] > 0f) {
                dx[i] += dy[i];
            }
        }
    }

    // x (n,c,h,w) -> y (n,c,oh,ow), argmax (n,c,oh,ow)
    @Override
    public void maxPoolForward(float[] x, PoolShape s, float[] y, int[] argmax) {
        int oh = s.oh(), ow = s.ow(), plane = s.h() * s.w();
        int out = 0;
        for (int nc = 0; nc < s.n() * s.c(); nc++) {
            int base = nc * plane;
            for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++, out++) {
                    int best = (oy * s.stride()) * s.w() + ox * s.stride();
                    float max = x[base + best];
                    for (int i = 0; i < s.k(); i++) {
                        for (int j = 0; j < s.k(); j++) {
                            int idx = (oy * s.stride() + i) * s.w() + ox * s.stride() + j;
                            float v = x[base + idx];
                            // Strictly greater keeps the first maximum; a NaN wins and then stays.
                            if (v > max || (Float.isNaN(v) && !Float.isNaN(max))) {
                                max = v;
                                best = idx;
                            }
                        }
                    }
                    y[out] = max;
                    argmax[out] = best;
                }
            }
        }
    }

    // dy (n,c,oh,ow), argmax -> dx (n,c,h,w) +=
    @Override
    public void maxPoolBackward(float[] dy, int[] argmax, PoolShape s, float[] dx) {
        int outPlane = s.oh() * s.ow(), plane = s.h() * s.w();
        for (int nc = 0; nc < s.n() * s.c(); nc++) {
            for (int p = 0; p < outPlane; p++) {
                int out = nc * outPlane + p;
                dx[nc * plane + argmax[out]] += dy[out];
            }
        }
    }

    // x (n,c,h,w) -> y (n,c,oh,ow), argmax (n,c,oh,ow): maxPoolForward of reluForward(x), window by window
    @Override
    public void reluMaxPoolForward(float[] x, PoolShape s, float[] y, int[] argmax) {
        int oh = s.oh(), ow = s.ow(), plane = s.h() * s.w();
        int out = 0;
        for (int nc = 0; nc < s.n() * s.c(); nc++) {
            int base = nc * plane;
            for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++, out++) {
                    int best = (oy * s.stride()) * s.w() + ox * s.stride();
                    float max = relu(x[base + best]);
                    for (int i = 0; i < s.k(); i++) {
                        for (int j = 0; j < s.k(); j++) {
                            int idx = (oy * s.stride() + i) * s.w() + ox * s.stride() + j;
                            float v = relu(x[base + idx]);
                            if (v > max) {   // the rectified values hold no NaN: first maximum wins
                                max = v;
                                best = idx;
                            }
                        }
                    }
                    y[out] = max;
                    argmax[out] = best;
                }
            }
        }
    }

    private static float relu(float v) {
        return v > 0f ? v : 0f;
    }

    // dy (n,c,oh,ow), argmax, x (n,c,h,w) -> dx (n,c,h,w) +=
    @Override
    public void reluMaxPoolBackward(float[] dy, int[] argmax, float[] x, PoolShape s, float[] dx) {
        int outPlane = s.oh() * s.ow(), plane = s.h() * s.w();
        // Plane by plane, the ReLU output's gradient as the unfused ops build it: zeros, dy added at each
        // window's maximum (in output order), then passed on where x > 0.
        float[] dRelu = RELU_GRADIENT_PLANE.floats(plane);
        for (int nc = 0; nc < s.n() * s.c(); nc++) {
            java.util.Arrays.fill(dRelu, 0, plane, 0f);
            for (int p = 0; p < outPlane; p++) {
                int out = nc * outPlane + p;
                dRelu[argmax[out]] += dy[out];
            }
            int base = nc * plane;
            for (int i = 0; i < plane; i++) {
                if (x[base + i] > 0f) {
                    dx[base + i] += dRelu[i];
                }
            }
        }
    }

    // dy (n,c,oh,ow), argmax, y (n,c,oh,ow) -> dx (n,c,h,w) =
    @Override
    public void reluMaxPoolBackwardAssign(float[] dy, int[] argmax, float[] y, PoolShape s, float[] dx) {
        int outPlane = s.oh() * s.ow(), plane = s.h() * s.w();
        // What reluMaxPoolBackward adds into zeros: dy summed at each maximum in output order, where the
        // window's maximum is above zero (there relu'(x) = 1; elsewhere dx stays +0).
        java.util.Arrays.fill(dx, 0, s.n() * s.c() * plane, 0f);
        for (int nc = 0; nc < s.n() * s.c(); nc++) {
            for (int p = 0; p < outPlane; p++) {
                int out = nc * outPlane + p;
                if (y[out] > 0f) {
                    dx[nc * plane + argmax[out]] += dy[out];
                }
            }
        }
    }

    // x (n,c,h,w) -> y (n,c,oh,ow): the window's sum in row-major order, divided by k*k
    @Override
    public void avgPoolForward(float[] x, PoolShape s, float[] y) {
        int oh = s.oh(), ow = s.ow(), plane = s.h() * s.w();
        float count = s.k() * s.k();
        int out = 0;
        for (int nc = 0; nc < s.n() * s.c(); nc++) {
            int base = nc * plane;
            for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++, out++) {
                    float sum = 0f;
                    for (int i = 0; i < s.k(); i++) {
                        for (int j = 0; j < s.k(); j++) {
                            sum += x[base + (oy * s.stride() + i) * s.w() + ox * s.stride() + j];
                        }
                    }
                    y[out] = sum / count;
                }
            }
        }
    }

    // dy (n,c,oh,ow) -> dx (n,c,h,w) += dy / (k*k) over each window
    @Override
    public void avgPoolBackward(float[] dy, PoolShape s, float[] dx) {
        int oh = s.oh(), ow = s.ow(), plane = s.h() * s.w();
        float count = s.k() * s.k();
        int out = 0;
        for (int nc = 0; nc < s.n() * s.c(); nc++) {
            int base = nc * plane;
            for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++, out++) {
                    float g = dy[out] / count;
                    for (int i = 0; i < s.k(); i++) {
                        for (int j = 0; j < s.k(); j++) {
                            dx[base + (oy * s.stride() + i) * s.w() + ox * s.stride() + j] += g;
                        }
                    }
                }
            }
        }
    }

    // x (planes, spatial) -> y (planes): each plane's mean, summed in double
    @Override
    public void globalAvgPoolForward(float[] x, int planes, int spatial, float[] y) {
        for (int p = 0; p < planes; p++) {
            double sum = 0;
            for (int i = 0; i < spatial; i++) {
                sum += x[p * spatial + i];
            }
            y[p] = (float) (sum / spatial);
        }
    }

    // dy (planes) -> dx (planes, spatial) +=
    @Override
    public void globalAvgPoolBackward(float[] dy, int planes, int spatial, float[] dx) {
        for (int p = 0; p < planes; p++) {
            float g = dy[p] / spatial;
            for (int i = 0; i < spatial; i++) {
                dx[p * spatial + i] += g;
            }
        }
    }

    // x (n,c,spatial) -> mean (c), var (c), biased; two passes, each sum in double, image by image
    @Override
    public void batchNormStatistics(float[] x, int n, int c, int spatial, float[] mean, float[] var) {
        double count = (double) n * spatial;
        for (int ch = 0; ch < c; ch++) {
            double sum = 0;
            for (int i = 0; i < n; i++) {
                int base = (i * c + ch) * spatial;
                for (int p = 0; p < spatial; p++) {
                    sum += x[base + p];
                }
            }
            double mu = sum / count;
            double squares = 0;
            for (int i = 0; i < n; i++) {
                int base = (i * c + ch) * spatial;
                for (int p = 0; p < spatial; p++) {
                    double d = x[base + p] - mu;
                    squares += d * d;
                }
            }
            mean[ch] = (float) mu;
            var[ch] = (float) (squares / count);
        }
    }

    // x (n,c,spatial), mean, invStd, gamma, beta (c) -> y (n,c,spatial) = (x - mean) * a + beta
    @Override
    public void batchNormForward(float[] x, int n, int c, int spatial, float[] mean, float[] invStd,
                                 float[] gamma, float[] beta, float[] y) {
        for (int i = 0; i < n; i++) {
            for (int ch = 0; ch < c; ch++) {
                // The mean first: folded into one shift, x * a + (beta - mean * a) cancels catastrophically when
                // the mean is large against the spread (mean 100, standard deviation 0.01: errors of 1e-3).
                float a = gamma[ch] * invStd[ch];
                int base = (i * c + ch) * spatial;
                for (int p = 0; p < spatial; p++) {
                    y[base + p] = (x[base + p] - mean[ch]) * a + beta[ch];
                }
            }
        }
    }

    // dy, x (n,c,spatial), mean, invStd, gamma (c) -> dx (n,c,spatial) +=, dgamma (c) +=, dbeta (c) +=
    @Override
    public void batchNormBackward(float[] dy, float[] x, int n, int c, int spatial, float[] mean, float[] invStd,
                                  float[] gamma, boolean batchStatistics, float[] dx, float[] dgamma,
                                  float[] dbeta) {
        double count = (double) n * spatial;
        for (int ch = 0; ch < c; ch++) {
            double sumDy = 0, sumDyXhat = 0;
            for (int i = 0; i < n; i++) {
                int base = (i * c + ch) * spatial;
                for (int p = 0; p < spatial; p++) {
                    float xhat = (x[base + p] - mean[ch]) * invStd[ch];
                    sumDy += dy[base + p];
                    sumDyXhat += (double) dy[base + p] * xhat;
                }
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
            // Through the batch's mean and variance, dy loses its mean and its component along xhat.
            float meanDy = batchStatistics ? (float) (sumDy / count) : 0f;
            float meanDyXhat = batchStatistics ? (float) (sumDyXhat / count) : 0f;
            for (int i = 0; i < n; i++) {
                int base = (i * c + ch) * spatial;
                for (int p = 0; p < spatial; p++) {
                    float xhat = (x[base + p] - mean[ch]) * invStd[ch];
                    dx[base + p] += k * (dy[base + p] - meanDy - xhat * meanDyXhat);
                }
            }
        }
    }

    // x (len), mask (len) -> y (len)
    @Override
    public void dropoutForward(float[] x, float[] mask, float[] y, int len) {
        for (int i = 0; i < len; i++) {
            y[i] = x[i] * mask[i];
        }
    }

    // dy (len), mask (len) -> dx (len) +=
    @Override
    public void dropoutBackward(float[] dy, float[] mask, float[] dx, int len) {
        for (int i = 0; i < len; i++) {
            dx[i] += dy[i] * mask[i];
        }
    }

    // logits (n,k), target (n) -> logProbs (n,k); returns the mean loss
    @Override
    public float crossEntropyForward(float[] logits, int[] target, int n, int k, float[] logProbs) {
        double total = 0;
        for (int i = 0; i < n; i++) {
            int row = i * k;
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < k; j++) {
                max = Math.max(max, logits[row + j]);
            }
            double sumExp = 0;
            for (int j = 0; j < k; j++) {
                sumExp += Math.exp(logits[row + j] - max);
            }
            // (x - max) - log(sumExp), not x - (max + log(sumExp)): rounding max + log(sumExp) to float costs half
            // an ulp of max in every log-probability, hence in every softmax value of the gradient (at logits of
            // 80, 55x PyTorch's error); x - max is exact near the maximum and log(sumExp) is small there.
            float logSum = (float) Math.log(sumExp);
            for (int j = 0; j < k; j++) {
                logProbs[row + j] = (logits[row + j] - max) - logSum;
            }
            total -= logProbs[row + target[i]];
        }
        return (float) (total / n);
    }

    // logProbs (n,k), target (n) -> dlogits (n,k) +=
    @Override
    public void crossEntropyBackward(float[] logProbs, int[] target, int n, int k, float scale, float[] dlogits) {
        // In double, rounded once, instead of rounding the softmax, its difference with the one-hot and the
        // product with the scale each in float: a small gain next to the forward's (a batch of 100: max error
        // 4.0 -> 3.1 u, PyTorch 6.4 u; docs/error-budget.md).
        for (int i = 0; i < n; i++) {
            int row = i * k;
            for (int j = 0; j < k; j++) {
                double softmax = Math.exp(logProbs[row + j]);
                double onehot = j == target[i] ? 1 : 0;
                dlogits[row + j] += (float) (scale * (softmax - onehot));
            }
        }
    }

    @Override
    public void axpy(int len, float alpha, float[] x, float[] y) {
        for (int i = 0; i < len; i++) {
            y[i] += alpha * x[i];
        }
    }

    @Override
    public void scale(int len, float alpha, float[] x) {
        for (int i = 0; i < len; i++) {
            x[i] *= alpha;
        }
    }

    @Override
    public void scaleAdd(int len, float alpha, float[] y, float[] x) {
        for (int i = 0; i < len; i++) {
            y[i] = alpha * y[i] + x[i];
        }
    }

    @Override
    public double sumOfSquares(int len, float[] x) {
        double sum = 0;
        for (int i = 0; i < len; i++) {
            sum += (double) x[i] * x[i];
        }
        return sum;
    }

    @Override
    public void adamUpdate(int len, float[] p, float[] g, float[] m, float[] v,
                           float lr, float beta1, float beta2, float eps, float bc1, float bc2) {
        float stepSize = lr / bc1;
        float sqrtBc2 = (float) Math.sqrt(bc2);
        for (int i = 0; i < len; i++) {
            m[i] = beta1 * m[i] + (1 - beta1) * g[i];
            v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i];
            float denom = (float) Math.sqrt(v[i]) / sqrtBc2 + eps;
            p[i] -= stepSize * m[i] / denom;
        }
    }
}
