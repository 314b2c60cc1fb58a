package jcnn.kernels;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import jdk.incubator.vector.FloatVector;

/**
 * The kernels in SIMD with the Vector API, and multi-threaded where it pays: GEMM, convolution over the batch,
 * pooling over the planes.
 *
 * <p>Goals: the same contract as {@link ScalarKernels} within float32 rounding; a GEMM in the class of OpenBLAS on
 * large squares; results that are bit-identical whatever the thread count (every output element is reduced by one
 * thread, in an order that depends only on the shape). Non-goals: other layouts than row-major and NCHW, half
 * precision, a masked vector tail (the tails are scalar).
 *
 * <p>The vector loops themselves live in {@link VectorLoopsTemplate}, one hidden-class copy per width, so that every
 * hot loop sees a constant species; this class does the blocking, the threading and the scalar-only parts.
 *
 * <p>Use one width per JVM for speed (as {@link KernelProvider} does). Every width is correct in any order, but the
 * JDK's own Vector API classes are shared by all widths, and their receiver-type profiles are filled by the first
 * width that runs: a second width in the same JVM measured 5-11 GFLOP/s instead of ~100 in sgemm (JDK 17 and 25;
 * {@code -XX:-UseTypeProfile} brings it back, which confirms the cause). Benchmarks comparing widths must fork.
 */
public final class VectorKernels implements Kernels {

    /**
     * Depth of a packed slab. A kc x nr panel of B (48 KiB at 512 bits) is reused from L1/L2 by the mc / 4 row
     * panels of A that the micro-kernel sweeps past it; 128..384 measured within noise of each other on squares.
     */
    static final int KC = 256;
    /** Rows of op(A) packed at once per thread: the mc x kc block of A (128 KiB) stays in L2 for all of B's panels. */
    static final int MC = 128;
    /** Panels of op(B) packed at once: at most 64 nr columns (3072 at 512 bits)... */
    static final int NC_PANELS = 64;
    /** ...and at most this many floats (16 MiB) of packed B for all of k. */
    static final long B_PACK_FLOATS = 1L << 22;
    /** Below this many multiply-adds a GEMM is done unpacked: packing would cost more than it saves. */
    static final long SMALL_GEMM = 64L * 64 * 64;
    /** The least work (multiply-adds) worth giving one more thread in a GEMM. */
    static final long PER_THREAD_GEMM = 1L << 20;

    // Scratch slots; slot 0 is the convolution's column buffer, as in the Kernels defaults.
    private static final int SLOT_COL = 0, SLOT_BPACK = 1, SLOT_APACK = 2, SLOT_TILE = 3, SLOT_DW = 4, SLOT_T = 5;
    /** Int scratch slot of the pooling's window tables (slot 0 is packB's gather index). */
    private static final int SLOT_POOL_MAP = 1;

    /** Upper bound on the floats of the per-chunk weight-gradient buffers of one convolution backward. */
    private static final long DW_BUFFER_FLOATS = 1L << 22;
    /** Upper bound on the chunks a convolution batch is cut into; fixed, so that it never depends on threads. */
    private static final int MAX_CHUNKS = 64;

    private static final VectorLoops[] LOOPS = new VectorLoops[3];
    private static final ScalarKernels REFERENCE = new ScalarKernels();

    private final VectorLoops v;
    private final int threads;
    private final int nr;

    /**
     * @param bits    128, 256 or 512; -1 for the CPU's preferred width
     * @param threads threads for GEMM and the batch-parallel kernels, at least 1
     */
    public VectorKernels(int bits, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        int width = bits == -1 ? FloatVector.SPECIES_PREFERRED.vectorBitSize() : bits;
        if (width != 128 && width != 256 && width != 512) {
            throw new IllegalArgumentException("vector width must be 128, 256 or 512 bits"
                    + (bits == -1 ? " but the CPU prefers " + width : ", got " + bits));
        }
        this.v = loops(width);
        this.threads = threads;
        this.nr = v.nr();
    }

