package jcnn.kernels;

/**
 * Every numeric kernel the CNN needs, as plain functions over {@code float[]} arrays.
 *
 * <p>Conventions, shared by every implementation:
 * <ul>
 *   <li>Matrices are row-major with an offset and a leading dimension (the distance between rows), so callers
 *       address sub-matrices and transposes without copying.</li>
 *   <li>Tensors are contiguous NCHW.</li>
 *   <li>Forward kernels overwrite their output. Backward kernels <em>accumulate</em> into the gradients they are
 *       given ({@code dx += ...}), so a tensor used twice collects both contributions; zeroing is the caller's
 *       explicit step.</li>
 *   <li>Gradient arguments start with {@code d}. The shapes are in the comment at each signature.</li>
 * </ul>
 *
 * <p>A contract only, with no default bodies: {@link ScalarKernels} is the reference, written to be read (open its
 * {@code conv2dForward} beside {@link VectorConv}'s); {@link VectorKernels} must agree with it within float32
 * rounding. {@link KernelProvider} chooses between them; {@link TimedKernels} wraps either.
 */
public interface Kernels {

    /** A short name for logs and reports, such as {@code scalar} or {@code vector-512}; never parsed. */
    String name();

    /** The vector width in bits (128, 256 or 512), or 0 for kernels that do not use vectors. */
    int vectorBits();

    /** How many threads the batch-parallel kernels and the GEMM may use (1 for the scalar reference). */
    int threads();

    // ---------------------------------------------------------------------------------------------------------
    // GEMM

    /**
     * C = op(A) op(B), or C += op(A) op(B) when {@code accumulate}.
     *
     * <pre>
     * op(A) (m,k): A is (m,k) with row stride lda, or (k,m) read transposed when transA
     * op(B) (k,n): B is (k,n) with row stride ldb, or (n,k) read transposed when transB
     * C     (m,n): row stride ldc
     * </pre>
     */
    void sgemm(boolean transA, boolean transB, int m, int n, int k,
               float[] a, int aOff, int lda,
               float[] b, int bOff, int ldb,
               float[] c, int cOff, int ldc,
               boolean accumulate);

    // ---------------------------------------------------------------------------------------------------------
    // Convolution plumbing

    /**
     * Unfolds one image into the columns of a matrix, so that convolution becomes a GEMM.
     * <pre>x (c,h,w) at xOff -> col (c*kh*kw, oh*ow) at colOff</pre>
     * Row {@code (ci*kh + i)*kw + j} of col holds, for every output pixel, the input value under kernel tap (i, j)
     * of channel ci, or 0 where the tap falls in the padding.
     */
    void im2col(float[] x, int xOff, ConvShape s, float[] col, int colOff);

    /**
     * The adjoint of {@link #im2col}: folds columns back into an image, adding where windows overlap.
     * <pre>col (c*kh*kw, oh*ow) at colOff -> dx (c,h,w) at dxOff, accumulated</pre>
     */
    void col2im(float[] col, int colOff, ConvShape s, float[] dx, int dxOff);

    /**
     * y += bias broadcast over the batch and the spatial positions.
     * <pre>y (n, c, spatial), bias (c)</pre>
     * A linear layer's output is the case spatial = 1.
     */
    void biasAdd(float[] y, float[] bias, int n, int c, int spatial);

    /**
     * The bias gradient: the sum of dy over the batch and the spatial positions.
     * <pre>dy (n, c, spatial) -> dbias (c), accumulated</pre>
     */
    void biasGrad(float[] dy, int n, int c, int spatial, float[] dbias);

    /**
     * Convolution forward: y = conv2d(x, weight) + bias.
     * <pre>x (n,c,h,w), weight (o,c,kh,kw), bias (o) or null -> y (n,o,oh,ow)</pre>
     * Per image: y_i (o, oh*ow) = weight (o, c*kh*kw) . im2col(x_i) (c*kh*kw, oh*ow).
     */
    void conv2dForward(float[] x, float[] weight, float[] bias, float[] y, ConvShape s);

    /**
     * Convolution backward. Each gradient array may be null when it is not wanted; the others are accumulated.
     * <pre>
     * dy (n,o,oh,ow), x (n,c,h,w), weight (o,c,kh,kw)
     *   -> dx (n,c,h,w) += col2im(weight^T . dy_i)
     *   -> dweight (o,c,kh,kw) += sum_i dy_i . im2col(x_i)^T
     *   -> dbias (o) += sum of dy over batch and pixels
     * </pre>
     */
    void conv2dBackward(float[] dy, float[] x, float[] weight,
                        float[] dx, float[] dweight, float[] dbias, ConvShape s);

