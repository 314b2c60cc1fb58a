package jcnn.kernels;

/**
 * The kernels in SIMD with the Vector API, and multi-threaded where it pays: GEMM, convolution over the batch,
 * pooling over the planes. A facade: each method names the file that holds its loops.
 *
 * <ul>
 *   <li>{@link VectorGemm}: sgemm (packing, the micro-kernels named by tile, the edge kernels);</li>
 *   <li>{@link VectorConv}: im2col, col2im and the convolution built on them;</li>
 *   <li>{@link VectorDirectConv}: conv1's direct convolution (one input channel, no im2col);</li>
 *   <li>{@link VectorDirectConvChannels}: conv2's (several channels, 3x3, padding 1; no im2col, no col2im);</li>
 *   <li>{@link VectorPool}: max pooling, alone and fused with the ReLU before it, and average pooling;</li>
 *   <li>{@link VectorNorm}: batch normalisation and global average pooling;</li>
 *   <li>{@link VectorElementwise}: bias, ReLU, dropout's mask, the loss, the optimizer updates.</li>
 * </ul>
 *
 * <p>Goals: the same contract as {@link ScalarKernels} within float32 rounding; results bit-identical whatever the
 * thread count. Non-goals: other layouts than row-major and NCHW, half precision, a masked vector tail.
 *
 * <p>The vector width is the JVM's, {@link VectorWidth} ({@code -Dvector.bits}, default the CPU's preferred), a
 * {@code static final} constant in every file above. Another width needs another JVM; the tests fork one per width.
 */
public final class VectorKernels implements Kernels {

    /** One exp per logit over ten classes leaves nothing for SIMD to win: the loss gradient is the reference's. */
    private static final ScalarKernels REFERENCE = new ScalarKernels();

    private final int threads;

    /** @param threads threads for GEMM and the batch-parallel kernels, at least 1 */
    public VectorKernels(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        this.threads = threads;
    }

    @Override
    public String name() {
        return "vector-" + VectorWidth.BITS;
    }

    @Override
    public int vectorBits() {
        return VectorWidth.BITS;
    }

    @Override
    public int threads() {
        return threads;
    }