    /**
     * The loops for one width: the template's bytes defined as a hidden class with the width as class data, once
     * per width per JVM (each copy compiles separately, so they are cached).
     */
    static synchronized VectorLoops loops(int bits) {
        int slot = Integer.numberOfTrailingZeros(bits) - 7;
        if (LOOPS[slot] == null) {
            LOOPS[slot] = defineLoops(bits);
        }
        return LOOPS[slot];
    }

    /** A new, uncached copy of the loops; tests use it to see a copy's first, interpreted, calls. */
    static VectorLoops defineLoops(int bits) {
        try (InputStream in = VectorKernels.class.getResourceAsStream("VectorLoopsTemplate.class")) {
            if (in == null) {
                throw new IllegalStateException("VectorLoopsTemplate.class is not on the class path");
            }
            MethodHandles.Lookup lookup = MethodHandles.lookup()
                    .defineHiddenClassWithClassData(in.readAllBytes(), bits, true);
            return (VectorLoops) lookup.findConstructor(lookup.lookupClass(),
                    MethodType.methodType(void.class)).invoke();
        } catch (IOException | ReflectiveOperationException e) {
            throw new IllegalStateException("cannot load the " + bits + "-bit vector loops", e);
        } catch (Throwable e) {
            throw new IllegalStateException("cannot create the " + bits + "-bit vector loops", e);
        }
    }

    @Override
    public String name() {
        return "vector-" + v.bits();
    }

    @Override
    public int threads() {
        return threads;
    }

    // ---------------------------------------------------------------------------------------------------------
    // GEMM

