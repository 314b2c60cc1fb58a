package jcnn.kernels;

/**
 * The single-thread SIMD loops of {@link VectorKernels} at one vector width. {@link VectorKernels} holds one
 * instance per width and adds the blocking, the threading and everything that is not a vector loop.
 *
 * <p>The one implementation, {@link VectorLoopsTemplate}, is written once and loaded once per width as a hidden
 * class whose {@code static final} species is that width: see the template's comment for why.
 */
interface VectorLoops {

    /** Rows of the GEMM micro-tile: the packed A panels are this many rows wide. */
    int MR = 4;

    /** The vector width in bits. */
    int bits();

    /** Floats per vector. */
    int lanes();

    /** Columns of the GEMM micro-tile (three vectors): the packed B panels are this many columns wide. */
    int nr();

    // GEMM pieces; see VectorKernels.sgemm for how they fit together.

    /** op(A) rows [i0, i0+mb) x cols [p0, p0+kb) -> MR-row panels, p-major inside a panel, zero-padded rows. */
    void packA(boolean transA, float[] a, int aOff, int lda, int i0, int p0, int mb, int kb, float[] dst);

    /**
     * op(B) rows [p0, p0+kb) x cols [j0, j0+nb) -> nr()-column panels at dst[dOff..], p-major inside a panel,
     * zero-padded.
     */
    void packB(boolean transB, float[] b, int bOff, int ldb, int p0, int j0, int kb, int nb, float[] dst, int dOff);

    /**
     * C (mb, panels [panelFrom, panelTo) of nb columns) at cOff (+)= packed A (mb, kb) . packed B (kb, nb) whose
     * panels start at bBase.
     * {@code tile} is a scratch of at least MR * nr() floats for the edge tiles.
     */
    void macroKernel(float[] aPack, float[] bPack, int bBase, int mb, int nb, int kb, int panelFrom, int panelTo,
                     float[] c, int cOff, int ldc, boolean overwrite, float[] tile);

    /** The unpacked GEMM for B not transposed: C rows (+)= sum_p op(A)(i,p) B(p,:), vectorised along a C row. */
    void gemmRows(boolean transA, int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                  float[] c, int cOff, int ldc, boolean accumulate);

    /** The unpacked GEMM for A not transposed, B transposed: every C element is a dot product along k. */
    void gemmDots(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                  float[] c, int cOff, int ldc, boolean accumulate);

    // Convolution plumbing.

    void im2col(float[] x, int xOff, ConvShape s, float[] col, int colOff);

    void col2im(float[] col, int colOff, ConvShape s, float[] dx, int dxOff);

    /** y[from, to) += b. */
    void addScalar(float[] y, int from, int to, float b);

    /** y[yOff, yOff+len) += x[xOff, xOff+len). */
    void addTo(int len, float[] x, int xOff, float[] y, int yOff);

    /** The float sum of x[from, to). */
    float sum(float[] x, int from, int to);

    // Activations, loss, optimizer updates: the contracts of Kernels.

    void reluForward(float[] x, float[] y, int len);

    void reluBackward(float[] x, float[] dy, float[] dx, int len);

    /** The maximum of x[from, to) with Math.max semantics (a NaN wins). */
    float max(float[] x, int from, int to);

    /** y[off, off+len) = x[off, off+len) - s. */
    void subtract(float[] x, float[] y, int off, int len, float s);

    void axpy(int len, float alpha, float[] x, float[] y);

    void scale(int len, float alpha, float[] x);

    void scaleAdd(int len, float alpha, float[] y, float[] x);

    double sumOfSquares(int len, float[] x);

    void adamUpdate(int len, float[] p, float[] g, float[] m, float[] v,
                    float lr, float beta1, float beta2, float eps, float bc1, float bc2);
}