    // A (m,k) or A^T, B (k,n) or B^T -> C (m,n)
    @Override
    public void sgemm(boolean transA, boolean transB, int m, int n, int k,
                      float[] a, int aOff, int lda,
                      float[] b, int bOff, int ldb,
                      float[] c, int cOff, int ldc,
                      boolean accumulate) {
        VectorGemm.sgemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate, threads);
    }

    // x (c,h,w) -> col (c*kh*kw, oh*ow)
    @Override
    public void im2col(float[] x, int xOff, ConvShape s, float[] col, int colOff) {
        VectorConv.im2col(x, xOff, s, col, colOff);
    }

    // col (c*kh*kw, oh*ow) -> dx (c,h,w) +=
    @Override
    public void col2im(float[] col, int colOff, ConvShape s, float[] dx, int dxOff) {
        VectorConv.col2im(col, colOff, s, dx, dxOff);
    }

    // y (n,c,spatial) += bias (c)
    @Override
    public void biasAdd(float[] y, float[] bias, int n, int c, int spatial) {
        VectorElementwise.biasAdd(y, bias, n, c, spatial);
    }

    // dy (n,c,spatial) -> dbias (c) +=
    @Override
    public void biasGrad(float[] dy, int n, int c, int spatial, float[] dbias) {
        VectorElementwise.biasGrad(dy, n, c, spatial, dbias);
    }

    // x (n,c,h,w), weight (o,c,kh,kw), bias (o) or null -> y (n,o,oh,ow)
    @Override
    public void conv2dForward(float[] x, float[] weight, float[] bias, float[] y, ConvShape s) {
        VectorConv.conv2dForward(x, weight, bias, y, s, threads);
    }

    // dy (n,o,oh,ow), x, weight -> dx (n,c,h,w) +=, dweight (o,c,kh,kw) +=, dbias (o) +=
    @Override
    public void conv2dBackward(float[] dy, float[] x, float[] weight,
                               float[] dx, float[] dweight, float[] dbias, ConvShape s) {
        VectorConv.conv2dBackward(dy, x, weight, dx, dweight, dbias, s, threads);
    }

    // x (len) -> y (len)
    @Override
    public void reluForward(float[] x, float[] y, int len) {
        VectorElementwise.reluForward(x, y, len);
    }

    // x (len), dy (len) -> dx (len) +=
    @Override
    public void reluBackward(float[] x, float[] dy, float[] dx, int len) {
        VectorElementwise.reluBackward(x, dy, dx, len);
    }

    // x (n,c,h,w) -> y (n,c,oh,ow), argmax (n,c,oh,ow)
    @Override
    public void maxPoolForward(float[] x, PoolShape s, float[] y, int[] argmax) {
        VectorPool.maxPoolForward(x, s, y, argmax, threads);
    }

    // dy (n,c,oh,ow), argmax -> dx (n,c,h,w) +=
    @Override
    public void maxPoolBackward(float[] dy, int[] argmax, PoolShape s, float[] dx) {
        VectorPool.maxPoolBackward(dy, argmax, s, dx, threads);
    }

    // x (n,c,h,w) -> y = maxPool(relu(x)) (n,c,oh,ow), argmax (n,c,oh,ow)
    @Override
    public void reluMaxPoolForward(float[] x, PoolShape s, float[] y, int[] argmax) {
        VectorPool.reluMaxPoolForward(x, s, y, argmax, threads);
    }

    // dy (n,c,oh,ow), argmax, x (n,c,h,w) -> dx (n,c,h,w) +=
    @Override
    public void reluMaxPoolBackward(float[] dy, int[] argmax, float[] x, PoolShape s, float[] dx) {
        VectorPool.reluMaxPoolBackward(dy, argmax, x, s, dx, threads);
    }

    // dy (n,c,oh,ow), argmax, y (n,c,oh,ow) -> dx (n,c,h,w) =
    @Override
    public void reluMaxPoolBackwardAssign(float[] dy, int[] argmax, float[] y, PoolShape s, float[] dx) {
        VectorPool.reluMaxPoolBackwardAssign(dy, argmax, y, s, dx, threads);
    }

    // x (n,c,h,w) -> y (n,c,oh,ow)
    @Override
    public void avgPoolForward(float[] x, PoolShape s, float[] y) {
        VectorPool.avgPoolForward(x, s, y, threads);
    }

    // dy (n,c,oh,ow) -> dx (n,c,h,w) +=
    @Override
    public void avgPoolBackward(float[] dy, PoolShape s, float[] dx) {
        VectorPool.avgPoolBackward(dy, s, dx, threads);
    }

    // x (planes, spatial) -> y (planes)
    @Override
    public void globalAvgPoolForward(float[] x, int planes, int spatial, float[] y) {
        VectorNorm.globalAvgPoolForward(x, planes, spatial, y, threads);
    }

    // dy (planes) -> dx (planes, spatial) +=
    @Override
    public void globalAvgPoolBackward(float[] dy, int planes, int spatial, float[] dx) {
        VectorNorm.globalAvgPoolBackward(dy, planes, spatial, dx, threads);
    }

    // x (n,c,spatial) -> mean (c), var (c)
    @Override
    public void batchNormStatistics(float[] x, int n, int c, int spatial, float[] mean, float[] var) {
        VectorNorm.batchNormStatistics(x, n, c, spatial, mean, var, threads);
    }

    // x (n,c,spatial), mean, invStd, gamma, beta (c) -> y (n,c,spatial)
    @Override
    public void batchNormForward(float[] x, int n, int c, int spatial, float[] mean, float[] invStd,
                                 float[] gamma, float[] beta, float[] y) {
        VectorNorm.batchNormForward(x, n, c, spatial, mean, invStd, gamma, beta, y, threads);
    }

    // dy, x (n,c,spatial), mean, invStd, gamma (c) -> dx +=, dgamma +=, dbeta +=
    @Override
    public void batchNormBackward(float[] dy, float[] x, int n, int c, int spatial, float[] mean, float[] invStd,
                                  float[] gamma, boolean batchStatistics, float[] dx, float[] dgamma,
                                  float[] dbeta) {
        VectorNorm.batchNormBackward(dy, x, n, c, spatial, mean, invStd, gamma, batchStatistics, dx, dgamma, dbeta,
                threads);
    }

    // x (len), mask (len) -> y (len)
    @Override
    public void dropoutForward(float[] x, float[] mask, float[] y, int len) {
        VectorElementwise.dropoutForward(x, mask, y, len);
    }

    // dy (len), mask (len) -> dx (len) +=
    @Override
    public void dropoutBackward(float[] dy, float[] mask, float[] dx, int len) {
        VectorElementwise.dropoutBackward(dy, mask, dx, len);
    }

    // logits (n,k), target (n) -> logProbs (n,k); returns the mean loss
    @Override
    public float crossEntropyForward(float[] logits, int[] target, int n, int k, float[] logProbs) {
        return VectorElementwise.crossEntropyForward(logits, target, n, k, logProbs);
    }

    // logProbs (n,k), target (n) -> dlogits (n,k) +=
    @Override
    public void crossEntropyBackward(float[] logProbs, int[] target, int n, int k, float scale, float[] dlogits) {
        REFERENCE.crossEntropyBackward(logProbs, target, n, k, scale, dlogits);
    }

    @Override
    public void axpy(int len, float alpha, float[] x, float[] y) {
        updates(len, (from, to) -> VectorElementwise.axpy(from, to, alpha, x, y));
    }

    @Override
    public void scale(int len, float alpha, float[] x) {
        updates(len, (from, to) -> VectorElementwise.scale(from, to, alpha, x));
    }

    @Override
    public void scaleAdd(int len, float alpha, float[] y, float[] x) {
        updates(len, (from, to) -> VectorElementwise.scaleAdd(from, to, alpha, y, x));
    }

    @Override
    public double sumOfSquares(int len, float[] x) {
        return VectorElementwise.sumOfSquares(len, x);
    }

    @Override
    public void adamUpdate(int len, float[] p, float[] g, float[] m, float[] v,
                           float lr, float beta1, float beta2, float eps, float bc1, float bc2) {
        updates(len, (from, to) -> VectorElementwise.adamUpdate(from, to, p, g, m, v, lr, beta1, beta2, eps, bc1,
                bc2));
    }

    /**
     * An optimizer update over [0, len), split over the threads in blocks of {@link #UPDATE_BLOCK} elements when
     * it is long (fc1's weights: 200,704): a step's update was one thread's work while the other waited. The
     * blocks do not change a bit (each element's arithmetic is its own).
     */
    private void updates(int len, Parallel.RangeBody body) {
        if (threads == 1 || len < PARALLEL_UPDATE) {
            body.run(0, len);
            return;
        }
        int blocks = (len + UPDATE_BLOCK - 1) / UPDATE_BLOCK;
        Parallel.forRange(threads, blocks,
                (from, to) -> body.run(from * UPDATE_BLOCK, Math.min(len, to * UPDATE_BLOCK)));
    }

    /** Below this many elements an update stays on the calling thread: a hand-off costs more than it saves. */
    private static final int PARALLEL_UPDATE = 1 << 16;
    private static final int UPDATE_BLOCK = 4096;
}