    // ---------------------------------------------------------------------------------------------------------
    // Activations and pooling

    /** <pre>x (len) -> y (len) = max(x, 0)</pre> */
    void reluForward(float[] x, float[] y, int len);

    /** <pre>x (len), dy (len) -> dx (len) += dy where x &gt; 0</pre> (the gradient at 0 is 0, as in PyTorch). */
    void reluBackward(float[] x, float[] dy, float[] dx, int len);

    /**
     * Max pooling forward, recording for each output the flat index (within its (h,w) plane) of the maximum.
     * <pre>x (n,c,h,w) -> y (n,c,oh,ow), argmax (n,c,oh,ow)</pre>
     * The first maximum in row-major order wins a tie; a NaN is a maximum (it propagates), as in PyTorch.
     */
    void maxPoolForward(float[] x, PoolShape s, float[] y, int[] argmax);

    /** <pre>dy (n,c,oh,ow), argmax (n,c,oh,ow) -> dx (n,c,h,w) += dy routed to each window's maximum</pre> */
    void maxPoolBackward(float[] dy, int[] argmax, PoolShape s, float[] dx);

    // ---------------------------------------------------------------------------------------------------------
    // Fused: ReLU then max pooling, the pair that follows every convolution of the seed CNN

    /**
     * Max pooling of max(x, 0), in one pass: the ReLU's output is never written.
     * <pre>x (n,c,h,w) -> y (n,c,oh,ow), argmax (n,c,oh,ow)</pre>
     * Exactly {@link #reluForward} then {@link #maxPoolForward}: the same y and the same argmax (the first
     * maximum of the rectified window; a window with nothing above 0 gives +0 at its first element).
     */
    void reluMaxPoolForward(float[] x, PoolShape s, float[] y, int[] argmax);

    /**
     * The backward of {@link #reluMaxPoolForward}: each dy goes to its window's maximum, where x there is &gt; 0.
     * <pre>dy (n,c,oh,ow), argmax (n,c,oh,ow), x (n,c,h,w) -> dx (n,c,h,w) += relu'(x) * routed dy</pre>
     * Exactly what {@link #maxPoolBackward} into a zeroed buffer followed by {@link #reluBackward} adds to dx,
     * bit for bit (overlapping windows sum their contributions first, as they do in that buffer).
     */
    void reluMaxPoolBackward(float[] dy, int[] argmax, float[] x, PoolShape s, float[] dx);

    /**
     * {@link #reluMaxPoolBackward} into a dx that nothing has written yet (the gradient's only producer, {@code
     * Tensor.gradToAssign}): every element of dx is written, whatever it held, with exactly the values that adding
     * into zeros gives. It reads the pooled output y instead of x: at a window's maximum x &gt; 0 exactly when
     * y &gt; 0 there, and everywhere else the routed gradient is +0 whatever x is, so the op's largest array is
     * not read at all.
     * <pre>dy (n,c,oh,ow), argmax (n,c,oh,ow), y (n,c,oh,ow) -> dx (n,c,h,w) = relu'(x) * routed dy</pre>
     */
    void reluMaxPoolBackwardAssign(float[] dy, int[] argmax, float[] y, PoolShape s, float[] dx);

    // ---------------------------------------------------------------------------------------------------------
    // Average pooling, batch normalisation and dropout: the layers of the deeper models

    /**
     * Average pooling with a square window and no padding, PyTorch's {@code avg_pool2d(x, k, stride)}.
     * <pre>x (n,c,h,w) -> y (n,c,oh,ow), each the sum of its k*k window in row-major order, divided by k*k</pre>
     */
    void avgPoolForward(float[] x, PoolShape s, float[] y);

    /** <pre>dy (n,c,oh,ow) -> dx (n,c,h,w) += dy / (k*k) on every element of each window</pre> */
    void avgPoolBackward(float[] dy, PoolShape s, float[] dx);

    /**
     * Global average pooling, PyTorch's {@code adaptive_avg_pool2d(x, 1)}: the mean of each plane.
     * <pre>x (planes, spatial) -> y (planes)</pre> with planes = n*c and spatial = h*w.
     */
    void globalAvgPoolForward(float[] x, int planes, int spatial, float[] y);

    /** <pre>dy (planes) -> dx (planes, spatial) += dy / spatial</pre> */
    void globalAvgPoolBackward(float[] dy, int planes, int spatial, float[] dx);

