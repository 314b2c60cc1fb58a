package jcnn.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Direct convolution of several input channels, 3x3, stride 1, padding 1 (the seed CNN's conv2: 16 -> 32 channels
 * on 14x14): forward, input gradient and weight gradient without im2col or col2im, and with the results of the
 * im2col path bit for bit. {@link VectorConv} delegates to it.
 *
 * <p>Why it is fast. The im2col path writes each image out nine times (a 144 x 196 matrix for conv2), packs that
 * matrix again for the GEMM, and runs the backward through a second im2col and a col2im of the same size, so
 * conv2 ran at about a quarter of the FMA peak. Here each image is copied once into zero-padded planes whose row
 * pitch P = w + 2 is the same for the input and for the output, so that tap (i, j) of the kernel is the fixed shift
 * i*P + j of the flat pixel index (the trick of {@link VectorDirectConv}, conv1's kernel): the micro-kernels load
 * their vectors straight from the padded planes, with no packing and no per-row tails. Each keeps a small tile of
 * vectors in registers:
 * <ul>
 *   <li>forward: 4 output channels x 2 vectors of output pixels, summed over (channel, tap): 2 loads and 4
 *       broadcasts per 8 FMAs;</li>
 *   <li>input gradient: 4 input channels x 2 vectors of input pixels, one tap at a time, summed over the output
 *       channels (the transposed convolution: dy padded the same way, read at the mirrored shift);</li>
 *   <li>weight gradient: 3 output channels x the 3 taps of one kernel row, lanes over input channels (x is laid
 *       out channels-last for it), summed over the pixels: 3 loads and 3 broadcasts per 9 FMAs.</li>
 * </ul>
 * With AVX-512's 32 registers (512-bit vectors) the tiles have 8 rows instead of 4 (forward, input gradient) or
 * 3 (weight gradient): the same code with more accumulators, so the loads are spread over twice the FMAs.
 * Rows shorter than a vector (conv2's 14 pixels at 16 lanes) are copied with masked loads and stores.
 * Measured on conv2 at batch 64, one thread, AVX2 (2026-12-02, CPU time, a shared machine): forward 4.6 -> 2.6 ms,
 * input gradient 5.4 -> 3.4 ms, weight gradient 5.5 -> 3.6 ms against the im2col path.
 * The pitched layout computes two dropped columns per row (16 for 14 at conv2) and rounds the plane up to a whole
 * tile; that costs less than the copies it replaces.
 *
 * <p>Why bit-identical. Every sum runs in the order the im2col path's GEMM uses: one FMA chain from zero per
 * {@link VectorGemm#KC}-deep slab of the reduced dimension, slabs added in order; the forward's bias last; the
 * input gradient's taps added in row-major order as col2im adds them; the weight gradient in the same chunks of the
 * batch ({@link VectorConv#weightGradientChunks}) as the im2col path. The padding's zeros are multiplied where
 * im2col skipped them, which adds exact zeros (the centre tap always reaches every pixel, so even the sign of a zero
 * comes out the same; the weight gradient also runs over the dropped columns, where dy is zero); only
 * non-finite values could tell the two apart. The property tests compare the two paths
 * with {@code assertSame}.
 *
 * <p>Why every tile ends in written-out stores, not a helper taking vectors: when C2 compiled such a helper on its
 * own before the tile, it refused to inline it ("already compiled into a big method"), the vectors were boxed, and
 * the weight gradient ran 12x slower (3.3 -> 42 ms) in about one JVM start out of four.
 *
 * <p>Non-goals: other kernel sizes, strides or paddings (they take the im2col path).
 */
final class VectorDirectConvChannels {

    private static final VectorSpecies<Float> S = VectorWidth.FLOAT;
    private static final int L = S.length();
    /**
     * 512-bit vectors mean AVX-512 (on x86), which has 32 vector registers instead of AVX2's 16: room for tiles of
     * twice the rows, which halve the loads per FMA.
     */
    private static final boolean WIDE = L >= 16;
    /**
     * The forward's and input gradient's tile: 4 rows (channels) x 2 vectors, 8 accumulators, or 8 x 2 with 32
     * registers. 4 x 3 (12, as in VectorGemm) measured 1.3x slower here on AVX2: with its 3 loads and a broadcast it
     * needs all 16 registers. On AVX-512 (Xeon, 2026-12-02, conv2 at batch 64, one thread, CPU time) 8 x 2 took the
     * forward from 1.51 to 1.13 ms and the input gradient from 1.56 to 1.26 ms; 4 x 4 (64-pixel tiles, which
     * round conv2's 224 pitched pixels up to 256) was slower than 8 x 2.
     */
    private static final int ROWS = WIDE ? 8 : 4, VECTORS = 2, TILE = VECTORS * L;
    /**
     * The weight gradient's tile: 3 output channels x the 3 taps of a kernel row, 9 accumulators; with 32 registers
     * 8 x 3, 24 (conv2's weight gradient 2.10 -> 1.64 ms on the Xeon; 4 and 6 rows were in between).
     */
    private static final int W_ROWS = WIDE ? 8 : 3;
    /** The reduction depth of one FMA chain: the GEMM's slab, so that the sums round as the im2col path's do. */
    private static final int KC = VectorGemm.KC;

    /** The image's input channels, zero-padded, pitch P (forward). */
    private static final Scratch PADDED_X = new Scratch();
    /** The image's input, zero-padded and channels-last (weight gradient). */
    private static final Scratch CHANNELS_LAST_X = new Scratch();
    /** The image's output gradient, zero-padded, pitch P (input and weight gradients). */
    private static final Scratch PADDED_DY = new Scratch();
    /** Four output (or input-gradient) planes in pitch P, one tile row each. */
    private static final Scratch PITCHED_ROWS = new Scratch();
    /** The weights packed per block of {@link #ROWS} channels (forward and input gradient). */
    private static final Scratch PACKED_W = new Scratch();
    /** dweight and the chunks' sum, channels-last: (o, tap, c rounded up to whole vectors). */
    private static final Scratch DW_SUM = new Scratch();
    /** Channel offsets of each reduction index k = c*9 + tap in the padded planes (forward). */
    private static final Scratch TAP_OFFSETS = new Scratch();
    /** The pitched index of each real pixel, in raster order (weight gradient). */
    private static final Scratch PIXELS = new Scratch();
    /** Each input channel's offset in x, for the gathers of the channels-last copy. */
    private static final Scratch CHANNEL_OFFSETS = new Scratch();
    /** One tile's sums over several slabs of output channels (input gradient, more than KC of them). */
    private static final Scratch SLAB_SUMS = new Scratch();
    /** One weight gradient per chunk of the batch, channels-last, added in chunk order. */
    private static final Scratch WEIGHT_GRADIENT_CHUNKS = new Scratch();

    private VectorDirectConvChannels() {
    }

    /** Whether this path takes shape {@code s}: several input channels, 3x3, stride 1, padding 1. */
    static boolean fits(ConvShape s) {
        return s.c() > 1 && s.kh() == 3 && s.kw() == 3 && s.stride() == 1 && s.pad() == 1;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Geometry. Input and output have the same size (h, w). A padded plane has h + 2 rows of pitch P = w + 2; input
    // pixel (y, x) sits at (y + 1) * P + (x + 1), and so does dy's pixel (y, x) in its padded planes. Output pixel
    // (y, x) is computed at the pitched index q = y * P + x, whose tap (i, j) reads the padded input at q + i*P + j;
    // input pixel q's tap (i, j) reads the padded dy at q + (2 - i)*P + (2 - j). Pitched planes are rounded up to
    // whole tiles ({@link #flat}), and every buffer read past its plane has room for the last tile's taps.

    private static int pitch(ConvShape s) {
        return s.w() + 2;
    }

    /** Floats of one padded plane. */
    private static int plane(ConvShape s) {
        return (s.h() + 2) * pitch(s);
    }

    /** The pitched output plane, h rows of P, rounded up to whole tiles. */
    private static int flat(ConvShape s) {
        int f = s.h() * pitch(s);
        return (f + TILE - 1) / TILE * TILE;
    }

    /** Room past the last plane for the taps of the last tile's dropped pixels. */
    private static int slack(ConvShape s) {
        return flat(s) + 2 * pitch(s) + 2 + L;
    }

    private static int roundUp(int x, int multiple) {
        return (x + multiple - 1) / multiple * multiple;
    }

    /**
     * {@code len} floats from {@code src} to {@code dst} (different arrays). Rows here are short (14 floats for
     * conv2), where a call to System.arraycopy per row cost more than the copy: whole vectors instead, the last one
     * placed to end at the row's end (overlapping the one before, which writes the same values).
     */
    private static void copyRow(float[] src, int from, float[] dst, int to, int len) {
        if (len < L) {
            VectorMask<Float> m = S.indexInRange(0, len);
            FloatVector.fromArray(S, src, from, m).intoArray(dst, to, m);
            return;
        }
        for (int e = 0; e < len - L; e += L) {
            FloatVector.fromArray(S, src, from + e).intoArray(dst, to + e);
        }
        FloatVector.fromArray(S, src, from + len - L).intoArray(dst, to + len - L);
    }

    /** {@link #copyRow}, adding {@code b} to every element (the forward's bias: the same one add per element). */
    private static void copyRowPlus(float[] src, int from, float[] dst, int to, int len, float b) {
        if (len < L) {
            VectorMask<Float> m = S.indexInRange(0, len);
            FloatVector.fromArray(S, src, from, m).add(b).intoArray(dst, to, m);
            return;
        }
        FloatVector bv = FloatVector.broadcast(S, b);
        for (int e = 0; e < len - L; e += L) {
            FloatVector.fromArray(S, src, from + e).add(bv).intoArray(dst, to + e);
        }
        FloatVector.fromArray(S, src, from + len - L).add(bv).intoArray(dst, to + len - L);
    }

    /**
     * Image {@code i} of x (n, c, h, w) into zero-padded planes in {@code xp}; {@code planes} >= c of them are
     * cleared, so that a tile's rows past the last channel read zeros.
     */
    private static void pad(float[] x, int i, int c, int planes, ConvShape s, float[] xp) {
        int p = pitch(s), h = s.h(), w = s.w(), ps = plane(s);
        java.util.Arrays.fill(xp, 0, planes * ps + slack(s), 0f);
        for (int ch = 0; ch < c; ch++) {
            int src = (i * c + ch) * h * w, dst = ch * ps + p + 1;
            for (int y = 0; y < h; y++) {
                copyRow(x, src + y * w, xp, dst + y * p, w);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Forward

    // x (n,c,h,w), weight (o,c,3,3), bias (o) or null -> y (n,o,h,w): images across threads
    static void conv2dForward(float[] x, float[] weight, float[] bias, float[] y, ConvShape s, int threads) {
        int k = s.colRows(), blocks = (s.o() + ROWS - 1) / ROWS;
        // The weights of each block of output channels, k-major: the values one step of k broadcasts.
        float[] wp = PACKED_W.floats(blocks * k * ROWS);
        for (int b = 0; b < blocks; b++) {
            for (int kk = 0; kk < k; kk++) {
                for (int r = 0; r < ROWS; r++) {
                    int o = b * ROWS + r;
                    wp[(b * k + kk) * ROWS + r] = o < s.o() ? weight[o * k + kk] : 0f;
                }
            }
        }
        int[] offsets = TAP_OFFSETS.ints(k);
        for (int ch = 0, kk = 0; ch < s.c(); ch++) {
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 3; j++) {
                    offsets[kk++] = ch * plane(s) + i * pitch(s) + j;
                }
            }
        }
        Parallel.forRange(threads, s.n(), (from, to) -> forward(x, wp, offsets, bias, y, s, from, to));
    }

    private static void forward(float[] x, float[] wp, int[] offsets, float[] bias, float[] y, ConvShape s,
                                int from, int to) {
        int k = s.colRows(), f = flat(s), p = pitch(s), h = s.h(), w = s.w();
        float[] xp = PADDED_X.floats(s.c() * plane(s) + slack(s));
        float[] rows = PITCHED_ROWS.floats(ROWS * f);
        for (int i = from; i < to; i++) {
            pad(x, i, s.c(), s.c(), s, xp);
            for (int o0 = 0; o0 < s.o(); o0 += ROWS) {
                int wBase = o0 * k;
                for (int q = 0; q < f; q += TILE) {
                    for (int k0 = 0; k0 < k; k0 += KC) {
                        if (ROWS == 8) {
                            forwardTile8(xp, q, offsets, wp, wBase, k0, Math.min(k, k0 + KC), rows, f, k0 > 0);
                        } else {
                            forwardTile(xp, q, offsets, wp, wBase, k0, Math.min(k, k0 + KC), rows, f, k0 > 0);
                        }
                    }
                }
                // Drop the pitch's extra columns; the bias last, as the im2col path adds it after its GEMM.
                for (int r = 0; r < ROWS && o0 + r < s.o(); r++) {
                    int o = o0 + r, dst = (i * s.o() + o) * h * w;
                    for (int yy = 0; yy < h; yy++) {
                        if (bias != null) {
                            copyRowPlus(rows, r * f + yy * p, y, dst + yy * w, w, bias[o]);
                        } else {
                            copyRow(rows, r * f + yy * p, y, dst + yy * w, w);
                        }
                    }
                }
            }
        }
    }

    /**
     * Output pixels [q, q + 2L) of four output channels (the 4-row tile), summed over reduction indices [k0, k1) in one FMA chain
     * per element from zero; stored into (or, for a later slab, added to) the four pitched rows.
     */
    private static void forwardTile(float[] xp, int q, int[] offsets, float[] wp, int wBase, int k0, int k1,
                                    float[] rows, int f, boolean add) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S), c10 = FloatVector.zero(S),
                c11 = FloatVector.zero(S), c20 = FloatVector.zero(S), c21 = FloatVector.zero(S),
                c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        for (int kk = k0; kk < k1; kk++) {
            int at = offsets[kk] + q, wi = wBase + kk * 4;
            FloatVector b0 = FloatVector.fromArray(S, xp, at);
            FloatVector b1 = FloatVector.fromArray(S, xp, at + L);
            FloatVector a = FloatVector.broadcast(S, wp[wi]);
            c00 = a.fma(b0, c00);
            c01 = a.fma(b1, c01);
            a = FloatVector.broadcast(S, wp[wi + 1]);
            c10 = a.fma(b0, c10);
            c11 = a.fma(b1, c11);
            a = FloatVector.broadcast(S, wp[wi + 2]);
            c20 = a.fma(b0, c20);
            c21 = a.fma(b1, c21);
            a = FloatVector.broadcast(S, wp[wi + 3]);
            c30 = a.fma(b0, c30);
            c31 = a.fma(b1, c31);
        }
        if (add) {
            c00 = FloatVector.fromArray(S, rows, q).add(c00);
            c01 = FloatVector.fromArray(S, rows, q + L).add(c01);
        }
        c00.intoArray(rows, q);
        c01.intoArray(rows, q + L);
        if (add) {
            c10 = FloatVector.fromArray(S, rows, f + q).add(c10);
            c11 = FloatVector.fromArray(S, rows, f + q + L).add(c11);
        }
        c10.intoArray(rows, f + q);
        c11.intoArray(rows, f + q + L);
        if (add) {
            c20 = FloatVector.fromArray(S, rows, 2 * f + q).add(c20);
            c21 = FloatVector.fromArray(S, rows, 2 * f + q + L).add(c21);
        }
        c20.intoArray(rows, 2 * f + q);
        c21.intoArray(rows, 2 * f + q + L);
        if (add) {
            c30 = FloatVector.fromArray(S, rows, 3 * f + q).add(c30);
            c31 = FloatVector.fromArray(S, rows, 3 * f + q + L).add(c31);
        }
        c30.intoArray(rows, 3 * f + q);
        c31.intoArray(rows, 3 * f + q + L);
    }

    /** {@link #forwardTile} with eight output channels (AVX-512's 32 registers): 2 loads per 16 FMAs. */
    private static void forwardTile8(float[] xp, int q, int[] offsets, float[] wp, int wBase, int k0, int k1,
                                     float[] rows, int f, boolean add) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S), c10 = FloatVector.zero(S),
                c11 = FloatVector.zero(S), c20 = FloatVector.zero(S), c21 = FloatVector.zero(S),
                c30 = FloatVector.zero(S), c31 = FloatVector.zero(S), c40 = FloatVector.zero(S),
                c41 = FloatVector.zero(S), c50 = FloatVector.zero(S), c51 = FloatVector.zero(S),
                c60 = FloatVector.zero(S), c61 = FloatVector.zero(S), c70 = FloatVector.zero(S),
                c71 = FloatVector.zero(S);
        for (int kk = k0; kk < k1; kk++) {
            int at = offsets[kk] + q, wi = wBase + kk * 8;
            FloatVector b0 = FloatVector.fromArray(S, xp, at);
            FloatVector b1 = FloatVector.fromArray(S, xp, at + L);
            FloatVector a;
            a = FloatVector.broadcast(S, wp[wi + 0]);
            c00 = a.fma(b0, c00);
            c01 = a.fma(b1, c01);
            a = FloatVector.broadcast(S, wp[wi + 1]);
            c10 = a.fma(b0, c10);
            c11 = a.fma(b1, c11);
            a = FloatVector.broadcast(S, wp[wi + 2]);
            c20 = a.fma(b0, c20);
            c21 = a.fma(b1, c21);
            a = FloatVector.broadcast(S, wp[wi + 3]);
            c30 = a.fma(b0, c30);
            c31 = a.fma(b1, c31);
            a = FloatVector.broadcast(S, wp[wi + 4]);
            c40 = a.fma(b0, c40);
            c41 = a.fma(b1, c41);
            a = FloatVector.broadcast(S, wp[wi + 5]);
            c50 = a.fma(b0, c50);
            c51 = a.fma(b1, c51);
            a = FloatVector.broadcast(S, wp[wi + 6]);
            c60 = a.fma(b0, c60);
            c61 = a.fma(b1, c61);
            a = FloatVector.broadcast(S, wp[wi + 7]);
            c70 = a.fma(b0, c70);
            c71 = a.fma(b1, c71);
        }
        if (add) {
            c00 = FloatVector.fromArray(S, rows, 0 * f + q).add(c00);
            c01 = FloatVector.fromArray(S, rows, 0 * f + q + L).add(c01);
        }
        c00.intoArray(rows, 0 * f + q);
        c01.intoArray(rows, 0 * f + q + L);
        if (add) {
            c10 = FloatVector.fromArray(S, rows, 1 * f + q).add(c10);
            c11 = FloatVector.fromArray(S, rows, 1 * f + q + L).add(c11);
        }
        c10.intoArray(rows, 1 * f + q);
        c11.intoArray(rows, 1 * f + q + L);
        if (add) {
            c20 = FloatVector.fromArray(S, rows, 2 * f + q).add(c20);
            c21 = FloatVector.fromArray(S, rows, 2 * f + q + L).add(c21);
        }
        c20.intoArray(rows, 2 * f + q);
        c21.intoArray(rows, 2 * f + q + L);
        if (add) {
            c30 = FloatVector.fromArray(S, rows, 3 * f + q).add(c30);
            c31 = FloatVector.fromArray(S, rows, 3 * f + q + L).add(c31);
        }
        c30.intoArray(rows, 3 * f + q);
        c31.intoArray(rows, 3 * f + q + L);
        if (add) {
            c40 = FloatVector.fromArray(S, rows, 4 * f + q).add(c40);
            c41 = FloatVector.fromArray(S, rows, 4 * f + q + L).add(c41);
        }
        c40.intoArray(rows, 4 * f + q);
        c41.intoArray(rows, 4 * f + q + L);
        if (add) {
            c50 = FloatVector.fromArray(S, rows, 5 * f + q).add(c50);
            c51 = FloatVector.fromArray(S, rows, 5 * f + q + L).add(c51);
        }
        c50.intoArray(rows, 5 * f + q);
        c51.intoArray(rows, 5 * f + q + L);
        if (add) {
            c60 = FloatVector.fromArray(S, rows, 6 * f + q).add(c60);
            c61 = FloatVector.fromArray(S, rows, 6 * f + q + L).add(c61);
        }
        c60.intoArray(rows, 6 * f + q);
        c61.intoArray(rows, 6 * f + q + L);
        if (add) {
            c70 = FloatVector.fromArray(S, rows, 7 * f + q).add(c70);
            c71 = FloatVector.fromArray(S, rows, 7 * f + q + L).add(c71);
        }
        c70.intoArray(rows, 7 * f + q);
        c71.intoArray(rows, 7 * f + q + L);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Backward

    /**
     * Parallel over the same chunks of the batch as the im2col path: each chunk sums its images' weight gradients
     * into its own buffer, the chunks are added into dweight in chunk order; dx is per image.
     */
    // dy (n,o,h,w), x, weight -> dx (n,c,h,w) +=, dweight (o,c,3,3) +=, dbias (o) +=; each may be null
    static void conv2dBackward(float[] dy, float[] x, float[] weight,
                               float[] dx, float[] dweight, float[] dbias, ConvShape s, int threads) {
        int n = s.n(), c = s.c(), o = s.o();
        int chunks = VectorConv.weightGradientChunks(s, dweight != null);
        // Each chunk's weight gradient stays in the kernel's channels-last layout (o, tap, c rounded up to cv):
        // transposed into the kernels' (o, c, tap) once per call, not once per chunk (per image, at the batches of
        // the training step's chunks: 4,608 scalar moves each, a quarter of conv2's weight gradient).
        int clSize = o * 9 * roundUp(c, L);
        float[] dwChunks = dweight == null ? null : WEIGHT_GRADIENT_CHUNKS.floats(chunks * clSize);
        // The input gradient broadcasts weight[o][c][tap] for ROWS input channels at once: (block, tap, o, ROWS).
        int blocks = (c + ROWS - 1) / ROWS;
        float[] wt = null;
        if (dx != null) {
            wt = PACKED_W.floats(blocks * 9 * o * ROWS);
            for (int b = 0; b < blocks; b++) {
                for (int t = 0; t < 9; t++) {
                    for (int oo = 0; oo < o; oo++) {
                        for (int r = 0; r < ROWS; r++) {
                            int ch = b * ROWS + r;
                            wt[((b * 9 + t) * o + oo) * ROWS + r] = ch < c ? weight[(oo * c + ch) * 9 + t] : 0f;
                        }
                    }
                }
            }
        }
        float[] wTaps = wt;
        Parallel.forRange(threads, chunks, (from, to) -> {
            for (int chunk = from; chunk < to; chunk++) {
                int first = (int) ((long) n * chunk / chunks), last = (int) ((long) n * (chunk + 1) / chunks);
                backwardChunk(dy, x, wTaps, dx, dwChunks, chunk * clSize, s, first, last);
            }
        });
        if (dweight != null) {
            addChunks(dwChunks, chunks, clSize, dweight, s);
        }
        if (dbias != null) {
            VectorElementwise.biasGrad(dy, n, o, s.colCols(), dbias);
        }
    }

    /**
     * dweight += the chunks' gradients (channels-last), in chunk order: dweight copied into that layout, the chunks
     * added to it one by one, and copied back. The copies are exact, so every element is
     * {@code ((dweight + chunk 0) + chunk 1) + ...}, the im2col path's sum.
     */
    private static void addChunks(float[] dwChunks, int chunks, int clSize, float[] dweight, ConvShape s) {
        int c = s.c(), cv = roundUp(c, L);
        float[] sum = DW_SUM.floats(clSize);
        for (int oo = 0; oo < s.o(); oo++) {
            for (int t = 0; t < 9; t++) {
                for (int ch = 0; ch < cv; ch++) {
                    sum[(oo * 9 + t) * cv + ch] = ch < c ? dweight[(oo * c + ch) * 9 + t] : 0f;
                }
            }
        }
        for (int chunk = 0; chunk < chunks; chunk++) {
            VectorElementwise.addTo(clSize, dwChunks, chunk * clSize, sum, 0);
        }
        for (int oo = 0; oo < s.o(); oo++) {
            for (int t = 0; t < 9; t++) {
                for (int ch = 0; ch < c; ch++) {
                    dweight[(oo * c + ch) * 9 + t] = sum[(oo * 9 + t) * cv + ch];
                }
            }
        }
    }

    private static void backwardChunk(float[] dy, float[] x, float[] wTaps, float[] dx, float[] dwChunks, int dwOff,
                                      ConvShape s, int first, int last) {
        int o4 = roundUp(s.o(), W_ROWS), cv = roundUp(s.c(), L);
        float[] dyp = PADDED_DY.floats(o4 * plane(s) + slack(s));
        float[] xc = dwChunks == null ? null : CHANNELS_LAST_X.floats(plane(s) * cv);
        int[] pixels = PIXELS.ints(s.h() * s.w());
        for (int y = 0, px = 0; y < s.h(); y++) {
            for (int xx = 0; xx < s.w(); xx++) {
                pixels[px++] = y * pitch(s) + xx;
            }
        }
        for (int i = first; i < last; i++) {
            pad(dy, i, s.o(), o4, s, dyp);   // planes [o, o4) zero: the weight gradient's last block reads them
            if (dwChunks != null) {
                channelsLast(x, i, s, cv, xc);
                weightGradient(dyp, xc, pixels, s, cv, dwChunks, dwOff, i == first);
            }
            if (dx != null) {
                inputGradient(dyp, wTaps, dx, i, s);
            }
        }
    }

    // ---- input gradient

    /**
     * dx of image {@code i}, {@link #ROWS} input channels at a time: their planes copied into pitched rows, then for each tap
     * in row-major order (col2im's order) its sum over the output channels added in, then copied back.
     */
    private static void inputGradient(float[] dyp, float[] wTaps, float[] dx, int i, ConvShape s) {
        int c = s.c(), o = s.o(), h = s.h(), w = s.w(), p = pitch(s), f = flat(s), ps = plane(s);
        float[] rows = PITCHED_ROWS.floats(ROWS * f);
        float[] slabs = o > KC ? SLAB_SUMS.floats(ROWS * TILE) : null;
        for (int c0 = 0; c0 < c; c0 += ROWS) {
            java.util.Arrays.fill(rows, 0, ROWS * f, 0f);
            for (int r = 0; r < ROWS && c0 + r < c; r++) {
                int src = (i * c + c0 + r) * h * w;
                for (int y = 0; y < h; y++) {
                    copyRow(dx, src + y * w, rows, r * f + y * p, w);
                }
            }
            int block = c0 / ROWS;
            for (int t = 0; t < 9; t++) {
                int shift = (2 - t / 3) * p + (2 - t % 3), wBase = (block * 9 + t) * o * ROWS;
                for (int q = 0; q < f; q += TILE) {
                    if (o <= KC) {
                        if (ROWS == 8) {
                            inputGradientTile8(dyp, q + shift, ps, wTaps, wBase, 0, o, rows, q, f, true);
                        } else {
                            inputGradientTile(dyp, q + shift, ps, wTaps, wBase, 0, o, rows, q, f, true);
                        }
                    } else {
                        // More than KC output channels: the im2col path's GEMM sums the column slab by slab before
                        // col2im adds it, so the slabs are summed aside first (rare shapes only).
                        for (int k0 = 0; k0 < o; k0 += KC) {
                            int k1 = Math.min(o, k0 + KC);
                            if (ROWS == 8) {
                                inputGradientTile8(dyp, q + shift, ps, wTaps, wBase, k0, k1, slabs, 0, TILE, k0 > 0);
                            } else {
                                inputGradientTile(dyp, q + shift, ps, wTaps, wBase, k0, k1, slabs, 0, TILE, k0 > 0);
                            }
                        }
                        for (int r = 0; r < ROWS; r++) {
                            VectorElementwise.addTo(TILE, slabs, r * TILE, rows, r * f + q);
                        }
                    }
                }
            }
            for (int r = 0; r < ROWS && c0 + r < c; r++) {
                int dst = (i * c + c0 + r) * h * w;
                for (int y = 0; y < h; y++) {
                    copyRow(rows, r * f + y * p, dx, dst + y * w, w);
                }
            }
        }
    }

    /** {@link #inputGradientTile} with eight input channels (AVX-512's 32 registers). */
    private static void inputGradientTile8(float[] dyp, int at, int planeSize, float[] wTaps, int wBase, int o0,
                                           int o1, float[] rows, int q, int f, boolean add) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S), c10 = FloatVector.zero(S),
                c11 = FloatVector.zero(S), c20 = FloatVector.zero(S), c21 = FloatVector.zero(S),
                c30 = FloatVector.zero(S), c31 = FloatVector.zero(S), c40 = FloatVector.zero(S),
                c41 = FloatVector.zero(S), c50 = FloatVector.zero(S), c51 = FloatVector.zero(S),
                c60 = FloatVector.zero(S), c61 = FloatVector.zero(S), c70 = FloatVector.zero(S),
                c71 = FloatVector.zero(S);
        for (int oo = o0; oo < o1; oo++) {
            int d = oo * planeSize + at, wi = wBase + oo * 8;
            FloatVector b0 = FloatVector.fromArray(S, dyp, d);
            FloatVector b1 = FloatVector.fromArray(S, dyp, d + L);
            FloatVector a;
            a = FloatVector.broadcast(S, wTaps[wi + 0]);
            c00 = a.fma(b0, c00);
            c01 = a.fma(b1, c01);
            a = FloatVector.broadcast(S, wTaps[wi + 1]);
            c10 = a.fma(b0, c10);
            c11 = a.fma(b1, c11);
            a = FloatVector.broadcast(S, wTaps[wi + 2]);
            c20 = a.fma(b0, c20);
            c21 = a.fma(b1, c21);
            a = FloatVector.broadcast(S, wTaps[wi + 3]);
            c30 = a.fma(b0, c30);
            c31 = a.fma(b1, c31);
            a = FloatVector.broadcast(S, wTaps[wi + 4]);
            c40 = a.fma(b0, c40);
            c41 = a.fma(b1, c41);
            a = FloatVector.broadcast(S, wTaps[wi + 5]);
            c50 = a.fma(b0, c50);
            c51 = a.fma(b1, c51);
            a = FloatVector.broadcast(S, wTaps[wi + 6]);
            c60 = a.fma(b0, c60);
            c61 = a.fma(b1, c61);
            a = FloatVector.broadcast(S, wTaps[wi + 7]);
            c70 = a.fma(b0, c70);
            c71 = a.fma(b1, c71);
        }
        if (add) {
            c00 = FloatVector.fromArray(S, rows, 0 * f + q).add(c00);
            c01 = FloatVector.fromArray(S, rows, 0 * f + q + L).add(c01);
        }
        c00.intoArray(rows, 0 * f + q);
        c01.intoArray(rows, 0 * f + q + L);
        if (add) {
            c10 = FloatVector.fromArray(S, rows, 1 * f + q).add(c10);
            c11 = FloatVector.fromArray(S, rows, 1 * f + q + L).add(c11);
        }
        c10.intoArray(rows, 1 * f + q);
        c11.intoArray(rows, 1 * f + q + L);
        if (add) {
            c20 = FloatVector.fromArray(S, rows, 2 * f + q).add(c20);
            c21 = FloatVector.fromArray(S, rows, 2 * f + q + L).add(c21);
        }
        c20.intoArray(rows, 2 * f + q);
        c21.intoArray(rows, 2 * f + q + L);
        if (add) {
            c30 = FloatVector.fromArray(S, rows, 3 * f + q).add(c30);
            c31 = FloatVector.fromArray(S, rows, 3 * f + q + L).add(c31);
        }
        c30.intoArray(rows, 3 * f + q);
        c31.intoArray(rows, 3 * f + q + L);
        if (add) {
            c40 = FloatVector.fromArray(S, rows, 4 * f + q).add(c40);
            c41 = FloatVector.fromArray(S, rows, 4 * f + q + L).add(c41);
        }
        c40.intoArray(rows, 4 * f + q);
        c41.intoArray(rows, 4 * f + q + L);
        if (add) {
            c50 = FloatVector.fromArray(S, rows, 5 * f + q).add(c50);
            c51 = FloatVector.fromArray(S, rows, 5 * f + q + L).add(c51);
        }
        c50.intoArray(rows, 5 * f + q);
        c51.intoArray(rows, 5 * f + q + L);
        if (add) {
            c60 = FloatVector.fromArray(S, rows, 6 * f + q).add(c60);
            c61 = FloatVector.fromArray(S, rows, 6 * f + q + L).add(c61);
        }
        c60.intoArray(rows, 6 * f + q);
        c61.intoArray(rows, 6 * f + q + L);
        if (add) {
            c70 = FloatVector.fromArray(S, rows, 7 * f + q).add(c70);
            c71 = FloatVector.fromArray(S, rows, 7 * f + q + L).add(c71);
        }
        c70.intoArray(rows, 7 * f + q);
        c71.intoArray(rows, 7 * f + q + L);
    }

    /**
     * Input pixels [q, q + 2L) of four input channels (the 4-row tile) for one tap: the sum over output channels [o0, o1) of
     * weight x dy at the tap's mirrored shift ({@code at} = q + shift), one FMA chain from zero, added to the rows
     * (or stored, {@code add} false).
     */
    private static void inputGradientTile(float[] dyp, int at, int planeSize, float[] wTaps, int wBase, int o0,
                                          int o1, float[] rows, int q, int f, boolean add) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S), c10 = FloatVector.zero(S),
                c11 = FloatVector.zero(S), c20 = FloatVector.zero(S), c21 = FloatVector.zero(S),
                c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        for (int oo = o0; oo < o1; oo++) {
            int d = oo * planeSize + at, wi = wBase + oo * 4;
            FloatVector b0 = FloatVector.fromArray(S, dyp, d);
            FloatVector b1 = FloatVector.fromArray(S, dyp, d + L);
            FloatVector a = FloatVector.broadcast(S, wTaps[wi]);
            c00 = a.fma(b0, c00);
            c01 = a.fma(b1, c01);
            a = FloatVector.broadcast(S, wTaps[wi + 1]);
            c10 = a.fma(b0, c10);
            c11 = a.fma(b1, c11);
            a = FloatVector.broadcast(S, wTaps[wi + 2]);
            c20 = a.fma(b0, c20);
            c21 = a.fma(b1, c21);
            a = FloatVector.broadcast(S, wTaps[wi + 3]);
            c30 = a.fma(b0, c30);
            c31 = a.fma(b1, c31);
        }
        if (add) {
            c00 = FloatVector.fromArray(S, rows, q).add(c00);
            c01 = FloatVector.fromArray(S, rows, q + L).add(c01);
        }
        c00.intoArray(rows, q);
        c01.intoArray(rows, q + L);
        if (add) {
            c10 = FloatVector.fromArray(S, rows, f + q).add(c10);
            c11 = FloatVector.fromArray(S, rows, f + q + L).add(c11);
        }
        c10.intoArray(rows, f + q);
        c11.intoArray(rows, f + q + L);
        if (add) {
            c20 = FloatVector.fromArray(S, rows, 2 * f + q).add(c20);
            c21 = FloatVector.fromArray(S, rows, 2 * f + q + L).add(c21);
        }
        c20.intoArray(rows, 2 * f + q);
        c21.intoArray(rows, 2 * f + q + L);
        if (add) {
            c30 = FloatVector.fromArray(S, rows, 3 * f + q).add(c30);
            c31 = FloatVector.fromArray(S, rows, 3 * f + q + L).add(c31);
        }
        c30.intoArray(rows, 3 * f + q);
        c31.intoArray(rows, 3 * f + q + L);
    }

    // ---- weight gradient

    /**
     * Image {@code i} of x (n, c, h, w) -> padded planes, channels-last in blocks of one vector: (c / L, padded
     * pixel, L), so that the weight gradient's loads advance by the constant L per pixel, which lets C2 hoist
     * their bounds checks out of the loop (with a stride of cv they stayed in it: 15.5 against 12.6 us per image
     * without the checks, 2026-12-02, AMD EPYC with AVX-512). With
     * 16-lane vectors (AVX-512, whose gathers take a vector per few cycles) one gather of a pixel's channels per
     * vector: conv2's transposition 0.14 -> 0.04 ms per batch of 64 on the Xeon (CPU time, a loaded machine).
     * AVX2 gathers a lane at a time, so at narrower widths the scatter stays scalar.
     */
    private static void channelsLast(float[] x, int i, ConvShape s, int cv, float[] xc) {
        int c = s.c(), h = s.h(), w = s.w(), p = pitch(s);
        java.util.Arrays.fill(xc, 0, plane(s) * cv, 0f);
        if (WIDE) {
            int[] channelOffsets = CHANNEL_OFFSETS.ints(cv);
            for (int ch = 0; ch < cv; ch++) {
                channelOffsets[ch] = ch < c ? ch * h * w : 0;
            }
            int src = i * c * h * w;   // channel c0 + lane is at src + channelOffsets[c0 + lane]
            for (int c0 = 0; c0 < cv; c0 += L) {
                VectorMask<Float> channels = S.indexInRange(c0, c);
                for (int y = 0; y < h; y++) {
                    for (int xx = 0; xx < w; xx++) {
                        FloatVector.fromArray(S, x, src + y * w + xx, channelOffsets, c0, channels)
                                .intoArray(xc, c0 * plane(s) + ((y + 1) * p + 1 + xx) * L);
                    }
                }
            }
            return;
        }
        for (int ch = 0; ch < c; ch++) {
            int src = (i * c + ch) * h * w;
            for (int y = 0; y < h; y++) {
                int dst = (ch / L) * L * plane(s) + ((y + 1) * p + 1) * L + ch % L;
                for (int xx = 0; xx < w; xx++) {
                    xc[dst + xx * L] = x[src + y * w + xx];
                }
            }
        }
    }

    /**
     * One image's weight gradient added into the chunk's (o, tap, c) buffer (written, for the chunk's first image):
     * for each block of {@link #W_ROWS} output channels, kernel row and vector of input channels, the three taps of the row
     * summed over the pixels in raster order, one chain per KC pixels, as the im2col path's GEMM sums them.
     */
    private static void weightGradient(float[] dyp, float[] xc, int[] pixels, ConvShape s, int cv, float[] dwc,
                                       int dwOff, boolean firstImage) {
        int pixelCount = s.h() * s.w(), p = pitch(s), ps = plane(s);
        for (int o0 = 0; o0 < s.o(); o0 += W_ROWS) {
            for (int i = 0; i < 3; i++) {
                for (int c0 = 0; c0 < cv; c0 += L) {
                    for (int p0 = 0; p0 < pixelCount; p0 += KC) {
                        int pe = Math.min(pixelCount, p0 + KC), at = dwOff + (o0 * 9 + 3 * i) * cv + c0;
                        boolean acc = !(firstImage && p0 == 0);
                        if (W_ROWS == 8) {
                            weightGradientTile8(dyp, o0 * ps + p + 1, ps, xc, c0 * ps + i * p * L, cv, pixels, p0,
                                    pe, dwc, at, s.o() - o0, acc);
                        } else {
                            weightGradientTile(dyp, o0 * ps + p + 1, ps, xc, c0 * ps + i * p * L, cv, pixels, p0,
                                    pe, dwc, at, s.o() - o0, acc);
                        }
                    }
                }
            }
        }
    }

    /**
     * Three output channels x taps (i, 0..2) x one vector of input channels: per pixel three broadcasts of dy and
     * three loads of channels-last x (the row's taps are neighbouring pixels), 9 FMAs; then into the buffer, the
     * rows that exist ({@code valid} of three).
     */
    private static void weightGradientTile(float[] dyp, int dyAt, int planeSize, float[] xc, int xAt, int cv,
                                           int[] pixels, int p0, int p1, float[] dwc, int dwAt, int valid,
                                           boolean add) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S), c02 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S), c12 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S), c22 = FloatVector.zero(S);
        // Over the pitched index, dropped columns included: dy is zero there (its padding), so they add exact zeros,
        // and a counted loop with linear indices lets C2 hoist the bounds checks (a table of real pixels did not).
        for (int q = pixels[p0], end = pixels[p1 - 1] + 1; q < end; q++) {
            int xi = xAt + q * L, di = dyAt + q;
            FloatVector b0 = FloatVector.fromArray(S, xc, xi);
            FloatVector b1 = FloatVector.fromArray(S, xc, xi + L);
            FloatVector b2 = FloatVector.fromArray(S, xc, xi + 2 * L);
            FloatVector a = FloatVector.broadcast(S, dyp[di]);
            c00 = a.fma(b0, c00);
            c01 = a.fma(b1, c01);
            c02 = a.fma(b2, c02);
            a = FloatVector.broadcast(S, dyp[di + planeSize]);
            c10 = a.fma(b0, c10);
            c11 = a.fma(b1, c11);
            c12 = a.fma(b2, c12);
            a = FloatVector.broadcast(S, dyp[di + 2 * planeSize]);
            c20 = a.fma(b0, c20);
            c21 = a.fma(b1, c21);
            c22 = a.fma(b2, c22);
        }
        // Row r of the tile is output channel o0 + r, at (o0 + r) * 9 * cv in the buffer; taps j at + j * cv.
        int rowStride = 9 * cv;
        if (add) {
            c00 = FloatVector.fromArray(S, dwc, dwAt).add(c00);
            c01 = FloatVector.fromArray(S, dwc, dwAt + cv).add(c01);
            c02 = FloatVector.fromArray(S, dwc, dwAt + 2 * cv).add(c02);
        }
        c00.intoArray(dwc, dwAt);
        c01.intoArray(dwc, dwAt + cv);
        c02.intoArray(dwc, dwAt + 2 * cv);
        if (valid > 1) {
            if (add) {
                c10 = FloatVector.fromArray(S, dwc, dwAt + rowStride).add(c10);
                c11 = FloatVector.fromArray(S, dwc, dwAt + rowStride + cv).add(c11);
                c12 = FloatVector.fromArray(S, dwc, dwAt + rowStride + 2 * cv).add(c12);
            }
            c10.intoArray(dwc, dwAt + rowStride);
            c11.intoArray(dwc, dwAt + rowStride + cv);
            c12.intoArray(dwc, dwAt + rowStride + 2 * cv);
        }
        if (valid > 2) {
            if (add) {
                c20 = FloatVector.fromArray(S, dwc, dwAt + 2 * rowStride).add(c20);
                c21 = FloatVector.fromArray(S, dwc, dwAt + 2 * rowStride + cv).add(c21);
                c22 = FloatVector.fromArray(S, dwc, dwAt + 2 * rowStride + 2 * cv).add(c22);
            }
            c20.intoArray(dwc, dwAt + 2 * rowStride);
            c21.intoArray(dwc, dwAt + 2 * rowStride + cv);
            c22.intoArray(dwc, dwAt + 2 * rowStride + 2 * cv);
        }
    }

    /** {@link #weightGradientTile} with eight output channels (AVX-512's 32 registers): 24 accumulators. */
    private static void weightGradientTile8(float[] dyp, int dyAt, int planeSize, float[] xc, int xAt, int cv,
                                           int[] pixels, int p0, int p1, float[] dwc, int dwAt, int valid,
                                           boolean add) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S), c02 = FloatVector.zero(S),
                c10 = FloatVector.zero(S), c11 = FloatVector.zero(S), c12 = FloatVector.zero(S),
                c20 = FloatVector.zero(S), c21 = FloatVector.zero(S), c22 = FloatVector.zero(S),
                c30 = FloatVector.zero(S), c31 = FloatVector.zero(S), c32 = FloatVector.zero(S),
                c40 = FloatVector.zero(S), c41 = FloatVector.zero(S), c42 = FloatVector.zero(S),
                c50 = FloatVector.zero(S), c51 = FloatVector.zero(S), c52 = FloatVector.zero(S),
                c60 = FloatVector.zero(S), c61 = FloatVector.zero(S), c62 = FloatVector.zero(S),
                c70 = FloatVector.zero(S), c71 = FloatVector.zero(S), c72 = FloatVector.zero(S);
        for (int q = pixels[p0], end = pixels[p1 - 1] + 1; q < end; q++) {
            int xi = xAt + q * L, di = dyAt + q;
            FloatVector b0 = FloatVector.fromArray(S, xc, xi);
            FloatVector b1 = FloatVector.fromArray(S, xc, xi + L);
            FloatVector b2 = FloatVector.fromArray(S, xc, xi + 2 * L);
            FloatVector a;
            a = FloatVector.broadcast(S, dyp[di + 0 * planeSize]);
            c00 = a.fma(b0, c00);
            c01 = a.fma(b1, c01);
            c02 = a.fma(b2, c02);
            a = FloatVector.broadcast(S, dyp[di + 1 * planeSize]);
            c10 = a.fma(b0, c10);
            c11 = a.fma(b1, c11);
            c12 = a.fma(b2, c12);
            a = FloatVector.broadcast(S, dyp[di + 2 * planeSize]);
            c20 = a.fma(b0, c20);
            c21 = a.fma(b1, c21);
            c22 = a.fma(b2, c22);
            a = FloatVector.broadcast(S, dyp[di + 3 * planeSize]);
            c30 = a.fma(b0, c30);
            c31 = a.fma(b1, c31);
            c32 = a.fma(b2, c32);
            a = FloatVector.broadcast(S, dyp[di + 4 * planeSize]);
            c40 = a.fma(b0, c40);
            c41 = a.fma(b1, c41);
            c42 = a.fma(b2, c42);
            a = FloatVector.broadcast(S, dyp[di + 5 * planeSize]);
            c50 = a.fma(b0, c50);
            c51 = a.fma(b1, c51);
            c52 = a.fma(b2, c52);
            a = FloatVector.broadcast(S, dyp[di + 6 * planeSize]);
            c60 = a.fma(b0, c60);
            c61 = a.fma(b1, c61);
            c62 = a.fma(b2, c62);
            a = FloatVector.broadcast(S, dyp[di + 7 * planeSize]);
            c70 = a.fma(b0, c70);
            c71 = a.fma(b1, c71);
            c72 = a.fma(b2, c72);
        }
        int rowStride = 9 * cv;
        if (valid > 0) {
            if (add) {
                c00 = FloatVector.fromArray(S, dwc, dwAt + 0 * rowStride + 0 * cv).add(c00);
                c01 = FloatVector.fromArray(S, dwc, dwAt + 0 * rowStride + 1 * cv).add(c01);
                c02 = FloatVector.fromArray(S, dwc, dwAt + 0 * rowStride + 2 * cv).add(c02);
            }
            c00.intoArray(dwc, dwAt + 0 * rowStride + 0 * cv);
            c01.intoArray(dwc, dwAt + 0 * rowStride + 1 * cv);
            c02.intoArray(dwc, dwAt + 0 * rowStride + 2 * cv);
        }
        if (valid > 1) {
            if (add) {
                c10 = FloatVector.fromArray(S, dwc, dwAt + 1 * rowStride + 0 * cv).add(c10);
                c11 = FloatVector.fromArray(S, dwc, dwAt + 1 * rowStride + 1 * cv).add(c11);
                c12 = FloatVector.fromArray(S, dwc, dwAt + 1 * rowStride + 2 * cv).add(c12);
            }
            c10.intoArray(dwc, dwAt + 1 * rowStride + 0 * cv);
            c11.intoArray(dwc, dwAt + 1 * rowStride + 1 * cv);
            c12.intoArray(dwc, dwAt + 1 * rowStride + 2 * cv);
        }
        if (valid > 2) {
            if (add) {
                c20 = FloatVector.fromArray(S, dwc, dwAt + 2 * rowStride + 0 * cv).add(c20);
                c21 = FloatVector.fromArray(S, dwc, dwAt + 2 * rowStride + 1 * cv).add(c21);
                c22 = FloatVector.fromArray(S, dwc, dwAt + 2 * rowStride + 2 * cv).add(c22);
            }
            c20.intoArray(dwc, dwAt + 2 * rowStride + 0 * cv);
            c21.intoArray(dwc, dwAt + 2 * rowStride + 1 * cv);
            c22.intoArray(dwc, dwAt + 2 * rowStride + 2 * cv);
        }
        if (valid > 3) {
            if (add) {
                c30 = FloatVector.fromArray(S, dwc, dwAt + 3 * rowStride + 0 * cv).add(c30);
                c31 = FloatVector.fromArray(S, dwc, dwAt + 3 * rowStride + 1 * cv).add(c31);
                c32 = FloatVector.fromArray(S, dwc, dwAt + 3 * rowStride + 2 * cv).add(c32);
            }
            c30.intoArray(dwc, dwAt + 3 * rowStride + 0 * cv);
            c31.intoArray(dwc, dwAt + 3 * rowStride + 1 * cv);
            c32.intoArray(dwc, dwAt + 3 * rowStride + 2 * cv);
        }
        if (valid > 4) {
            if (add) {
                c40 = FloatVector.fromArray(S, dwc, dwAt + 4 * rowStride + 0 * cv).add(c40);
                c41 = FloatVector.fromArray(S, dwc, dwAt + 4 * rowStride + 1 * cv).add(c41);
                c42 = FloatVector.fromArray(S, dwc, dwAt + 4 * rowStride + 2 * cv).add(c42);
            }
            c40.intoArray(dwc, dwAt + 4 * rowStride + 0 * cv);
            c41.intoArray(dwc, dwAt + 4 * rowStride + 1 * cv);
            c42.intoArray(dwc, dwAt + 4 * rowStride + 2 * cv);
        }
        if (valid > 5) {
            if (add) {
                c50 = FloatVector.fromArray(S, dwc, dwAt + 5 * rowStride + 0 * cv).add(c50);
                c51 = FloatVector.fromArray(S, dwc, dwAt + 5 * rowStride + 1 * cv).add(c51);
                c52 = FloatVector.fromArray(S, dwc, dwAt + 5 * rowStride + 2 * cv).add(c52);
            }
            c50.intoArray(dwc, dwAt + 5 * rowStride + 0 * cv);
            c51.intoArray(dwc, dwAt + 5 * rowStride + 1 * cv);
            c52.intoArray(dwc, dwAt + 5 * rowStride + 2 * cv);
        }
        if (valid > 6) {
            if (add) {
                c60 = FloatVector.fromArray(S, dwc, dwAt + 6 * rowStride + 0 * cv).add(c60);
                c61 = FloatVector.fromArray(S, dwc, dwAt + 6 * rowStride + 1 * cv).add(c61);
                c62 = FloatVector.fromArray(S, dwc, dwAt + 6 * rowStride + 2 * cv).add(c62);
            }
            c60.intoArray(dwc, dwAt + 6 * rowStride + 0 * cv);
            c61.intoArray(dwc, dwAt + 6 * rowStride + 1 * cv);
            c62.intoArray(dwc, dwAt + 6 * rowStride + 2 * cv);
        }
        if (valid > 7) {
            if (add) {
                c70 = FloatVector.fromArray(S, dwc, dwAt + 7 * rowStride + 0 * cv).add(c70);
                c71 = FloatVector.fromArray(S, dwc, dwAt + 7 * rowStride + 1 * cv).add(c71);
                c72 = FloatVector.fromArray(S, dwc, dwAt + 7 * rowStride + 2 * cv).add(c72);
            }
            c70.intoArray(dwc, dwAt + 7 * rowStride + 0 * cv);
            c71.intoArray(dwc, dwAt + 7 * rowStride + 1 * cv);
            c72.intoArray(dwc, dwAt + 7 * rowStride + 2 * cv);
        }
    }


}
