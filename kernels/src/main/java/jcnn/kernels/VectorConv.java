package jcnn.kernels;

/**
 * The vector convolution: im2col and col2im, and the forward and backward convolution built on them and on
 * {@link VectorGemm}, parallel over the batch; the shapes a direct kernel serves go to it instead, with the same
 * results bit for bit ({@link VectorDirectConv}: one input channel, conv1; {@link VectorDirectConvChannels}: 3x3
 * with padding 1, conv2). The scalar twin is in {@link ScalarKernels} (its
 * {@code conv2dForward}, {@code conv2dBackward}, {@code im2col} and {@code col2im}); docs/im2col.md explains both.
 *
 * <p>Goals: the contract of {@link Kernels#conv2dForward} and {@link Kernels#conv2dBackward}; results bit-identical
 * whatever the thread count. im2col and col2im are exact (the same values and the same additions as the
 * reference); the convolution differs from the reference only by the GEMM's rounding.
 *
 * <p>Why no vector species here: im2col is copying (System.arraycopy is already vectorised by the JIT), and the
 * arithmetic is in {@link VectorGemm} and {@link VectorElementwise#addTo}.
 */
final class VectorConv {

    /** Upper bound on the floats of the per-chunk weight-gradient buffers of one convolution backward. */
    private static final long DW_BUFFER_FLOATS = 1L << 22;
    /** Upper bound on the chunks a convolution batch is cut into; fixed, so that it never depends on threads. */
    private static final int MAX_CHUNKS = 64;

    /** Each thread's im2col of the image it is working on: (c*kh*kw, oh*ow). */
    private static final Scratch COLUMNS = new Scratch();
    /** One weight gradient per chunk of the batch, added into dweight in chunk order. */
    private static final Scratch WEIGHT_GRADIENT_CHUNKS = new Scratch();
    /** The elements of dx that col2imSame's bulk add touches outside the window, saved and written back. */
    private static final Scratch SAVED = new Scratch();

    private VectorConv() {
    }

    /**
     * Parallel over the batch: each thread unfolds its images into its own column buffer and runs a one-thread
     * GEMM per image, so the images never wait on each other and no output is shared.
     */
    // x (n,c,h,w), weight (o,c,kh,kw), bias (o) or null -> y (n,o,oh,ow)
    static void conv2dForward(float[] x, float[] weight, float[] bias, float[] y, ConvShape s, int threads) {
        if (VectorDirectConv.fits(s)) {
            // One input channel (conv1): a direct convolution, bit-identical to the im2col path below.
            VectorDirectConv.conv2dForward(x, weight, bias, y, s, threads);
        } else if (VectorDirectConvChannels.fits(s)) {
            // Several channels, 3x3, padding 1 (conv2): direct, bit-identical to the im2col path below.
            VectorDirectConvChannels.conv2dForward(x, weight, bias, y, s, threads);
        } else {
            im2colForward(x, weight, bias, y, s, threads);
        }
    }

