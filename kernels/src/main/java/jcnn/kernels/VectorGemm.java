package jcnn.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The SIMD GEMM: C = op(A) op(B) (+ C), every transpose, any offsets and leading dimensions, the contract of
 * {@link Kernels#sgemm}.
 *
 * <p>Goals: in the class of OpenBLAS on large squares; bit-identical whatever the thread count (every output
 * element is reduced by one thread, in an order that depends only on the shape). Non-goals: other layouts than
 * row-major, a masked vector tail (tails are scalar). docs/vector-gemm.md explains the design and its figures.
 *
 * <p>What is here, in reading order: {@link #sgemm} chooses a path by shape; the packed, blocked path (Goto / BLIS)
 * is {@link #packedGemm}: {@link #packA} and {@link #packB} lay the operands out for the micro-kernels, and
 * {@link #macroKernel} sweeps them over the tiles of C: {@code micro4x3} (4 rows x 3 vectors) for whole tiles,
 * {@code micro4x2} and {@code micro4x1} for a last panel of one or two vectors. Small products skip packing:
 * {@link #gemmRows} (B not transposed, tile {@code micro1x4}) and {@link #gemmDots} (dot products along k).
 *
 * <p>The species is the JVM's one width ({@link VectorWidth}), a constant, so C2 compiles every vector operation to
 * instructions. Hot loops live in small static methods that are called many times, so C2 compiles them whole
 * instead of through on-stack replacement.
 */
final class VectorGemm {

    private static final VectorSpecies<Float> S = VectorWidth.FLOAT;
    private static final int L = S.length();
    /** Rows of the micro-tile: the packed A panels are this many rows wide. */
    static final int MR = 4;
    /** Columns of the micro-tile (three vectors): the packed B panels are this many columns wide. */
    static final int NR = 3 * L;

    /**
     * Depth of a packed slab. A kc x nr panel of B (24 KiB at 512 bits) is reused from L1/L2 by the mc / 4 row
     * panels of A that the micro-kernel sweeps past it; 128..384 measured within noise of each other on squares.
     * 128 rather than 256 for accuracy: each slab sums an element in one chain of kc FMAs, and at 256 products of
     * depth 4096 came out 1.35-1.6x further from the exact answer than PyTorch's (docs/error-budget.md).
     */
    static final int KC = 128;
    /** The longest chain of FMAs the unpacked row GEMM sums one element in; see gemmRowsPairwise. */
    static final int KS = 32;
    /** Rows of op(A) packed at once per thread: the mc x kc block of A (64 KiB) stays in L2 for all of B's panels. */
    static final int MC = 128;
    /** Panels of op(B) packed at once: at most 64 nr columns (3072 at 512 bits)... */
    static final int NC_PANELS = 64;
    /** ...and at most this many floats (16 MiB) of packed B for all of k. */
    static final long B_PACK_FLOATS = 1L << 22;
    /** Below this many multiply-adds a GEMM is done unpacked: packing would cost more than it saves. */
    static final long SMALL_GEMM = 64L * 64 * 64;
    /** The least work (multiply-adds) worth giving one more thread in a GEMM. */
    static final long PER_THREAD_GEMM = 1L << 20;

    /** op(B) packed into NR-column panels, shared by the threads of one GEMM. */
    private static final Scratch PACKED_B = new Scratch();
    /** Each thread's rows of op(A) packed into MR-row panels, one kc slab at a time. */
    private static final Scratch PACKED_A = new Scratch();
    /** One MR x NR edge tile, computed aside and then copied into the part of C that exists. */
    private static final Scratch EDGE_TILE = new Scratch();
    /** A small op(B) transposed once, so that the unpacked row path can stream it. */
    private static final Scratch TRANSPOSED_B = new Scratch();
    /** The row offsets of B that the gather in packB reads at once. */
    private static final Scratch ROWS_OF_B = new Scratch();
    /** The second halves of the pairwise row GEMM, one m x n block per level of its recursion. */
    private static final Scratch PAIRWISE_HALVES = new Scratch();

    private VectorGemm() {
    }

    // A (m,k) or A^T, B (k,n) or B^T -> C (m,n), using up to threads threads
    static void sgemm(boolean transA, boolean transB, int m, int n, int k,
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
        boolean small = work <= SMALL_GEMM || m < MR;
        if (transB && !transA && (small || 2 * n < NR)) {
            // Both operands contiguous along k, and packing would not pay (or op(B) is so thin that a packed panel
            // would be mostly zero padding): dot products waste nothing. Also the matrix-vector case.
            // In slabs of 2 * lanes * KS: each dot sums its two accumulators' lanes, chains of at most KS FMAs,
            // from zero and is then added to C. Unslabbed, at 128 bits a 4099-term dot ran 8 chains of 512 (1.6x
            // PyTorch's error, docs/error-budget.md); 2 * L * KS keeps a 784-term dot in one slab at 512 bits.
            int slab = 2 * L * KS;
            for (int p0 = 0; p0 < k; p0 += slab) {
                gemmDots(m, n, Math.min(slab, k - p0), a, aOff + p0, lda, b, bOff + p0, ldb, c, cOff, ldc,
                        accumulate || p0 > 0);
            }
        } else if (!transB && (small || k <= 16)) {
            // Few terms per element (conv1's k = 9) or a small product: stream rows of B, no packing.
            gemmRowsPairwise(transA, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
        } else if (transB && small && (long) k * n <= 1 << 20) {
            // Small, both transposed: transposing B once is cheap at this size and leaves the unpacked row path.
            float[] t = TRANSPOSED_B.floats(k * n);
            for (int j = 0; j < n; j++) {
                for (int p = 0; p < k; p++) {
                    t[p * n + j] = b[bOff + j * ldb + p];
                }
            }
            gemmRowsPairwise(transA, m, n, k, a, aOff, lda, t, 0, n, c, cOff, ldc, accumulate);
        } else {
            // A thread only pays for its hand-off (tens of microseconds) with about a million multiply-adds.
            int useful = (int) Math.max(1, Math.min(threads, work / PER_THREAD_GEMM));
            packedGemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate, useful);
        }
    }

    /**
     * The unpacked row GEMM as a pairwise sum over k: split k in two halves of whole {@link #KS}-deep slabs, sum
     * each half so, and add them. gemmRows alone sums each element in one chain of k FMAs, and the rounding error
     * of a chain grows with its length: fc2's weight gradient at a batch of 64 came out 1.25x (mean), and at a
     * batch of 4096 15x, further from the exact answer than PyTorch's (docs/error-budget.md). Pairwise, no chain
     * is longer than KS and each element sees log2(k / KS) more adds; the extra passes cost m * n adds per level,
     * against m * n * k multiply-adds.
     */
    private static void gemmRowsPairwise(boolean transA, int m, int n, int k, float[] a, int aOff, int lda,
                                         float[] b, int bOff, int ldb, float[] c, int cOff, int ldc,
                                         boolean accumulate) {
        if (k <= KS) {
            gemmRows(transA, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
            return;
        }
        int levels = 32 - Integer.numberOfLeadingZeros((k - 1) / KS);   // ceil(log2(slabs))
        float[] halves = PAIRWISE_HALVES.floats(levels * m * n);
        gemmRowsPairwise(transA, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate, halves, 0);
    }

    private static void gemmRowsPairwise(boolean transA, int m, int n, int k, float[] a, int aOff, int lda,
                                         float[] b, int bOff, int ldb, float[] c, int cOff, int ldc,
                                         boolean accumulate, float[] halves, int level) {
        if (k <= KS) {
            gemmRows(transA, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
            return;
        }
        int first = ((k + KS - 1) / KS + 1) / 2 * KS;
        gemmRowsPairwise(transA, m, n, first, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate, halves,
                level + 1);
        int t = level * m * n;
        gemmRowsPairwise(transA, m, n, k - first, a, transA ? aOff + first * lda : aOff + first, lda,
                b, bOff + first * ldb, ldb, halves, t, n, false, halves, level + 1);
        for (int i = 0; i < m; i++) {
            VectorElementwise.addTo(n, halves, t + i * n, c, cOff + i * ldc);
        }
    }

    /**
     * The blocked GEMM (Goto / BLIS). For each block of columns, all of op(B) (every kc-deep slab) is packed into
     * NR-wide panels, shared by the threads; then the rows of C (or, when there are too few rows for the threads,
     * the panels) are cut into items, and each item walks the kc slabs in order, packing its rows of A for each and
     * running the micro-kernel over its tiles. Items never share an output element and the kc blocking depends
     * only on k, so every element of C sees the same additions in the same order for any thread count. Two
     * hand-offs per column block, whatever k is.
     */
    private static void packedGemm(boolean transA, boolean transB, int m, int n, int k,
                                   float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                   float[] c, int cOff, int ldc, boolean accumulate, int threads) {
        int ncMax = (int) Math.max(1, Math.min(NC_PANELS, B_PACK_FLOATS / ((long) k * NR))) * NR;
        for (int jc = 0; jc < n; jc += ncMax) {
            int nb = Math.min(ncMax, n - jc), j0 = jc;
            int panels = (nb + NR - 1) / NR;
            // Slab pc of the packed B starts at pc * panels * NR; panel q of it at q * NR * kb after that.
            float[] bPack = PACKED_B.floats(panels * NR * k);
            if (threads == 1 || panels == 1) {
                packBPanels(transB, b, bOff, ldb, k, j0, nb, panels, 0, panels, bPack);
            } else {
                Parallel.forRange(threads, panels,
                        (from, to) -> packBPanels(transB, b, bOff, ldb, k, j0, nb, panels, from, to, bPack));
            }
            int rowsPerItem = Math.min(MC, roundUp((m + threads - 1) / threads, MR));
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

    private static void packBPanels(boolean transB, float[] b, int bOff, int ldb, int k, int j0, int nb,
                                    int panels, int from, int to, float[] bPack) {
        int cols = Math.min(nb - from * NR, (to - from) * NR);
        for (int pc = 0; pc < k; pc += KC) {
            int kb = Math.min(KC, k - pc);
            packB(transB, b, bOff, ldb, pc, j0 + from * NR, kb, cols, bPack, pc * panels * NR + from * NR * kb);
        }
    }

    private static void gemmItems(int from, int to, int colItems, int rowsPerItem, int panelsPerItem,
                                  int panels, boolean transA, int m, int nb, int k, float[] a, int aOff,
                                  int lda, float[] bPack, float[] c, int cBlock, int ldc, boolean accumulate) {
        float[] aPack = PACKED_A.floats(roundUp(rowsPerItem, MR) * Math.min(KC, k));
        float[] tile = EDGE_TILE.floats(MR * NR);
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
                packA(transA, a, aOff, lda, i0, pc, mb, kb, aPack);
                macroKernel(aPack, bPack, pc * panels * NR, mb, nb, kb, q0, q1, c, cBlock + i0 * ldc, ldc,
                        !accumulate && pc == 0, tile);
            }
        }
    }

    private static int roundUp(int x, int multiple) {
        return (x + multiple - 1) / multiple * multiple;
    }

    // ---------------------------------------------------------------------------------------------------------
    // The packing and the micro-kernels

    // op(A) (mb, kb) block -> MR-row panels: panel q holds rows q*MR.., laid out p-major (MR floats per p), so the
    // micro-kernel reads A strictly sequentially. Rows past mb are zero, which makes edge tiles harmless.
    static void packA(boolean transA, float[] a, int aOff, int lda, int i0, int p0, int mb, int kb, float[] dst) {
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
    static void packB(boolean transB, float[] b, int bOff, int ldb, int p0, int j0, int kb, int nb, float[] dst,
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
                int[] rowsOfB = ROWS_OF_B.ints(NR);   // reused: a new array per panel was 40 KB per step
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

    static void macroKernel(float[] aPack, float[] bPack, int bBase, int mb, int nb, int kb, int panelFrom, int panelTo,
                            float[] c, int cOff, int ldc, boolean overwrite, float[] tile) {
        for (int q = panelFrom; q < panelTo; q++) {
            int j = q * NR;
            int cols = Math.min(NR, nb - j);
            int bIdx = bBase + q * NR * kb;
            for (int i = 0; i < mb; i += MR) {
                int rows = Math.min(MR, mb - i);
                int aIdx = i * kb;
                if (rows == MR && cols == NR) {
                    micro4x3(aPack, aIdx, bPack, bIdx, kb, c, cOff + i * ldc + j, ldc, overwrite);
                } else {
                    // Edge tile: compute it aside, then copy the part that exists. A last panel narrower than the
                    // micro-tile (196 = 4 x 48 + 4 columns for conv2) only computes the vectors it needs.
                    if (cols <= L) {
                        micro4x1(aPack, aIdx, bPack, bIdx, kb, tile);
                    } else if (cols <= 2 * L) {
                        micro4x2(aPack, aIdx, bPack, bIdx, kb, tile);
                    } else {
                        micro4x3(aPack, aIdx, bPack, bIdx, kb, tile, 0, NR, true);
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

    // The micro-kernel, named by its tile: 4 rows x 3 vectors of C in 12 registers. Per step of k it does 3 vector loads of B, 4
    // broadcasts of A and 12 independent FMAs: enough independent work to keep both FMA pipes busy through the FMA
    // latency, and few enough loads that they never limit. At 512 bits that is 192 multiply-adds (384 flops) per 7 loads.
    private static void micro4x3(float[] ap, int ai, float[] bp, int bi, int kb,
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
    private static void micro4x1(float[] ap, int ai, float[] bp, int bi, int kb, float[] tile) {
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

    private static void micro4x2(float[] ap, int ai, float[] bp, int bi, int kb, float[] tile) {
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
    static void gemmRows(boolean transA, int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff,
                         int ldb, float[] c, int cOff, int ldc, boolean accumulate) {
        int aRow = transA ? 1 : lda, aCol = transA ? lda : 1;
        for (int i = 0; i < m; i++) {
            int ai = aOff + i * aRow, ci = cOff + i * ldc;
            int j = 0;
            for (; j + 4 * L <= n; j += 4 * L) {
                micro1x4(ai, aCol, k, a, b, bOff + j, ldb, c, ci + j, accumulate);
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

    private static void micro1x4(int ai, int aCol, int k, float[] a, float[] b, int bi, int ldb,
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
    static void gemmDots(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
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
        float sum = VectorElementwise.sumLanes(s0.add(s1));
        for (; p < k; p++) {
            sum = Math.fma(a[ai + p], b[bi + p], sum);
        }
        return sum;
    }
}