    /**
     * The batch statistics of batch normalisation: each channel's mean and biased variance (divided by
     * n*spatial, as PyTorch normalises with), over the batch and the spatial positions, the variance from a
     * second pass over x - mean. Each channel's sums run in an order that does not depend on the thread count.
     * <pre>x (n,c,spatial) -> mean (c), var (c)</pre>
     */
    void batchNormStatistics(float[] x, int n, int c, int spatial, float[] mean, float[] var);

    /**
     * Batch normalisation with given statistics, training's (the batch's) or evaluation's (the running ones):
     * with a = gamma * invStd per channel, y = (x - mean) * a + beta (the mean subtracted first: a mean large
     * against the spread would cancel in x * a + (beta - mean * a)).
     * <pre>x (n,c,spatial), mean, invStd, gamma, beta (c) -> y (n,c,spatial)</pre>
     */
    void batchNormForward(float[] x, int n, int c, int spatial, float[] mean, float[] invStd,
                          float[] gamma, float[] beta, float[] y);

    /**
     * The backward of {@link #batchNormForward}, with xhat = (x - mean) * invStd and N = n*spatial. With
     * {@code batchStatistics} (training mode) the mean and variance are functions of x, and the gradient goes
     * through them too; without (evaluation mode) they are constants. dx may be null (not wanted).
     * <pre>
     * dy, x (n,c,spatial), mean, invStd, gamma (c)
     *   -> dgamma (c) += sum dy * xhat,  dbeta (c) += sum dy
     *   -> dx += gamma * invStd * (dy - sum(dy) / N - xhat * sum(dy * xhat) / N)   (batch statistics)
     *   -> dx += gamma * invStd * dy                                              (given statistics)
     * </pre>
     */
    void batchNormBackward(float[] dy, float[] x, int n, int c, int spatial, float[] mean, float[] invStd,
                           float[] gamma, boolean batchStatistics, float[] dx, float[] dgamma, float[] dbeta);

    /**
     * Dropout's forward with its mask drawn already: y = x * mask, where mask holds 0 for a dropped element and
     * 1 / (1 - p) for a kept one (PyTorch's scaling, so that evaluation is the identity).
     * <pre>x (len), mask (len) -> y (len)</pre>
     */
    void dropoutForward(float[] x, float[] mask, float[] y, int len);

    /** <pre>dy (len), mask (len) -> dx (len) += dy * mask</pre> */
    void dropoutBackward(float[] dy, float[] mask, float[] dx, int len);

    // ---------------------------------------------------------------------------------------------------------
    // Loss

    /**
     * Log-softmax and the mean cross-entropy, with a stable log-sum-exp (the row maximum is subtracted first).
     * <pre>logits (n,k), target (n) in [0,k) -> logProbs (n,k); returns mean over rows of -logProbs[target]</pre>
     */
    float crossEntropyForward(float[] logits, int[] target, int n, int k, float[] logProbs);

    /**
     * The gradient of {@code scale * sum_i -logProbs[i][target_i]} with respect to the logits.
     * <pre>logProbs (n,k), target (n) -> dlogits (n,k) += scale * (softmax - onehot(target))</pre>
     * For the mean loss with upstream gradient g, scale = g / n.
     */
    void crossEntropyBackward(float[] logProbs, int[] target, int n, int k, float scale, float[] dlogits);

    // ---------------------------------------------------------------------------------------------------------
    // Elementwise updates for optimizers

    /** <pre>y (len) += alpha * x (len)</pre> */
    void axpy(int len, float alpha, float[] x, float[] y);

    /** <pre>x (len) *= alpha</pre> */
    void scale(int len, float alpha, float[] x);

    /** <pre>y (len) = alpha * y + x (len)</pre>: the momentum buffer update {@code v = mu v + g}. */
    void scaleAdd(int len, float alpha, float[] y, float[] x);

    /** The sum of squares of x (len), accumulated in double. */
    double sumOfSquares(int len, float[] x);

    /**
     * One Adam step on a parameter, in place, in the form PyTorch uses.
     * <pre>
     * p, g, m, v (len):
     *   m = beta1 m + (1 - beta1) g
     *   v = beta2 v + (1 - beta2) g^2
     *   p -= lr * (m / bc1) / (sqrt(v / bc2) + eps)
     * </pre>
     * bc1 = 1 - beta1^t and bc2 = 1 - beta2^t are the bias corrections of step t. Weight decay, coupled or
     * decoupled, is the caller's separate step.
     */
    void adamUpdate(int len, float[] p, float[] g, float[] m, float[] v,
                    float lr, float beta1, float beta2, float eps, float bc1, float bc2);
}