    /** The forward through im2col + GEMM, for every shape; the direct paths are proven equal to it. */
    static void im2colForward(float[] x, float[] weight, float[] bias, float[] y, ConvShape s, int threads) {
        int rows = s.colRows(), cols = s.colCols(), imageIn = s.c() * s.h() * s.w(), imageOut = s.o() * cols;
        int gemmThreads = s.n() == 1 ? threads : 1;
        Parallel.forRange(threads, s.n(), (from, to) -> {
            float[] col = COLUMNS.floats(rows * cols);
            for (int i = from; i < to; i++) {
                im2col(x, i * imageIn, s, col, 0);
                VectorGemm.sgemm(false, false, s.o(), cols, rows, weight, 0, rows, col, 0, cols,
                        y, i * imageOut, cols, false, gemmThreads);
                if (bias != null) {
                    for (int ch = 0; ch < s.o(); ch++) {
                        int base = i * imageOut + ch * cols;
                        VectorElementwise.addScalar(y, base, base + cols, bias[ch]);
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
    // dy (n,o,oh,ow), x, weight -> dx (n,c,h,w) +=, dweight (o,c,kh,kw) +=, dbias (o) +=; each may be null
    static void conv2dBackward(float[] dy, float[] x, float[] weight,
                               float[] dx, float[] dweight, float[] dbias, ConvShape s, int threads) {
        if (dx == null && dweight != null && VectorDirectConv.fits(s)) {
            // conv1 (no input gradient): the weight gradient summed in registers, without im2col.
            VectorDirectConv.conv2dWeightGradient(dy, x, dweight, dbias, s, threads);
        } else if (VectorDirectConvChannels.fits(s)) {
            VectorDirectConvChannels.conv2dBackward(dy, x, weight, dx, dweight, dbias, s, threads);
        } else {
            im2colBackward(dy, x, weight, dx, dweight, dbias, s, threads);
        }
    }

    /**
     * The chunks the batch is cut into for a weight gradient (each image alone without one): a number that depends
     * only on the shape, shared by every convolution path so that they sum in the same order.
     */
    static int weightGradientChunks(ConvShape s, boolean weightGradient) {
        return !weightGradient ? s.n()
                : (int) Math.max(1, Math.min(Math.min(s.n(), MAX_CHUNKS), DW_BUFFER_FLOATS / s.weightSize()));
    }

    /** The backward through im2col, GEMMs and col2im, for every shape; the direct paths are proven equal to it. */
    static void im2colBackward(float[] dy, float[] x, float[] weight,
                               float[] dx, float[] dweight, float[] dbias, ConvShape s, int threads) {
        int rows = s.colRows(), cols = s.colCols(), imageIn = s.c() * s.h() * s.w(), imageOut = s.o() * cols;
        int wSize = s.weightSize(), n = s.n();
        int chunks = weightGradientChunks(s, dweight != null);
        float[] dwChunks = dweight == null ? null : WEIGHT_GRADIENT_CHUNKS.floats(chunks * wSize);
        int gemmThreads = chunks == 1 ? threads : 1;
        Parallel.forRange(threads, chunks, (from, to) -> {
            float[] col = COLUMNS.floats(rows * cols);
            for (int chunk = from; chunk < to; chunk++) {
                int first = (int) ((long) n * chunk / chunks), last = (int) ((long) n * (chunk + 1) / chunks);
                for (int i = first; i < last; i++) {
                    int xOff = i * imageIn, yOff = i * imageOut;
                    if (dweight != null) {
                        im2col(x, xOff, s, col, 0);
                        VectorGemm.sgemm(false, true, s.o(), rows, cols, dy, yOff, cols, col, 0, cols,
                                dwChunks, chunk * wSize, rows, i > first, gemmThreads);
                    }
                    if (dx != null) {
                        VectorGemm.sgemm(true, false, rows, cols, s.o(), weight, 0, rows, dy, yOff, cols,
                                col, 0, cols, false, gemmThreads);
                        col2im(col, 0, s, dx, xOff);
                    }
                }
            }
        });
        if (dweight != null) {
            for (int chunk = 0; chunk < chunks; chunk++) {
                VectorElementwise.addTo(wSize, dwChunks, chunk * wSize, dweight, 0);
            }
        }
        if (dbias != null) {
            VectorElementwise.biasGrad(dy, n, s.o(), cols, dbias);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // im2col and col2im. For each output row the in-bounds window is computed once, so the interior is a plain
    // copy (stride 1: System.arraycopy, itself vectorised) or add, and only the padding is special-cased.

    static void im2col(float[] x, int xOff, ConvShape s, float[] col, int colOff) {
        int oh = s.oh(), ow = s.ow(), h = s.h(), w = s.w(), st = s.stride(), pad = s.pad();
        if (st == 1 && ow == w) {
            im2colSame(x, xOff, s, col, colOff);
            return;
        }
        int out = colOff;
        for (int ci = 0; ci < s.c(); ci++) {
            for (int i = 0; i < s.kh(); i++) {
                for (int j = 0; j < s.kw(); j++) {
                    int lo = firstInside(j, pad, st), hi = endInside(j, pad, st, w, ow);
                    for (int y = 0; y < oh; y++, out += ow) {
                        int iy = y * st - pad + i;
                        if (iy < 0 || iy >= h) {
                            java.util.Arrays.fill(col, out, out + ow, 0f);
                            continue;
                        }
                        java.util.Arrays.fill(col, out, out + lo, 0f);
                        int src = xOff + (ci * h + iy) * w - pad + j;
                        if (st == 1) {
                            System.arraycopy(x, src + lo, col, out + lo, hi - lo);
                        } else {
                            for (int xo = lo; xo < hi; xo++) {
                                col[out + xo] = x[src + xo * st];
                            }
                        }
                        java.util.Arrays.fill(col, out + hi, out + ow, 0f);
                    }
                }
            }
        }
    }

    // Stride 1 with "same" width (ow == w, e.g. 3x3 with padding 1): a row of col is the image plane shifted by one
    // offset, so it is one bulk copy; only the columns that wrapped around from the neighbouring image row and the
    // rows above and below the image are then zeroed. Far fewer, longer copies than one per output row.
    private static void im2colSame(float[] x, int xOff, ConvShape s, float[] col, int colOff) {
        int oh = s.oh(), ow = s.ow(), h = s.h(), w = s.w(), pad = s.pad(), size = oh * ow;
        int out = colOff;
        for (int ci = 0; ci < s.c(); ci++) {
            int plane = xOff + ci * h * w;
            for (int i = 0; i < s.kh(); i++) {
                int yLo = Math.max(0, pad - i), yHi = Math.min(oh, h + pad - i);
                for (int j = 0; j < s.kw(); j++, out += size) {
                    int lo = firstInside(j, pad, 1), hi = endInside(j, pad, 1, w, ow);
                    if (yLo >= yHi || lo >= hi) {
                        java.util.Arrays.fill(col, out, out + size, 0f);
                        continue;
                    }
                    // From the first element inside the image to the last one, col and x advance together.
                    int first = yLo * ow + lo, end = (yHi - 1) * ow + hi;
                    int shift = (i - pad) * w + (j - pad);
                    java.util.Arrays.fill(col, out, out + first, 0f);
                    System.arraycopy(x, plane + first + shift, col, out + first, end - first);
                    java.util.Arrays.fill(col, out + end, out + size, 0f);
                    for (int y = yLo; y < yHi; y++) {
                        int row = out + y * ow;
                        for (int xo = 0; xo < lo; xo++) {
                            col[row + xo] = 0f;
                        }
                        for (int xo = hi; xo < ow; xo++) {
                            col[row + xo] = 0f;
                        }
                    }
                }
            }
        }
    }

    static void col2im(float[] col, int colOff, ConvShape s, float[] dx, int dxOff) {
        int oh = s.oh(), ow = s.ow(), h = s.h(), w = s.w(), st = s.stride(), pad = s.pad();
        if (st == 1 && ow == w) {
            col2imSame(col, colOff, s, dx, dxOff);
            return;
        }
        int in = colOff;
        for (int ci = 0; ci < s.c(); ci++) {
            for (int i = 0; i < s.kh(); i++) {
                for (int j = 0; j < s.kw(); j++) {
                    int lo = firstInside(j, pad, st), hi = endInside(j, pad, st, w, ow);
                    for (int y = 0; y < oh; y++, in += ow) {
                        int iy = y * st - pad + i;
                        if (iy < 0 || iy >= h) {
                            continue;
                        }
                        int dst = dxOff + (ci * h + iy) * w - pad + j;
                        if (st == 1) {
                            VectorElementwise.addTo(hi - lo, col, in + lo, dx, dst + lo);
                        } else {
                            for (int xo = lo; xo < hi; xo++) {
                                dx[dst + xo * st] += col[in + xo];
                            }
                        }
                    }
                }
            }
        }
    }

    // The adjoint of im2colSame: one bulk vector add per tap. The bulk add also hits the few elements of dx where
    // the window wrapped into the neighbouring image row, so those are saved before and written back after: the
    // result is bit-identical to the segment-by-segment reference, with 14x fewer loop set-ups at 14x14.
    private static void col2imSame(float[] col, int colOff, ConvShape s, float[] dx, int dxOff) {
        int oh = s.oh(), ow = s.ow(), h = s.h(), w = s.w(), pad = s.pad(), size = oh * ow;
        float[] saved = SAVED.floats(size);
        int in = colOff;
        for (int ci = 0; ci < s.c(); ci++) {
            int plane = dxOff + ci * h * w;
            for (int i = 0; i < s.kh(); i++) {
                int yLo = Math.max(0, pad - i), yHi = Math.min(oh, h + pad - i);
                for (int j = 0; j < s.kw(); j++, in += size) {
                    int lo = firstInside(j, pad, 1), hi = endInside(j, pad, 1, w, ow);
                    if (yLo >= yHi || lo >= hi) {
                        continue;
                    }
                    int first = yLo * ow + lo, end = (yHi - 1) * ow + hi;
                    int at = plane + (i - pad) * w + (j - pad);
                    // Wrapped positions inside [first, end): columns [hi, ow) of each valid row but the last, and
                    // columns [0, lo) of each valid row but the first.
                    int n = 0;
                    for (int y = yLo; y < yHi; y++) {
                        int row = at + y * ow;
                        if (y > yLo) {
                            for (int xo = 0; xo < lo; xo++) {
                                saved[n++] = dx[row + xo];
                            }
                        }
                        if (y < yHi - 1) {
                            for (int xo = hi; xo < ow; xo++) {
                                saved[n++] = dx[row + xo];
                            }
                        }
                    }
                    VectorElementwise.addTo(end - first, col, in + first, dx, at + first);
                    n = 0;
                    for (int y = yLo; y < yHi; y++) {
                        int row = at + y * ow;
                        if (y > yLo) {
                            for (int xo = 0; xo < lo; xo++) {
                                dx[row + xo] = saved[n++];
                            }
                        }
                        if (y < yHi - 1) {
                            for (int xo = hi; xo < ow; xo++) {
                                dx[row + xo] = saved[n++];
                            }
                        }
                    }
                }
            }
        }
    }

    /** The first output column whose tap j lands inside the image: xo * st - pad + j >= 0. */
    private static int firstInside(int j, int pad, int st) {
        return pad - j > 0 ? (pad - j + st - 1) / st : 0;
    }

    /** One past the last output column whose tap j lands inside the image: {@code xo * st - pad + j <= w - 1}. */
    private static int endInside(int j, int pad, int st, int w, int ow) {
        int last = w - 1 + pad - j;
        int lo = firstInside(j, pad, st);
        return last < 0 ? lo : Math.max(lo, Math.min(ow, last / st + 1));
    }
}