    // A (m,k) or A^T, B (k,n) or B^T -> C (m,n)
    @Override
    public void sgemm(boolean transA, boolean transB, int m, int n, int k,
                      float[] a, int aOff, int lda,
                      float[] b, int bOff, int ldb,
                      float[] c, int cOff, int ldc,
                      boolean accumulate) {
        sgemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate, threads);
    }

    private void sgemm(boolean transA, boolean transB, int m, int n, int k,
                       float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                       float[] c, int cOff, int ldc, boolean accumulate, int threads) {
        if (m <= 0 || n <= 0) {
            return;
        }
        if (k <= 0) {
            if (!accumulate) {
                for (int i = 0; i < m; i++) {
                    java.util.Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, 0f);
                }
            }
            return;
        }
        long work = (long) m * n * k;
        boolean small = work <= SMALL_GEMM || m < VectorLoops.MR;
        if (transB && !transA && (small || 2 * n < nr)) {
            // Both operands contiguous along k, and packing would not pay (or op(B) is so thin that a packed panel
            // would be mostly zero padding): dot products waste nothing. Also the matrix-vector case.
            v.gemmDots(m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
        } else if (!transB && (small || k <= 16)) {
            // Few terms per element (conv1's k = 9) or a small product: stream rows of B, no packing.
            v.gemmRows(transA, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
        } else if (transB && small && (long) k * n <= 1 << 20) {
            // Small, both transposed: transposing B once is cheap at this size and leaves the unpacked row path.
            float[] t = Scratch.get(SLOT_T, k * n);
            for (int j = 0; j < n; j++) {
                for (int p = 0; p < k; p++) {
                    t[p * n + j] = b[bOff + j * ldb + p];
                }
            }
            v.gemmRows(transA, m, n, k, a, aOff, lda, t, 0, n, c, cOff, ldc, accumulate);
        } else {
            // A thread only pays for its hand-off (tens of microseconds) with about a million multiply-adds.
            int useful = (int) Math.max(1, Math.min(threads, work / PER_THREAD_GEMM));
            packedGemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate, useful);
        }
    }

    /**
     * The blocked GEMM (Goto / BLIS). For each block of columns, all of op(B) (every kc-deep slab) is packed into
     * nr-wide panels, shared by the threads; then the rows of C (or, when there are too few rows for the threads,
     * the panels) are cut into items, and each item walks the kc slabs in order, packing its rows of A for each and
     * running the micro-kernel over its tiles. Items never share an output element and the kc blocking depends
     * only on k, so every element of C sees the same additions in the same order for any thread count. Two
     * hand-offs per column block, whatever k is.
     */
    private void packedGemm(boolean transA, boolean transB, int m, int n, int k,
                            float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                            float[] c, int cOff, int ldc, boolean accumulate, int threads) {
        int mr = VectorLoops.MR;
        int ncMax = (int) Math.max(1, Math.min(NC_PANELS, B_PACK_FLOATS / ((long) k * nr))) * nr;
        for (int jc = 0; jc < n; jc += ncMax) {
            int nb = Math.min(ncMax, n - jc), j0 = jc;
            int panels = (nb + nr - 1) / nr;
            // Slab pc of the packed B starts at pc * panels * nr; panel q of it at q * nr * kb after that.
            float[] bPack = Scratch.get(SLOT_BPACK, panels * nr * k);
            if (threads == 1 || panels == 1) {
                packBPanels(transB, b, bOff, ldb, k, j0, nb, panels, 0, panels, bPack);
            } else {
                Parallel.forRange(threads, panels,
                        (from, to) -> packBPanels(transB, b, bOff, ldb, k, j0, nb, panels, from, to, bPack));
            }
            int rowsPerItem = Math.min(MC, roundUp((m + threads - 1) / threads, mr));
            int rowItems = (m + rowsPerItem - 1) / rowsPerItem;
            int colItems = rowItems >= threads ? 1 : Math.min(panels, (threads + rowItems - 1) / rowItems);
            int panelsPerItem = (panels + colItems - 1) / colItems;
            int items = rowItems * colItems;
            int cBlock = cOff + jc;
            if (threads == 1 || items == 1) {
                gemmItems(0, items, colItems, rowsPerItem, panelsPerItem, panels, transA, m, nb, k,
                        a, aOff, lda, bPack, c, cBlock, ldc, accumulate);
            } else {
                Parallel.forRange(threads, items, (from, to) -> gemmItems(from, to, colItems, rowsPerItem,
                        panelsPerItem, panels, transA, m, nb, k, a, aOff, lda, bPack, c, cBlock, ldc, accumulate));
            }
        }
    }

    private void packBPanels(boolean transB, float[] b, int bOff, int ldb, int k, int j0, int nb, int panels,
                             int from, int to, float[] bPack) {
        int cols = Math.min(nb - from * nr, (to - from) * nr);
        for (int pc = 0; pc < k; pc += KC) {
            int kb = Math.min(KC, k - pc);
            v.packB(transB, b, bOff, ldb, pc, j0 + from * nr, kb, cols, bPack, pc * panels * nr + from * nr * kb);
        }
    }

    private void gemmItems(int from, int to, int colItems, int rowsPerItem, int panelsPerItem, int panels,
                           boolean transA, int m, int nb, int k, float[] a, int aOff, int lda,
                           float[] bPack, float[] c, int cBlock, int ldc, boolean accumulate) {
        float[] aPack = Scratch.get(SLOT_APACK, roundUp(rowsPerItem, VectorLoops.MR) * Math.min(KC, k));
        float[] tile = Scratch.get(SLOT_TILE, VectorLoops.MR * nr);
        for (int item = from; item < to; item++) {
            int i0 = (item / colItems) * rowsPerItem;
            int mb = Math.min(rowsPerItem, m - i0);
            int q0 = (item % colItems) * panelsPerItem;
            int q1 = Math.min(panels, q0 + panelsPerItem);
            if (q0 >= q1) {
                continue;
            }
            for (int pc = 0; pc < k; pc += KC) {
                int kb = Math.min(KC, k - pc);
                v.packA(transA, a, aOff, lda, i0, pc, mb, kb, aPack);
                v.macroKernel(aPack, bPack, pc * panels * nr, mb, nb, kb, q0, q1, c, cBlock + i0 * ldc, ldc,
                        !accumulate && pc == 0, tile);
            }
        }
    }

    private static int roundUp(int x, int multiple) {
        return (x + multiple - 1) / multiple * multiple;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Convolution

    // x (c,h,w) -> col (c*kh*kw, oh*ow)
    @Override
    public void im2col(float[] x, int xOff, ConvShape s, float[] col, int colOff) {
        v.im2col(x, xOff, s, col, colOff);
    }

    // col (c*kh*kw, oh*ow) -> dx (c,h,w) +=
    @Override
    public void col2im(float[] col, int colOff, ConvShape s, float[] dx, int dxOff) {
        v.col2im(col, colOff, s, dx, dxOff);
    }

    // y (n,c,spatial) += bias (c)
    @Override
    public void biasAdd(float[] y, float[] bias, int n, int c, int spatial) {
        if (spatial == 1) {
            // A linear layer: each row of y gets the whole bias vector.
            for (int i = 0; i < n; i++) {
                v.addTo(c, bias, 0, y, i * c);
            }
            return;
        }
        for (int i = 0; i < n; i++) {
            for (int ch = 0; ch < c; ch++) {
                int base = (i * c + ch) * spatial;
                v.addScalar(y, base, base + spatial, bias[ch]);
            }
        }
    }

    // dy (n,c,spatial) -> dbias (c) +=
    @Override
    public void biasGrad(float[] dy, int n, int c, int spatial, float[] dbias) {
        if (spatial == 1) {
            // Sum the rows with whole-row vector adds, then add the total once, as the reference does.
            float[] sum = Scratch.get(SLOT_T, c);
            System.arraycopy(dy, 0, sum, 0, c);
            for (int i = 1; i < n; i++) {
                v.addTo(c, dy, i * c, sum, 0);
            }
            for (int ch = 0; ch < c; ch++) {
                dbias[ch] += sum[ch];
            }
            return;
        }
        for (int ch = 0; ch < c; ch++) {
            float sum = 0f;
            for (int i = 0; i < n; i++) {
                int base = (i * c + ch) * spatial;
                sum += v.sum(dy, base, base + spatial);
            }
            dbias[ch] += sum;
        }
    }

    /**
     * Parallel over the batch: each thread unfolds its images into its own column buffer and runs a one-thread
     * GEMM per image, so the images never wait on each other and no output is shared.
     */
    @Override
    public void conv2dForward(float[] x, float[] weight, float[] bias, float[] y, ConvShape s) {
        if (VectorDirectConv.fits(s)) {
            // One input channel (conv1): a direct convolution, bit-identical to the im2col path below.
            Parallel.forRange(threads, s.n(), (from, to) -> VectorDirectConv.forward(x, weight, bias, y, s, from, to));
            return;
        }
        int rows = s.colRows(), cols = s.colCols(), imageIn = s.c() * s.h() * s.w(), imageOut = s.o() * cols;
        int gemmThreads = s.n() == 1 ? threads : 1;
        Parallel.forRange(threads, s.n(), (from, to) -> {
            float[] col = Scratch.get(SLOT_COL, rows * cols);
            for (int i = from; i < to; i++) {
                v.im2col(x, i * imageIn, s, col, 0);
                sgemm(false, false, s.o(), cols, rows, weight, 0, rows, col, 0, cols,
                        y, i * imageOut, cols, false, gemmThreads);
                if (bias != null) {
                    for (int ch = 0; ch < s.o(); ch++) {
                        int base = i * imageOut + ch * cols;
                        v.addScalar(y, base, base + cols, bias[ch]);
                    }
                }
            }
        });
    }

    /**
     * Parallel over the batch, cut into a number of chunks that depends only on the shape. Each chunk sums its
     * images' weight gradients, in image order, into its own buffer; the chunks are then added into dweight in
     * chunk order. So the weight gradient is bit-identical for any thread count. dx is per image and needs no care.
     */
    @Override
    public void conv2dBackward(float[] dy, float[] x, float[] weight,
                               float[] dx, float[] dweight, float[] dbias, ConvShape s) {
        if (dx == null && dweight != null && VectorDirectConv.fits(s)) {
            directWeightGradient(dy, x, dweight, dbias, s);
            return;
        }
        int rows = s.colRows(), cols = s.colCols(), imageIn = s.c() * s.h() * s.w(), imageOut = s.o() * cols;
        int wSize = s.weightSize(), n = s.n();
        int chunks = dweight == null ? n
                : (int) Math.max(1, Math.min(Math.min(n, MAX_CHUNKS), DW_BUFFER_FLOATS / wSize));
        float[] dwChunks = dweight == null ? null : Scratch.get(SLOT_DW, chunks * wSize);
        int gemmThreads = chunks == 1 ? threads : 1;
        Parallel.forRange(threads, chunks, (from, to) -> {
            float[] col = Scratch.get(SLOT_COL, rows * cols);
            for (int chunk = from; chunk < to; chunk++) {
                int first = (int) ((long) n * chunk / chunks), last = (int) ((long) n * (chunk + 1) / chunks);
                for (int i = first; i < last; i++) {
                    int xOff = i * imageIn, yOff = i * imageOut;
                    if (dweight != null) {
                        v.im2col(x, xOff, s, col, 0);
                        sgemm(false, true, s.o(), rows, cols, dy, yOff, cols, col, 0, cols,
                                dwChunks, chunk * wSize, rows, i > first, gemmThreads);
                    }
                    if (dx != null) {
                        sgemm(true, false, rows, cols, s.o(), weight, 0, rows, dy, yOff, cols,
                                col, 0, cols, false, gemmThreads);
                        v.col2im(col, 0, s, dx, xOff);
                    }
                }
            }
        });
        if (dweight != null) {
            for (int chunk = 0; chunk < chunks; chunk++) {
                v.addTo(wSize, dwChunks, chunk * wSize, dweight, 0);
            }
        }
        if (dbias != null) {
            biasGrad(dy, n, s.o(), cols, dbias);
        }
    }

    /**
     * conv1's backward (one input channel, 3x3, no input gradient): the weight gradient summed directly in vector
     * registers, per chunk of images (a number fixed by the batch), the chunks then added in order.
     */
    private void directWeightGradient(float[] dy, float[] x, float[] dweight, float[] dbias, ConvShape s) {
        int wSize = s.weightSize(), chunks = Math.min(s.n(), VectorDirectConv.MAX_CHUNKS);
        float[] dwChunks = Scratch.get(SLOT_DW, chunks * wSize);
        Parallel.forRange(threads, chunks, (from, to) -> {
            for (int chunk = from; chunk < to; chunk++) {
                VectorDirectConv.weightGradientChunk(dy, x, s, chunk, chunks, dwChunks, chunk * wSize);
            }
        });
        for (int chunk = 0; chunk < chunks; chunk++) {
            v.addTo(wSize, dwChunks, chunk * wSize, dweight, 0);
        }
        if (dbias != null) {
            biasGrad(dy, s.n(), s.o(), s.colCols(), dbias);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Activations and pooling

    @Override
    public void reluForward(float[] x, float[] y, int len) {
        v.reluForward(x, y, len);
    }

    @Override
    public void reluBackward(float[] x, float[] dy, float[] dx, int len) {
        v.reluBackward(x, dy, dx, len);
    }

    // x (n,c,h,w) -> y (n,c,oh,ow), argmax (n,c,oh,ow): SIMD over output positions, planes across threads
    @Override
    public void maxPoolForward(float[] x, PoolShape s, float[] y, int[] argmax) {
        int[] starts = VectorPool.windowStarts(s, Scratch.ints(SLOT_POOL_MAP, s.oh() * s.ow()));
        Parallel.forRange(poolThreads(s), s.n() * s.c(),
                (from, to) -> VectorPool.maxPool(x, s, starts, y, argmax, from, to));
    }

    // x (n,c,h,w) -> y = maxPool(relu(x)), argmax
    @Override
    public void reluMaxPoolForward(float[] x, PoolShape s, float[] y, int[] argmax) {
        int[] starts = VectorPool.windowStarts(s, Scratch.ints(SLOT_POOL_MAP, s.oh() * s.ow()));
        Parallel.forRange(poolThreads(s), s.n() * s.c(),
                (from, to) -> VectorPool.reluMaxPool(x, s, starts, y, argmax, from, to));
    }

    // dy (n,c,oh,ow), argmax, x (n,c,h,w) -> dx (n,c,h,w) +=
    @Override
    public void reluMaxPoolBackward(float[] dy, int[] argmax, float[] x, PoolShape s, float[] dx) {
        // Each thread routes dy into a zeroed buffer of its planes, then adds it where x > 0: the unfused pair's
        // own arithmetic, so bit-identical for any window, stride and thread count.
        Parallel.forRange(poolThreads(s), s.n() * s.c(), (from, to) -> VectorPool.reluMaxPoolBackward(
                dy, argmax, x, s, Scratch.get(SLOT_T, (to - from) * s.h() * s.w()), dx, from, to));
    }

    /** Below 64K inputs a hand-off to another thread costs more than the pooling. */
    private int poolThreads(PoolShape s) {
        return (long) s.inputSize() < 1 << 16 ? 1 : threads;
    }

    // dy (n,c,oh,ow), argmax -> dx (n,c,h,w) +=
    @Override
    public void maxPoolBackward(float[] dy, int[] argmax, PoolShape s, float[] dx) {
        int planes = s.n() * s.c(), outPlane = s.oh() * s.ow(), plane = s.h() * s.w();
        int t = (long) s.inputSize() < 1 << 16 ? 1 : threads;
        Parallel.forRange(t, planes, (from, to) -> {
            for (int nc = from; nc < to; nc++) {
                for (int p = 0, out = nc * outPlane; p < outPlane; p++, out++) {
                    dx[nc * plane + argmax[out]] += dy[out];
                }
            }
        });
    }

    // ---------------------------------------------------------------------------------------------------------
    // Loss: the vector part is the row maximum and the subtraction; exp and log stay scalar, in double like the
    // reference, because a vector exp is not worth its error analysis for ten classes.

    // logits (n,k), target (n) -> logProbs (n,k); returns the mean loss
    @Override
    public float crossEntropyForward(float[] logits, int[] target, int n, int k, float[] logProbs) {
        double total = 0;
        for (int i = 0; i < n; i++) {
            int row = i * k;
            float max = v.max(logits, row, row + k);
            double sumExp = 0;
            for (int j = 0; j < k; j++) {
                sumExp += Math.exp(logits[row + j] - max);
            }
            float logSumExp = max + (float) Math.log(sumExp);
            v.subtract(logits, logProbs, row, k, logSumExp);
            total -= logProbs[row + target[i]];
        }
        return (float) (total / n);
    }

    // logProbs (n,k), target (n) -> dlogits (n,k) +=
    @Override
    public void crossEntropyBackward(float[] logProbs, int[] target, int n, int k, float scale, float[] dlogits) {
        // One exp per logit over ten classes: nothing for SIMD to win, so the reference loop is used as is.
        REFERENCE.crossEntropyBackward(logProbs, target, n, k, scale, dlogits);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Optimizer updates

    @Override
    public void axpy(int len, float alpha, float[] x, float[] y) {
        v.axpy(len, alpha, x, y);
    }

    @Override
    public void scale(int len, float alpha, float[] x) {
        v.scale(len, alpha, x);
    }

    @Override
    public void scaleAdd(int len, float alpha, float[] y, float[] x) {
        v.scaleAdd(len, alpha, y, x);
    }

    @Override
    public double sumOfSquares(int len, float[] x) {
        return v.sumOfSquares(len, x);
    }

    @Override
    public void adamUpdate(int len, float[] p, float[] g, float[] m, float[] vel,
                           float lr, float beta1, float beta2, float eps, float bc1, float bc2) {
        v.adamUpdate(len, p, g, m, vel, lr, beta1, beta2, eps, bc1, bc2);
    }
}
