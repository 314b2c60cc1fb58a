package jcnn.kernels;

import java.lang.constant.ConstantDescs;
import java.lang.invoke.MethodHandles;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The SIMD loops, written once for every vector width.
 *
 * <p>Why a template: C2 turns Vector API calls into machine instructions only when the species is a compile-time
 * constant; with a species read from a field or a parameter every vector op becomes a call and an allocation,
 * about 40 times slower. A constant means a {@code static final} field, one value per class. Rather than three
 * copies of this source, {@link VectorKernels#loops(int)} loads the bytes of this class as a hidden class once per
 * width, passing the width as class data; each copy's {@link #S} is then a true constant, and each copy gets its
 * own profile and its own compiled code. Loaded the ordinary way (no class data) it takes the preferred width.
 *
 * <p>Rules for this file: no lambdas or method references (a hidden copy cannot resolve its own lambda class on
 * newer JDKs) and no threads; hot loops live in small methods that are called many times, so that C2 compiles
 * them whole instead of through on-stack replacement. The loop shape is the same everywhere: a
 * {@code S.loopBound(n)} main loop, independent accumulators, one reduction, a scalar tail; no masks in hot loops.
 * Additive reductions go through {@link #sumLanes}, never {@code reduceLanes(ADD)}, whose order is unspecified.
 */
final class VectorLoopsTemplate implements VectorLoops {

    private static final VectorSpecies<Float> S = speciesFromClassData();
    private static final VectorSpecies<Double> D = VectorSpecies.of(double.class, S.vectorShape());
    private static final int L = S.length();
    private static final int NR = 3 * L;
    /** Scratch slots of col2im's saved elements and of the lane-order reductions; VectorKernels uses 0 to 5. */
    private static final int SLOT_SAVED = 6, SLOT_LANES = 7;

    private static VectorSpecies<Float> speciesFromClassData() {
        Integer bits;
        try {
            bits = MethodHandles.classData(MethodHandles.lookup(), ConstantDescs.DEFAULT_NAME, Integer.class);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
        if (bits == null || bits == -1) {
            return FloatVector.SPECIES_PREFERRED;
        }
        switch (bits) {
            case 128:
                return FloatVector.SPECIES_128;
            case 256:
                return FloatVector.SPECIES_256;
            case 512:
                return FloatVector.SPECIES_512;
            default:
                throw new IllegalArgumentException("vector width must be 128, 256 or 512 bits, got " + bits);
        }
    }

    /**
     * The sum of the lanes, in lane order. reduceLanes(ADD) leaves the order unspecified, and the interpreter and C2
     * really do differ, so a result would depend on which tier happened to run it: with threads, on timing. This is
     * one store and L - 1 adds per reduction, and reductions happen once per dot product or row, not per element.
     */
    private static float sumLanes(FloatVector v) {
        float[] lanes = Scratch.get(SLOT_LANES, L);
        v.intoArray(lanes, 0);
        float sum = lanes[0];
        for (int i = 1; i < L; i++) {
            sum += lanes[i];
        }
        return sum;
    }

    @Override
    public int bits() {
        return S.vectorBitSize();
    }

    @Override
    public int lanes() {
        return L;
    }

    @Override
    public int nr() {
        return NR;
    }

    // ---------------------------------------------------------------------------------------------------------
    // GEMM

    // op(A) (mb, kb) block -> MR-row panels: panel q holds rows q*MR.., laid out p-major (MR floats per p), so the
    // micro-kernel reads A strictly sequentially. Rows past mb are zero, which makes edge tiles harmless.
    @Override
    public void packA(boolean transA, float[] a, int aOff, int lda, int i0, int p0, int mb, int kb, float[] dst) {
        int d = 0;
        for (int i = 0; i < mb; i += MR) {
            int rows = Math.min(MR, mb - i);
            if (transA) {
                // A is (k, m): the MR values for one p are contiguous.
                int src = aOff + p0 * lda + i0 + i;
                for (int p = 0; p < kb; p++, src += lda, d += MR) {
                    for (int r = 0; r < rows; r++) {
                        dst[d + r] = a[src + r];
                    }
                    for (int r = rows; r < MR; r++) {
                        dst[d + r] = 0f;
                    }
                }
            } else {
                int src = aOff + (i0 + i) * lda + p0;
                for (int r = 0; r < MR; r++) {
                    if (r < rows) {
                        int s = src + r * lda;
                        for (int p = 0; p < kb; p++) {
                            dst[d + p * MR + r] = a[s + p];
                        }
                    } else {
                        for (int p = 0; p < kb; p++) {
                            dst[d + p * MR + r] = 0f;
                        }
                    }
                }
                d += kb * MR;
            }
        }
    }

    // op(B) (kb, nb) block -> NR-column panels, p-major inside a panel (NR floats per p): the micro-kernel loads
    // three whole vectors per step from one cache-resident stream. Columns past nb are zero.
    @Override
    public void packB(boolean transB, float[] b, int bOff, int ldb, int p0, int j0, int kb, int nb, float[] dst,
                      int dOff) {
        int d = dOff;
        for (int j = 0; j < nb; j += NR) {
            int cols = Math.min(NR, nb - j);
            if (!transB) {
                int src = bOff + p0 * ldb + j0 + j;
                if (cols == NR) {
                    for (int p = 0; p < kb; p++, src += ldb, d += NR) {
                        FloatVector.fromArray(S, b, src).intoArray(dst, d);
                        FloatVector.fromArray(S, b, src + L).intoArray(dst, d + L);
                        FloatVector.fromArray(S, b, src + 2 * L).intoArray(dst, d + 2 * L);
                    }
                } else {
                    for (int p = 0; p < kb; p++, src += ldb, d += NR) {
                        System.arraycopy(b, src, dst, d, cols);
                        java.util.Arrays.fill(dst, d + cols, d + NR, 0f);
                    }
                }
            } else if (cols == NR) {
                // B is (n, k): a row of packed panel is a column of B. A gather reads one vector of it at a time
                // (NR rows of B at the same p), instead of NR scalar loads and stores.
                int[] rowsOfB = Scratch.ints(0, NR);   // reused: a new array per panel was 40 KB per step
                for (int c = 0; c < NR; c++) {
                    rowsOfB[c] = c * ldb;
                }
                int src = bOff + (j0 + j) * ldb + p0;
                for (int p = 0; p < kb; p++, d += NR) {
                    FloatVector.fromArray(S, b, src + p, rowsOfB, 0).intoArray(dst, d);
                    FloatVector.fromArray(S, b, src + p, rowsOfB, L).intoArray(dst, d + L);
                    FloatVector.fromArray(S, b, src + p, rowsOfB, 2 * L).intoArray(dst, d + 2 * L);
                }
            } else {
                // B is (n, k): each column of op(B) is a contiguous row of B; write it down the panel.
                for (int c = 0; c < cols; c++) {
                    int src = bOff + (j0 + j + c) * ldb + p0;
                    for (int p = 0; p < kb; p++) {
                        dst[d + p * NR + c] = b[src + p];
                    }
                }
                for (int p = 0; p < kb; p++) {
                    java.util.Arrays.fill(dst, d + p * NR + cols, d + p * NR + NR, 0f);
                }
                d += kb * NR;
            }
        }
    }

    @Override
    public void macroKernel(float[] aPack, float[] bPack, int bBase, int mb, int nb, int kb, int panelFrom, int panelTo,
                            float[] c, int cOff, int ldc, boolean overwrite, float[] tile) {
        for (int q = panelFrom; q < panelTo; q++) {
            int j = q * NR;
            int cols = Math.min(NR, nb - j);
            int bIdx = bBase + q * NR * kb;
            for (int i = 0; i < mb; i += MR) {
                int rows = Math.min(MR, mb - i);
                int aIdx = i * kb;
                if (rows == MR && cols == NR) {
                    micro(aPack, aIdx, bPack, bIdx, kb, c, cOff + i * ldc + j, ldc, overwrite);
                } else {
                    // Edge tile: compute it aside, then copy the part that exists. A last panel narrower than the
                    // micro-tile (196 = 4 x 48 + 4 columns for conv2) only computes the vectors it needs.
                    if (cols <= L) {
                        microNarrow1(aPack, aIdx, bPack, bIdx, kb, tile);
                    } else if (cols <= 2 * L) {
                        microNarrow2(aPack, aIdx, bPack, bIdx, kb, tile);
                    } else {
                        micro(aPack, aIdx, bPack, bIdx, kb, tile, 0, NR, true);
                    }
                    for (int r = 0; r < rows; r++) {
                        int ci = cOff + (i + r) * ldc + j;
                        for (int t = 0; t < cols; t++) {
                            c[ci + t] = overwrite ? tile[r * NR + t] : c[ci + t] + tile[r * NR + t];
                        }
                    }
                }
            }
        }
    }

    // The micro-kernel: a 4 x 3-vector tile of C in 12 registers. Per step of k it does 3 vector loads of B, 4
    // broadcasts of A and 12 independent FMAs: enough independent work to keep both FMA pipes busy through the FMA
    // latency, and few enough loads that they never limit. At 512 bits that is 192 multiply-adds (384 flops) per 7 loads.
    private static void micro(float[] ap, int ai, float[] bp, int bi, int kb,
                              float[] c, int ci, int ldc, boolean overwrite) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S), c02 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S), c12 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S), c22 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S), c32 = FloatVector.zero(S);
        for (int p = 0; p < kb; p++, ai += MR, bi += NR) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bi);
            FloatVector b1 = FloatVector.fromArray(S, bp, bi + L);
            FloatVector b2 = FloatVector.fromArray(S, bp, bi + 2 * L);
            FloatVector a = FloatVector.broadcast(S, ap[ai]);
            c00 = a.fma(b0, c00);
            c01 = a.fma(b1, c01);
            c02 = a.fma(b2, c02);
            a = FloatVector.broadcast(S, ap[ai + 1]);
            c10 = a.fma(b0, c10);
            c11 = a.fma(b1, c11);
            c12 = a.fma(b2, c12);
            a = FloatVector.broadcast(S, ap[ai + 2]);
            c20 = a.fma(b0, c20);
            c21 = a.fma(b1, c21);
            c22 = a.fma(b2, c22);
            a = FloatVector.broadcast(S, ap[ai + 3]);
            c30 = a.fma(b0, c30);
            c31 = a.fma(b1, c31);
            c32 = a.fma(b2, c32);
        }
        store(c00, c01, c02, c, ci, overwrite);
        store(c10, c11, c12, c, ci + ldc, overwrite);
        store(c20, c21, c22, c, ci + 2 * ldc, overwrite);
        store(c30, c31, c32, c, ci + 3 * ldc, overwrite);
    }

    // Edge micro-kernels for a last panel of at most one or two vectors of real columns: 4 (or 8) independent
    // FMAs per k, reading only the first vectors of each packed row; they write rows of NR floats into tile.
    private static void microNarrow1(float[] ap, int ai, float[] bp, int bi, int kb, float[] tile) {
        FloatVector c0 = FloatVector.zero(S), c1 = FloatVector.zero(S), c2 = FloatVector.zero(S),
                c3 = FloatVector.zero(S);
        for (int p = 0; p < kb; p++, ai += MR, bi += NR) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bi);
            c0 = FloatVector.broadcast(S, ap[ai]).fma(b0, c0);
            c1 = FloatVector.broadcast(S, ap[ai + 1]).fma(b0, c1);
            c2 = FloatVector.broadcast(S, ap[ai + 2]).fma(b0, c2);
            c3 = FloatVector.broadcast(S, ap[ai + 3]).fma(b0, c3);
        }
        c0.intoArray(tile, 0);
        c1.intoArray(tile, NR);
        c2.intoArray(tile, 2 * NR);
        c3.intoArray(tile, 3 * NR);
    }

    private static void microNarrow2(float[] ap, int ai, float[] bp, int bi, int kb, float[] tile) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S), c10 = FloatVector.zero(S),
                c11 = FloatVector.zero(S), c20 = FloatVector.zero(S), c21 = FloatVector.zero(S),
                c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        for (int p = 0; p < kb; p++, ai += MR, bi += NR) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bi);
            FloatVector b1 = FloatVector.fromArray(S, bp, bi + L);
            FloatVector a = FloatVector.broadcast(S, ap[ai]);
            c00 = a.fma(b0, c00);
            c01 = a.fma(b1, c01);
            a = FloatVector.broadcast(S, ap[ai + 1]);
            c10 = a.fma(b0, c10);
            c11 = a.fma(b1, c11);
            a = FloatVector.broadcast(S, ap[ai + 2]);
            c20 = a.fma(b0, c20);
            c21 = a.fma(b1, c21);
            a = FloatVector.broadcast(S, ap[ai + 3]);
            c30 = a.fma(b0, c30);
            c31 = a.fma(b1, c31);
        }
        c00.intoArray(tile, 0);
        c01.intoArray(tile, L);
        c10.intoArray(tile, NR);
        c11.intoArray(tile, NR + L);
        c20.intoArray(tile, 2 * NR);
        c21.intoArray(tile, 2 * NR + L);
        c30.intoArray(tile, 3 * NR);
        c31.intoArray(tile, 3 * NR + L);
    }

    private static void store(FloatVector v0, FloatVector v1, FloatVector v2, float[] c, int ci, boolean overwrite) {
        if (!overwrite) {
            v0 = FloatVector.fromArray(S, c, ci).add(v0);
            v1 = FloatVector.fromArray(S, c, ci + L).add(v1);
            v2 = FloatVector.fromArray(S, c, ci + 2 * L).add(v2);
        }
        v0.intoArray(c, ci);
        v1.intoArray(c, ci + L);
        v2.intoArray(c, ci + 2 * L);
    }

    // For shapes too small to repay packing. Each C row is swept 4 vectors at a time, and those 4 vectors stay in
    // registers for the whole k loop: 4 independent FMAs per broadcast, C read and written once.
    @Override
    public void gemmRows(boolean transA, int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff,
                         int ldb, float[] c, int cOff, int ldc, boolean accumulate) {
        int aRow = transA ? 1 : lda, aCol = transA ? lda : 1;
        for (int i = 0; i < m; i++) {
            int ai = aOff + i * aRow, ci = cOff + i * ldc;
            int j = 0;
            for (; j + 4 * L <= n; j += 4 * L) {
                rowBlock4(ai, aCol, k, a, b, bOff + j, ldb, c, ci + j, accumulate);
            }
            for (; j + L <= n; j += L) {
                FloatVector acc = accumulate ? FloatVector.fromArray(S, c, ci + j) : FloatVector.zero(S);
                for (int p = 0, bi = bOff + j; p < k; p++, bi += ldb) {
                    acc = FloatVector.broadcast(S, a[ai + p * aCol]).fma(FloatVector.fromArray(S, b, bi), acc);
                }
                acc.intoArray(c, ci + j);
            }
            for (; j < n; j++) {
                float acc = accumulate ? c[ci + j] : 0f;
                for (int p = 0, bi = bOff + j; p < k; p++, bi += ldb) {
                    acc = Math.fma(a[ai + p * aCol], b[bi], acc);
                }
                c[ci + j] = acc;
            }
        }
    }

    private static void rowBlock4(int ai, int aCol, int k, float[] a, float[] b, int bi, int ldb,
                                  float[] c, int ci, boolean accumulate) {
        FloatVector c0, c1, c2, c3;
        if (accumulate) {
            c0 = FloatVector.fromArray(S, c, ci);
            c1 = FloatVector.fromArray(S, c, ci + L);
            c2 = FloatVector.fromArray(S, c, ci + 2 * L);
            c3 = FloatVector.fromArray(S, c, ci + 3 * L);
        } else {
            c0 = FloatVector.zero(S);
            c1 = FloatVector.zero(S);
            c2 = FloatVector.zero(S);
            c3 = FloatVector.zero(S);
        }
        for (int p = 0; p < k; p++, bi += ldb) {
            FloatVector av = FloatVector.broadcast(S, a[ai + p * aCol]);
            c0 = av.fma(FloatVector.fromArray(S, b, bi), c0);
            c1 = av.fma(FloatVector.fromArray(S, b, bi + L), c1);
            c2 = av.fma(FloatVector.fromArray(S, b, bi + 2 * L), c2);
            c3 = av.fma(FloatVector.fromArray(S, b, bi + 3 * L), c3);
        }
        c0.intoArray(c, ci);
        c1.intoArray(c, ci + L);
        c2.intoArray(c, ci + 2 * L);
        c3.intoArray(c, ci + 3 * L);
    }

    // C = A . B^T with both operands contiguous along k: each element is a dot product. Used when op(B) has so few
    // columns that a packed panel would be mostly padding (the weight gradient of a thin convolution).
    @Override
    public void gemmDots(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                         float[] c, int cOff, int ldc, boolean accumulate) {
        for (int i = 0; i < m; i++) {
            int ci = cOff + i * ldc;
            for (int j = 0; j < n; j++) {
                float d = dot(k, a, aOff + i * lda, b, bOff + j * ldb);
                c[ci + j] = accumulate ? c[ci + j] + d : d;
            }
        }
    }

    // Two accumulators hide the FMA latency; one reduction at the end.
    private static float dot(int k, float[] a, int ai, float[] b, int bi) {
        FloatVector s0 = FloatVector.zero(S), s1 = FloatVector.zero(S);
        int p = 0;
        for (int bound = S.loopBound(k) - L; p < bound; p += 2 * L) {
            s0 = FloatVector.fromArray(S, a, ai + p).fma(FloatVector.fromArray(S, b, bi + p), s0);
            s1 = FloatVector.fromArray(S, a, ai + p + L).fma(FloatVector.fromArray(S, b, bi + p + L), s1);
        }
        for (; p < S.loopBound(k); p += L) {
            s0 = FloatVector.fromArray(S, a, ai + p).fma(FloatVector.fromArray(S, b, bi + p), s0);
        }
        float sum = sumLanes(s0.add(s1));
        for (; p < k; p++) {
            sum = Math.fma(a[ai + p], b[bi + p], sum);
        }
        return sum;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Convolution plumbing. For each output row the in-bounds window is computed once, so the interior is a plain
    // copy (stride 1: System.arraycopy, itself vectorised) or add, and only the padding is special-cased.

    @Override
    public void im2col(float[] x, int xOff, ConvShape s, float[] col, int colOff) {
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

    @Override
    public void col2im(float[] col, int colOff, ConvShape s, float[] dx, int dxOff) {
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
                            addTo(hi - lo, col, in + lo, dx, dst + lo);
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
    private void col2imSame(float[] col, int colOff, ConvShape s, float[] dx, int dxOff) {
        int oh = s.oh(), ow = s.ow(), h = s.h(), w = s.w(), pad = s.pad(), size = oh * ow;
        float[] saved = Scratch.get(SLOT_SAVED, size);
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
                    addTo(end - first, col, in + first, dx, at + first);
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

    // ---------------------------------------------------------------------------------------------------------
    // Elementwise: memory-bound, so the point is full-width loads and stores with the same arithmetic as the
    // scalar reference (no FMA contraction), which makes most of them bit-identical to it. Scalars are broadcast
    // once before the loop: the mul(float)-style overloads go through shared Vector API code whose type profile
    // the first width used in the JVM pollutes, and the second width then ran 10x slower.

    @Override
    public void addScalar(float[] y, int from, int to, float b) {
        FloatVector bv = FloatVector.broadcast(S, b);
        int i = from;
        for (int bound = from + S.loopBound(to - from); i < bound; i += L) {
            FloatVector.fromArray(S, y, i).add(bv).intoArray(y, i);
        }
        for (; i < to; i++) {
            y[i] += b;
        }
    }

    @Override
    public void addTo(int len, float[] x, int xOff, float[] y, int yOff) {
        int i = 0;
        for (int bound = S.loopBound(len); i < bound; i += L) {
            FloatVector.fromArray(S, y, yOff + i).add(FloatVector.fromArray(S, x, xOff + i)).intoArray(y, yOff + i);
        }
        for (; i < len; i++) {
            y[yOff + i] += x[xOff + i];
        }
    }

    // Four accumulators: the adds are independent, so the loop runs at load speed, not at add latency.
    @Override
    public float sum(float[] x, int from, int to) {
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
    @Override
    public void reluForward(float[] x, float[] y, int len) {
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
    @Override
    public void reluBackward(float[] x, float[] dy, float[] dx, int len) {
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

    @Override
    public float max(float[] x, int from, int to) {
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

    @Override
    public void subtract(float[] x, float[] y, int off, int len, float s) {
        FloatVector sv = FloatVector.broadcast(S, s);
        int i = off, end = off + len;
        for (int bound = off + S.loopBound(len); i < bound; i += L) {
            FloatVector.fromArray(S, x, i).sub(sv).intoArray(y, i);
        }
        for (; i < end; i++) {
            y[i] = x[i] - s;
        }
    }

    @Override
    public void axpy(int len, float alpha, float[] x, float[] y) {
        FloatVector av = FloatVector.broadcast(S, alpha);
        int i = 0;
        for (int bound = S.loopBound(len); i < bound; i += L) {
            FloatVector.fromArray(S, x, i).mul(av).add(FloatVector.fromArray(S, y, i)).intoArray(y, i);
        }
        for (; i < len; i++) {
            y[i] += alpha * x[i];
        }
    }

    @Override
    public void scale(int len, float alpha, float[] x) {
        FloatVector av = FloatVector.broadcast(S, alpha);
        int i = 0;
        for (int bound = S.loopBound(len); i < bound; i += L) {
            FloatVector.fromArray(S, x, i).mul(av).intoArray(x, i);
        }
        for (; i < len; i++) {
            x[i] *= alpha;
        }
    }

    @Override
    public void scaleAdd(int len, float alpha, float[] y, float[] x) {
        FloatVector av = FloatVector.broadcast(S, alpha);
        int i = 0;
        for (int bound = S.loopBound(len); i < bound; i += L) {
            FloatVector.fromArray(S, y, i).mul(av).add(FloatVector.fromArray(S, x, i)).intoArray(y, i);
        }
        for (; i < len; i++) {
            y[i] = alpha * y[i] + x[i];
        }
    }

    // Each float vector is widened into two double vectors; a float times a float is exact in double, so only the
    // order of the additions differs from the reference.
    @Override
    public double sumOfSquares(int len, float[] x) {
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
    @Override
    public void adamUpdate(int len, float[] p, float[] g, float[] m, float[] v,
                           float lr, float beta1, float beta2, float eps, float bc1, float bc2) {
        float stepSize = lr / bc1;
        float sqrtBc2 = (float) Math.sqrt(bc2);
        float oneMinusBeta1 = 1 - beta1, oneMinusBeta2 = 1 - beta2;
        FloatVector b1 = FloatVector.broadcast(S, beta1), b2 = FloatVector.broadcast(S, beta2);
        FloatVector omb1 = FloatVector.broadcast(S, oneMinusBeta1), omb2 = FloatVector.broadcast(S, oneMinusBeta2);
        FloatVector step = FloatVector.broadcast(S, stepSize), sqrtBc2v = FloatVector.broadcast(S, sqrtBc2);
        FloatVector epsv = FloatVector.broadcast(S, eps);
        int i = 0;
        for (int bound = S.loopBound(len); i < bound; i += L) {
            FloatVector gv = FloatVector.fromArray(S, g, i);
            FloatVector mv = FloatVector.fromArray(S, m, i).mul(b1).add(gv.mul(omb1));
            FloatVector vv = FloatVector.fromArray(S, v, i).mul(b2).add(gv.mul(omb2).mul(gv));
            FloatVector denom = vv.lanewise(VectorOperators.SQRT).div(sqrtBc2v).add(epsv);
            mv.intoArray(m, i);
            vv.intoArray(v, i);
            FloatVector.fromArray(S, p, i).sub(mv.mul(step).div(denom)).intoArray(p, i);
        }
        for (; i < len; i++) {
            m[i] = beta1 * m[i] + oneMinusBeta1 * g[i];
            v[i] = beta2 * v[i] + oneMinusBeta2 * g[i] * g[i];
            float denom = (float) Math.sqrt(v[i]) / sqrtBc2 + eps;
            p[i] -= stepSize * m[i] / denom;
        }
    }
}
