package jcnn.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
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
 * {@link #macroKernel} sweeps them over the tiles of C: {@code micro4x3} (4 rows x 3 vectors) at 128 and 256 bits,
 * {@code micro8x3} or {@code micro8x2} at 512 (the others of the tile study in {@link Tile}) for whole tiles,
 * {@code edge8x1} ... {@code edge2x2} for a last panel of fewer vectors. A small B that is not transposed is read
 * in place rather than packed ({@link #readsBInPlace}).
 * Small products skip packing: {@link #gemmRows} (B not transposed, tiles {@code rows4x3}, {@code rows4x1},
 * {@code micro1x4}) and {@link #gemmDots} (dot products along k, four at a time).
 *
 * <p>The species is the JVM's one width ({@link VectorWidth}), a constant, so C2 compiles every vector operation to
 * instructions. Hot loops live in small static methods that are called many times, so C2 compiles them whole
 * instead of through on-stack replacement.
 */
final class VectorGemm {

    private static final VectorSpecies<Float> S = VectorWidth.FLOAT;
    private static final int L = S.length();
    /**
     * The dispatch in {@link #sgemm} measures shapes against the 4 x 3-vector tile it was tuned with: fewer rows
     * than MR, or an op(B) narrower than NR / 2, leave the packed path. Kept as they are whatever tile the packed
     * path uses, so that every shape takes the path (and so the order of additions) it always took.
     */
    static final int MR = 4;
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
    /**
     * Rows of op(A) packed at once per thread: the mc x kc block of A (64 KiB, 128 KiB at 512 bits) stays in L2 for
     * all of B's panels. 256 at 512 bits (the Xeon's 2 MiB L2): square 512 117 -> 129-134 GFLOP/s, the other
     * squares and fc1 dW within the noise (CPU time, shared host, 2026-12-02). Threads split rows of C, so this
     * changes no sum.
     */
    static final int MC = VectorWidth.FLOAT.length() == 16 ? 256 : 128;
    /** Panels of op(B) packed at once: at most 64 nr columns (3072 at 512 bits)... */
    static final int NC_PANELS = 64;
    /** ...and at most this many floats (16 MiB) of packed B for all of k. */
    static final long B_PACK_FLOATS = 1L << 22;
    /**
     * op(B) of fewer floats than this (1 MiB) is read in place by the packed path, when not transposed
     * ({@link #readsBInPlace}). The squares from 512 up are not: their power-of-two row strides would map a
     * panel's rows onto the same few L1 sets.
     */
    static final long IN_PLACE_B = 1L << 18;
    /** Below this many multiply-adds a GEMM is done unpacked: packing would cost more than it saves. */
    static final long SMALL_GEMM = 64L * 64 * 64;
    /** The least work (multiply-adds) worth giving one more thread in a GEMM. */
    static final long PER_THREAD_GEMM = 1L << 20;

    /** op(B) packed into nr-column panels, shared by the threads of one GEMM. */
    private static final Scratch PACKED_B = new Scratch();
    /** Each thread's rows of op(A) packed into mr-row panels, one kc slab at a time. */
    private static final Scratch PACKED_A = new Scratch();
    /** One mr x nr edge tile, computed aside and then copied into the part of C that exists. */
    private static final Scratch EDGE_TILE = new Scratch();
    /** A small op(B) transposed once, so that the unpacked row path can stream it. */
    private static final Scratch TRANSPOSED_B = new Scratch();
    /** The row offsets of B that the gather in packB reads at once. */
    private static final Scratch ROWS_OF_B = new Scratch();
    /** The offsets into A that the gather in packA reads at once. */
    private static final Scratch ROWS_OF_A = new Scratch();
    /** The second halves of the pairwise row GEMM, one m x n block per level of its recursion. */
    private static final Scratch PAIRWISE_HALVES = new Scratch();

    /**
     * The register tiles of the packed path, named rows x vectors of C. At 256 bits (16 ymm registers) 4x3 and 6x2
     * both hold 12 accumulators in registers (16 and 15 registers with the B vectors and the broadcast); 8x2, 8x3
     * and 12x2 need 19, 28 and 27, so C2 spills accumulators to the stack on AVX2; they fit AVX-512's 32 registers,
     * where 8x3 and 8x2 are the ones used. Every tile sums each element of a slab in the same single chain of kb
     * FMAs from zero, so the choice changes speed only, never a bit. {@link #tileFor} holds the measured choice.
     */
    enum Tile {
        T4X3(4, 3), T6X2(6, 2), T8X2(8, 2), T8X3(8, 3), T12X2(12, 2);

        final int mr, nv, nr;

        Tile(int mr, int nv) {
            this.mr = mr;
            this.nv = nv;
            this.nr = nv * VectorWidth.FLOAT.length();
        }

        /** "4x3" and so on; also the value of -Djcnn.gemm.tile. */
        String label() {
            return mr + "x" + nv;
        }

        static Tile of(String label) {
            for (Tile t : values()) {
                if (t.label().equals(label)) {
                    return t;
                }
            }
            throw new IllegalArgumentException("-Djcnn.gemm.tile=" + label + ": expected one of 4x3, 6x2, 8x2, 8x3, 12x2");
        }
    }

    /**
     * For the tile study only (bench, docs/vector-gemm.md): -Djcnn.gemm.tile=6x2 forces one tile on every packed
     * GEMM of this JVM; unset, {@link #tileFor} chooses. A constant, so the choice costs nothing when unset.
     */
    private static final Tile FORCED_TILE = System.getProperty("jcnn.gemm.tile", "").isEmpty() ? null
            : Tile.of(System.getProperty("jcnn.gemm.tile"));

    private VectorGemm() {
    }

    /**
     * The tile of a packed GEMM of this shape. At 128 and 256 bits 4x3 for every shape class; at 512 bits (32
     * registers) 8x3 or 8x2, by shape. Every tile sums in the same order, so this changes speed, never a bit.
     *
     * <p>256 bits (2026-12-02, AMD EPYC, AVX2, JDK 25, GemmCpuTime, GFLOP per CPU-second of the best 0.2 s round,
     * two alternated rounds per tile; a host shared by other work at a load of 13-23 on 2 vCPUs, so only large gaps
     * count): 8x2 and 12x2 ran 3-6x slower, their 16 and 24 accumulators do not fit 16 ymm registers and C2
     * spills them; 4x3 and 6x2 within the noise of each other; 4x3 stays, for one fewer load per 12 FMAs and
     * because the CNN's m of 16, 32 and 64 are whole 4-row panels.
     *
     * <pre>
     *              4x3         6x2         8x2        12x2
     * SQ512     19.5/18.1   18.1/21.3    6.6/6.6     3.5/3.4
     * SQ1024    22.4/22.2   18.7/22.6    6.5/7.2     3.6/3.6
     * CONV2_FWD 13.2/13.7   10.6/13.4    4.7/6.3     3.6/3.4
     * CONV2_DX  17.2/18.6   16.2/23.9    6.2/7.5     4.0/3.7
     * FC1_DW    19.6/16.6   14.8/19.8    5.3/6.2     3.4/3.5
     * FC1_DX    15.5/16.4   13.5/16.9    5.5/6.2     3.6/3.4
     * </pre>
     *
     * <p>512 bits (2026-12-02, Intel Xeon with AVX-512, 2 vCPUs shared with other work, JDK 25, the same harness,
     * two alternated rounds, best of each; the build before B was read in place, docs/vector-gemm.md has the
     * later figures): 8x3 leads on the CNN's shapes, 8x2 on the squares and on fc1 fwd (n = 128, where 3-vector
     * panels leave a third of the columns to the edge kernels); 12x2 nowhere by more than the noise.
     *
     * <pre>
     *              4x3          8x2          8x3         12x2
     * SQ1024    110/116      117/114      114/103      103/ 96
     * SQ2048     89/ 96      108/106      102/100       81/ 90
     * CONV2_FWD  68/ 75       79/ 80       81/ 84       70/ 67
     * CONV2_DW   74/ 76       68/ 65       84/ 79       59/ 56
     * FC1_FWD    64/ 70      100/ 89       73/ 71       71/ 70
     * FC1_DX     92/ 95       97/ 92      104/105       82/ 86
     * </pre>
     */
    static Tile tileFor(int m, int n, int k) {
        if (FORCED_TILE != null) {
            return FORCED_TILE;
        }
        if (L < 16 || m < 8) {
            return Tile.T4X3;
        }
        boolean thinEdge = n % (3 * L) != 0 && n % (2 * L) == 0 && n < 16 * 3 * L;
        boolean large = (long) m * n * k >= 1L << 27;
        return thinEdge || large ? Tile.T8X2 : Tile.T8X3;
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
        // A thread only pays for its hand-off (tens of microseconds) with about a million multiply-adds.
        int useful = (int) Math.max(1, Math.min(threads, work / PER_THREAD_GEMM));
        Path path;
        if (transB && !transA && (small || 2 * n < NR)) {
            path = Path.DOTS;
        } else if (!transB && (small || k <= 16)) {
            path = Path.ROWS;
        } else if (transB && small && (long) k * n <= 1 << 20) {
            path = Path.ROWS;
            // Small, both transposed: transposing B once is cheap at this size and leaves the unpacked row path.
            float[] t = TRANSPOSED_B.floats(k * n);
            for (int j = 0; j < n; j++) {
                for (int p = 0; p < k; p++) {
                    t[p * n + j] = b[bOff + j * ldb + p];
                }
            }
            b = t;
            bOff = 0;
            ldb = n;
        } else if (transB && !transA && m <= FEW_ROWS && n >= JR) {
            fewRowsTimesBt(m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate, useful);
            return;
        } else {
            packedGemm(tileFor(m, n, k), transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc,
                    accumulate, useful);
            return;
        }
        // The unpacked paths on several threads: blocks of rows of C, each with the arithmetic it has on one
        // thread (the path is chosen above for the whole shape, so no block can take another one).
        int blocks = (m + MR - 1) / MR;
        if (useful > 1 && blocks > 1) {
            float[] bb = b;
            int bo = bOff, lb = ldb;
            Parallel.forRange(useful, blocks, (from, to) -> {
                int i0 = from * MR, rows = Math.min(m, to * MR) - i0;
                unpacked(path, transA, rows, n, k, a, transA ? aOff + i0 : aOff + i0 * lda, lda, bb, bo, lb,
                        c, cOff + i0 * ldc, ldc, accumulate);
            });
        } else {
            unpacked(path, transA, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
        }
    }

    /**
     * At most this many rows of C take {@link #fewRowsTimesBt}: the classifier's forward at the training step's
     * batches of 32 and 64 (and in inference's chunks of 64 images). Measured, fc1's n = 128, k = 1568, one thread,
     * AMD EPYC with AVX-512, JDK 25, the packed path against this one: on 2026-12-02 (best of 7 rounds of 1 s, the
     * first version, whose stores went through a helper that C2 did not inline) at 512 bits m = 16 133 -> 53 us,
     * m = 32 169 -> 110, m = 64 263 -> 212, at 256 bits 122 -> 81, 199 -> 177, 411 -> 344; on 2026-12-03, a host
     * about half as fast, m = 64 in JMH ({@code GemmBench FC1_FWD}, two alternated rounds) 491 / 479 us packed,
     * 439 / 455 with that helper, 332 / 357 with the stores inline.
     */
    static final int FEW_ROWS = 64;
    /** The rows of B (columns of C) that {@link #fewRowsTimesBt} keeps in registers at once. */
    private static final int JR = 8;
    /** A^T, up to 2 L rows of A at a time, for {@link #fewRowsTimesBt}. */
    private static final Scratch A_TRANSPOSED = new Scratch();
    /** C^T, for {@link #fewRowsTimesBt}. */
    private static final Scratch C_TRANSPOSED = new Scratch();

    /**
     * C = A . B^T (+ C) for few rows of A: the linear layer's forward at the training step's batch (64 x 1568 times
     * 1568 x 128 for fc1). The packed path transposes all of B into panels on every call, 200,704 floats for fc1,
     * to multiply them by 64 rows; here the lanes run over the rows of A instead (one or two vectors of them), so it
     * is A that is transposed, and B is read where it lies, a broadcast at a time from 8 of its rows at once. The
     * broadcasts are what bounds it (one per FMA with one vector of rows, one per two with two): two vectors of
     * rows at a time where there are more than L.
     *
     * <p>Each element of C gets exactly the packed path's arithmetic: per KC-deep slab one chain of FMAs from zero,
     * in the order of p, added to C slab by slab (the slabs accumulate in C^T, and C^T is written back once), so
     * taking this path changes speed, never a bit. Threads split the columns of C.
     */
    static void fewRowsTimesBt(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                               float[] c, int cOff, int ldc, boolean accumulate, int threads) {
        float[] at = A_TRANSPOSED.floats(k * 2 * L), ct = C_TRANSPOSED.floats(n * 2 * L);
        int groups = (n + JR - 1) / JR;
        int useful = Math.min(groups, threads);
        for (int i0 = 0; i0 < m; ) {
            int rows = Math.min(2 * L, m - i0), width = rows > L ? 2 * L : L, first = i0;
            transposeRows(a, aOff + i0 * lda, lda, rows, width, k, at);
            if (useful == 1) {
                fewRowsColumns(0, n, rows, width, k, at, b, bOff, ldb, ct, c, cOff + first * ldc, ldc, accumulate);
            } else {
                Parallel.forRange(useful, groups, (from, to) -> fewRowsColumns(from * JR, Math.min(n, to * JR),
                        rows, width, k, at, b, bOff, ldb, ct, c, cOff + first * ldc, ldc, accumulate));
            }
            i0 += rows;
        }
    }

    // at[p * width + r] = a[aOff + r * lda + p] for r < rows, zero for the lanes past them. At 512 bits one gather
    // per vector of a p (measured: 57 against 62 us for the whole of fc1's m = 16; at 256 bits Zen's gathers are
    // slower than the scalar moves, as in packA).
    private static void transposeRows(float[] a, int aOff, int lda, int rows, int width, int k, float[] at) {
        if (L == 16 && rows == width) {
            int[] offsets = ROWS_OF_A.ints(width);
            for (int r = 0; r < width; r++) {
                offsets[r] = r * lda;
            }
            for (int p = 0; p < k; p++) {
                for (int v = 0; v < width; v += L) {
                    FloatVector.fromArray(S, a, aOff + p, offsets, v).intoArray(at, p * width + v);
                }
            }
            return;
        }
        if (rows < width) {
            java.util.Arrays.fill(at, 0, k * width, 0f);
        }
        for (int r = 0; r < rows; r++) {
            for (int p = 0, src = aOff + r * lda; p < k; p++) {
                at[p * width + r] = a[src + p];
            }
        }
    }

    // Columns j0..j1 of C's rows (at's lanes): C^T's row j at ct[j * width], JR columns at a time, then C^T back
    // into C.
    private static void fewRowsColumns(int j0, int j1, int rows, int width, int k, float[] at, float[] b, int bOff,
                                       int ldb, float[] ct, float[] c, int cOff, int ldc, boolean accumulate) {
        if (accumulate) {
            for (int r = 0; r < rows; r++) {
                for (int j = j0; j < j1; j++) {
                    ct[j * width + r] = c[cOff + r * ldc + j];
                }
            }
        }
        int whole = j0 + (j1 - j0) / JR * JR;
        for (int j = j0; j < whole; j += JR) {
            for (int pc = 0; pc < k; pc += KC) {
                int kb = Math.min(KC, k - pc);
                boolean overwrite = !accumulate && pc == 0;
                int bi = bOff + j * ldb + pc, ci = j * width;
                if (width == L) {
                    columns8(at, pc * L, kb, b, bi, ldb, ct, ci, overwrite);
                } else {
                    columns8x2(at, pc * 2 * L, kb, b, bi, ldb, ct, ci, overwrite);
                }
            }
        }
        for (int pc = 0; pc < k; pc += KC) {
            int kb = Math.min(KC, k - pc);
            boolean overwrite = !accumulate && pc == 0;
            for (int j = whole; j < j1; j++) {
                for (int v = 0; v < width; v += L) {
                    FloatVector s = FloatVector.zero(S);
                    for (int p = 0, bi = bOff + j * ldb + pc; p < kb; p++) {
                        FloatVector x = FloatVector.fromArray(S, at, (pc + p) * width + v);
                        s = FloatVector.broadcast(S, b[bi + p]).fma(x, s);
                    }
                    int ci = j * width + v;
                    (overwrite ? s : FloatVector.fromArray(S, ct, ci).add(s)).intoArray(ct, ci);
                }
            }
        }
        for (int r = 0; r < rows; r++) {
            for (int j = j0; j < j1; j++) {
                c[cOff + r * ldc + j] = ct[j * width + r];
            }
        }
    }

    // One slab of 8 columns of C^T over one vector of rows: 8 independent chains (two FMA pipes of 4 cycles'
    // latency), each step one vector of A^T and 8 broadcasts from 8 rows of B, read where they lie. The stores are
    // written out inline, as in the micro-kernels: through a helper taking a vector (16 calls in columns8x2) C2
    // stopped inlining it and boxed the vectors passed to it, 537 KB allocated per training step at batch 64
    // (AllocationCheck, 2026-12-03) and a kernel at about half its speed.
    private static void columns8(float[] at, int ai, int kb, float[] b, int bi, int ldb, float[] ct, int ci,
                                 boolean overwrite) {
        FloatVector s0 = FloatVector.zero(S), s1 = s0, s2 = s0, s3 = s0, s4 = s0, s5 = s0, s6 = s0, s7 = s0;
        int b1 = bi + ldb, b2 = b1 + ldb, b3 = b2 + ldb, b4 = b3 + ldb, b5 = b4 + ldb, b6 = b5 + ldb;
        int b7 = b6 + ldb;
        for (int p = 0; p < kb; p++, ai += L) {
            FloatVector x = FloatVector.fromArray(S, at, ai);
            s0 = FloatVector.broadcast(S, b[bi + p]).fma(x, s0);
            s1 = FloatVector.broadcast(S, b[b1 + p]).fma(x, s1);
            s2 = FloatVector.broadcast(S, b[b2 + p]).fma(x, s2);
            s3 = FloatVector.broadcast(S, b[b3 + p]).fma(x, s3);
            s4 = FloatVector.broadcast(S, b[b4 + p]).fma(x, s4);
            s5 = FloatVector.broadcast(S, b[b5 + p]).fma(x, s5);
            s6 = FloatVector.broadcast(S, b[b6 + p]).fma(x, s6);
            s7 = FloatVector.broadcast(S, b[b7 + p]).fma(x, s7);
        }
        if (overwrite) {
            s0.intoArray(ct, ci);
            s1.intoArray(ct, ci + L);
            s2.intoArray(ct, ci + 2 * L);
            s3.intoArray(ct, ci + 3 * L);
            s4.intoArray(ct, ci + 4 * L);
            s5.intoArray(ct, ci + 5 * L);
            s6.intoArray(ct, ci + 6 * L);
            s7.intoArray(ct, ci + 7 * L);
        } else {
            FloatVector.fromArray(S, ct, ci).add(s0).intoArray(ct, ci);
            FloatVector.fromArray(S, ct, ci + L).add(s1).intoArray(ct, ci + L);
            FloatVector.fromArray(S, ct, ci + 2 * L).add(s2).intoArray(ct, ci + 2 * L);
            FloatVector.fromArray(S, ct, ci + 3 * L).add(s3).intoArray(ct, ci + 3 * L);
            FloatVector.fromArray(S, ct, ci + 4 * L).add(s4).intoArray(ct, ci + 4 * L);
            FloatVector.fromArray(S, ct, ci + 5 * L).add(s5).intoArray(ct, ci + 5 * L);
            FloatVector.fromArray(S, ct, ci + 6 * L).add(s6).intoArray(ct, ci + 6 * L);
            FloatVector.fromArray(S, ct, ci + 7 * L).add(s7).intoArray(ct, ci + 7 * L);
        }
    }

    // As columns8 over two vectors of rows: each broadcast feeds two FMAs (16 chains).
    private static void columns8x2(float[] at, int ai, int kb, float[] b, int bi, int ldb, float[] ct, int ci,
                                   boolean overwrite) {
        FloatVector s0 = FloatVector.zero(S), s1 = s0, s2 = s0, s3 = s0, s4 = s0, s5 = s0, s6 = s0, s7 = s0;
        FloatVector t0 = s0, t1 = s0, t2 = s0, t3 = s0, t4 = s0, t5 = s0, t6 = s0, t7 = s0;
        int b1 = bi + ldb, b2 = b1 + ldb, b3 = b2 + ldb, b4 = b3 + ldb, b5 = b4 + ldb, b6 = b5 + ldb;
        int b7 = b6 + ldb;
        for (int p = 0; p < kb; p++, ai += 2 * L) {
            FloatVector x = FloatVector.fromArray(S, at, ai), y = FloatVector.fromArray(S, at, ai + L);
            FloatVector w = FloatVector.broadcast(S, b[bi + p]);
            s0 = w.fma(x, s0);
            t0 = w.fma(y, t0);
            w = FloatVector.broadcast(S, b[b1 + p]);
            s1 = w.fma(x, s1);
            t1 = w.fma(y, t1);
            w = FloatVector.broadcast(S, b[b2 + p]);
            s2 = w.fma(x, s2);
            t2 = w.fma(y, t2);
            w = FloatVector.broadcast(S, b[b3 + p]);
            s3 = w.fma(x, s3);
            t3 = w.fma(y, t3);
            w = FloatVector.broadcast(S, b[b4 + p]);
            s4 = w.fma(x, s4);
            t4 = w.fma(y, t4);
            w = FloatVector.broadcast(S, b[b5 + p]);
            s5 = w.fma(x, s5);
            t5 = w.fma(y, t5);
            w = FloatVector.broadcast(S, b[b6 + p]);
            s6 = w.fma(x, s6);
            t6 = w.fma(y, t6);
            w = FloatVector.broadcast(S, b[b7 + p]);
            s7 = w.fma(x, s7);
            t7 = w.fma(y, t7);
        }
        int w2 = 2 * L;
        if (overwrite) {
            s0.intoArray(ct, ci);
            t0.intoArray(ct, ci + L);
            s1.intoArray(ct, ci + w2);
            t1.intoArray(ct, ci + w2 + L);
            s2.intoArray(ct, ci + 2 * w2);
            t2.intoArray(ct, ci + 2 * w2 + L);
            s3.intoArray(ct, ci + 3 * w2);
            t3.intoArray(ct, ci + 3 * w2 + L);
            s4.intoArray(ct, ci + 4 * w2);
            t4.intoArray(ct, ci + 4 * w2 + L);
            s5.intoArray(ct, ci + 5 * w2);
            t5.intoArray(ct, ci + 5 * w2 + L);
            s6.intoArray(ct, ci + 6 * w2);
            t6.intoArray(ct, ci + 6 * w2 + L);
            s7.intoArray(ct, ci + 7 * w2);
            t7.intoArray(ct, ci + 7 * w2 + L);
        } else {
            FloatVector.fromArray(S, ct, ci).add(s0).intoArray(ct, ci);
            FloatVector.fromArray(S, ct, ci + L).add(t0).intoArray(ct, ci + L);
            FloatVector.fromArray(S, ct, ci + w2).add(s1).intoArray(ct, ci + w2);
            FloatVector.fromArray(S, ct, ci + w2 + L).add(t1).intoArray(ct, ci + w2 + L);
            FloatVector.fromArray(S, ct, ci + 2 * w2).add(s2).intoArray(ct, ci + 2 * w2);
            FloatVector.fromArray(S, ct, ci + 2 * w2 + L).add(t2).intoArray(ct, ci + 2 * w2 + L);
            FloatVector.fromArray(S, ct, ci + 3 * w2).add(s3).intoArray(ct, ci + 3 * w2);
            FloatVector.fromArray(S, ct, ci + 3 * w2 + L).add(t3).intoArray(ct, ci + 3 * w2 + L);
            FloatVector.fromArray(S, ct, ci + 4 * w2).add(s4).intoArray(ct, ci + 4 * w2);
            FloatVector.fromArray(S, ct, ci + 4 * w2 + L).add(t4).intoArray(ct, ci + 4 * w2 + L);
            FloatVector.fromArray(S, ct, ci + 5 * w2).add(s5).intoArray(ct, ci + 5 * w2);
            FloatVector.fromArray(S, ct, ci + 5 * w2 + L).add(t5).intoArray(ct, ci + 5 * w2 + L);
            FloatVector.fromArray(S, ct, ci + 6 * w2).add(s6).intoArray(ct, ci + 6 * w2);
            FloatVector.fromArray(S, ct, ci + 6 * w2 + L).add(t6).intoArray(ct, ci + 6 * w2 + L);
            FloatVector.fromArray(S, ct, ci + 7 * w2).add(s7).intoArray(ct, ci + 7 * w2);
            FloatVector.fromArray(S, ct, ci + 7 * w2 + L).add(t7).intoArray(ct, ci + 7 * w2 + L);
        }
    }


    /** The two unpacked paths of {@link #sgemm}. */
    private enum Path { DOTS, ROWS }

    private static void unpacked(Path path, boolean transA, int m, int n, int k, float[] a, int aOff, int lda,
                                 float[] b, int bOff, int ldb, float[] c, int cOff, int ldc, boolean accumulate) {
        if (path == Path.DOTS) {
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
        } else {
            // Few terms per element (conv1's k = 9) or a small product: stream rows of B, no packing.
            gemmRowsPairwise(transA, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
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
    static void packedGemm(Tile t, boolean transA, boolean transB, int m, int n, int k,
                           float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                           float[] c, int cOff, int ldc, boolean accumulate, int threads) {
        packedGemm(t, readsBInPlace(transB, n, k), transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb,
                c, cOff, ldc, accumulate, threads);
    }

    /** As above, with B's whole panels read in place (only when not transB) or packed, whatever the size. */
    static void packedGemm(Tile t, boolean bInPlace, boolean transA, boolean transB, int m, int n, int k,
                           float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                           float[] c, int cOff, int ldc, boolean accumulate, int threads) {
        int nr = t.nr, mr = t.mr;
        boolean inPlace = bInPlace && !transB;
        int ncMax = (int) Math.max(1, Math.min(NC_PANELS, B_PACK_FLOATS / ((long) k * nr))) * nr;
        for (int jc = 0; jc < n; jc += ncMax) {
            int nb = Math.min(ncMax, n - jc), j0 = jc;
            int panels = (nb + nr - 1) / nr;
            float[] bPack;
            if (inPlace) {
                // Only a last partial panel is packed (zero-padded to nr columns), every kc slab of it: slab pc at
                // pc * nr.
                int last = (panels - 1) * nr, cols = nb - last;
                bPack = PACKED_B.floats(cols < nr ? nr * k : 0);
                if (cols < nr) {
                    packB(false, b, bOff, ldb, 0, j0 + last, k, cols, nr, bPack, 0);
                }
            } else {
                // Slab pc of the packed B starts at pc * panels * nr; panel q of it at q * nr * kb after that.
                bPack = PACKED_B.floats(panels * nr * k);
                if (threads == 1 || panels == 1) {
                    packBPanels(nr, transB, b, bOff, ldb, k, j0, nb, panels, 0, panels, bPack);
                } else {
                    Parallel.forRange(threads, panels, (from, to) ->
                            packBPanels(nr, transB, b, bOff, ldb, k, j0, nb, panels, from, to, bPack));
                }
            }
            float[] bIn = inPlace ? b : null;
            int bBlock = bOff + jc;
            int rowsPerItem = Math.min(MC / mr * mr, roundUp((m + threads - 1) / threads, mr));
            int rowItems = (m + rowsPerItem - 1) / rowsPerItem;
            int colItems = rowItems >= threads ? 1 : Math.min(panels, (threads + rowItems - 1) / rowItems);
            int panelsPerItem = (panels + colItems - 1) / colItems;
            int items = rowItems * colItems;
            int cBlock = cOff + jc;
            if (threads == 1 || items == 1) {
                gemmItems(t, 0, items, colItems, rowsPerItem, panelsPerItem, panels, transA, m, nb, k,
                        a, aOff, lda, bPack, bIn, bBlock, ldb, c, cBlock, ldc, accumulate);
            } else {
                Parallel.forRange(threads, items, (from, to) -> gemmItems(t, from, to, colItems, rowsPerItem,
                        panelsPerItem, panels, transA, m, nb, k, a, aOff, lda, bPack, bIn, bBlock, ldb,
                        c, cBlock, ldc, accumulate));
            }
        }
    }

    /**
     * Whether the packed path reads op(B)'s whole panels in place instead of packing them: when B is not
     * transposed (its rows already hold nr consecutive columns of a p) and small, at most IN_PLACE_B floats, so
     * that a panel read at the row stride ldb stays in L1/L2 for all the row panels of A that sweep past it, and
     * packing it would be a copy of about as much memory as the multiplication then reads. The micro-kernel does
     * the same FMAs in the same order on either layout, so this changes speed, never a bit.
     */
    static boolean readsBInPlace(boolean transB, int n, int k) {
        return !transB && (long) k * n < IN_PLACE_B;
    }

    private static void packBPanels(int nr, boolean transB, float[] b, int bOff, int ldb, int k, int j0, int nb,
                                    int panels, int from, int to, float[] bPack) {
        int cols = Math.min(nb - from * nr, (to - from) * nr);
        for (int pc = 0; pc < k; pc += KC) {
            int kb = Math.min(KC, k - pc);
            packB(transB, b, bOff, ldb, pc, j0 + from * nr, kb, cols, nr, bPack,
                    pc * panels * nr + from * nr * kb);
        }
    }

    private static void gemmItems(Tile t, int from, int to, int colItems, int rowsPerItem, int panelsPerItem,
                                  int panels, boolean transA, int m, int nb, int k, float[] a, int aOff,
                                  int lda, float[] bPack, float[] b, int bBlock, int ldb, float[] c, int cBlock,
                                  int ldc, boolean accumulate) {
        float[] aPack = PACKED_A.floats(roundUp(rowsPerItem, t.mr) * Math.min(KC, k));
        float[] tile = EDGE_TILE.floats(t.mr * t.nr);
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
                packA(transA, a, aOff, lda, i0, pc, mb, kb, t.mr, aPack);
                macroKernel(t, aPack, bPack, b != null ? pc * t.nr : pc * panels * t.nr, b, bBlock + pc * ldb, ldb,
                        mb, nb, kb, q0, q1, c, cBlock + i0 * ldc, ldc, !accumulate && pc == 0, tile);
            }
        }
    }

    private static int roundUp(int x, int multiple) {
        return (x + multiple - 1) / multiple * multiple;
    }

    // ---------------------------------------------------------------------------------------------------------
    // The packing and the micro-kernels

    // op(A) (mb, kb) block -> mr-row panels: panel q holds rows q*mr.., laid out p-major (mr floats per p), so the
    // micro-kernel reads A strictly sequentially. Rows past mb are zero, which makes edge tiles harmless.
    static void packA(boolean transA, float[] a, int aOff, int lda, int i0, int p0, int mb, int kb, int mr,
                      float[] dst) {
        int d = 0;
        for (int i = 0; i < mb; i += mr) {
            int rows = Math.min(mr, mb - i);
            if (transA) {
                // A is (k, m): the mr values for one p are contiguous.
                int src = aOff + p0 * lda + i0 + i;
                int p = 0;
                if (L == 16 && rows == mr && L % mr == 0) {
                    // At 512 bits, as in the other case below: one gather reads 16 / mr rows of A at once.
                    int per = L / mr;
                    int[] rowsOfA = ROWS_OF_A.ints(L);
                    for (int l = 0; l < L; l++) {
                        rowsOfA[l] = (l / mr) * lda + l % mr;
                    }
                    for (; p + per <= kb; p += per, src += per * lda, d += per * mr) {
                        FloatVector.fromArray(S, a, src, rowsOfA, 0).intoArray(dst, d);
                    }
                }
                for (; p < kb; p++, src += lda, d += mr) {
                    for (int r = 0; r < rows; r++) {
                        dst[d + r] = a[src + r];
                    }
                    for (int r = rows; r < mr; r++) {
                        dst[d + r] = 0f;
                    }
                }
            } else {
                int src = aOff + (i0 + i) * lda + p0;
                if (L == 16 && rows == mr && L % mr == 0) {
                    // At 512 bits, a whole panel whose rows divide a vector (mr 4 or 8): one gather reads the mr
                    // rows at 16 / mr consecutive p, which is exactly the next 16 floats of the panel. Measured
                    // (CPU time, Xeon AVX-512, 2026-12-02, tile 8x2): fc1 fwd 75-85 -> 91-93 GFLOP/s, conv2 fwd
                    // 70-72 -> 78-84. At 256 bits it stays scalar: measured on Zen, whose gathers are slow.
                    int per = L / mr, p = 0;
                    int[] rowsOfA = ROWS_OF_A.ints(L);
                    for (int l = 0; l < L; l++) {
                        rowsOfA[l] = (l % mr) * lda + l / mr;
                    }
                    for (; p + per <= kb; p += per) {
                        FloatVector.fromArray(S, a, src + p, rowsOfA, 0).intoArray(dst, d + p * mr);
                    }
                    for (; p < kb; p++) {
                        for (int r = 0; r < mr; r++) {
                            dst[d + p * mr + r] = a[src + r * lda + p];
                        }
                    }
                    d += kb * mr;
                    continue;
                }
                // Otherwise scalar on purpose: 8 x 8 register transposes (as in packB) measured 2x slower here
                // (1.03-1.05 against 0.53-0.59 ns per float, fc1's 64 x 1568 A, mr 4, 256 bits, 2026-12-02): the
                // 8-float columns of an mr-row panel overlap when stored at a stride of mr < 8.
                for (int r = 0; r < mr; r++) {
                    if (r < rows) {
                        int s = src + r * lda;
                        for (int p = 0; p < kb; p++) {
                            dst[d + p * mr + r] = a[s + p];
                        }
                    } else {
                        for (int p = 0; p < kb; p++) {
                            dst[d + p * mr + r] = 0f;
                        }
                    }
                }
                d += kb * mr;
            }
        }
    }

    // op(B) (kb, nb) block -> nr-column panels, p-major inside a panel (nr floats per p): the micro-kernel loads
    // whole vectors per step from one cache-resident stream. Columns past nb are zero.
    static void packB(boolean transB, float[] b, int bOff, int ldb, int p0, int j0, int kb, int nb, int nr,
                      float[] dst, int dOff) {
        int d = dOff;
        for (int j = 0; j < nb; j += nr) {
            int cols = Math.min(nr, nb - j);
            if (!transB) {
                int src = bOff + p0 * ldb + j0 + j;
                if (cols == nr) {
                    for (int p = 0; p < kb; p++, src += ldb, d += nr) {
                        for (int v = 0; v < nr; v += L) {
                            FloatVector.fromArray(S, b, src + v).intoArray(dst, d + v);
                        }
                    }
                } else {
                    for (int p = 0; p < kb; p++, src += ldb, d += nr) {
                        System.arraycopy(b, src, dst, d, cols);
                        java.util.Arrays.fill(dst, d + cols, d + nr, 0f);
                    }
                }
            } else if (cols == nr) {
                // B is (n, k): a row of packed panel is a column of B. A gather reads one vector of it at a time
                // (L rows of B at the same p), instead of L scalar loads and stores.
                int[] rowsOfB = ROWS_OF_B.ints(nr);   // reused: a new array per panel was 40 KB per step
                for (int c = 0; c < nr; c++) {
                    rowsOfB[c] = c * ldb;
                }
                int src = bOff + (j0 + j) * ldb + p0;
                int p = 0;
                if (L == 8) {
                    // At 256 bits, 8 x 8 blocks: 8 row loads, a transpose in registers, 8 stores. Measured
                    // (CPU time, 2026-12-02, conv2 dW's 144 x 196 B, nr 24): 0.52-0.60 ns per float against
                    // 1.00-1.11 for the gathers, which Zen runs at about a lane per cycle.
                    for (; p + 8 <= kb; p += 8) {
                        for (int v = 0; v < nr; v += 8) {
                            transpose8(b, src + v * ldb + p, ldb, dst, d + p * nr + v, nr);
                        }
                    }
                }
                for (d += p * nr; p < kb; p++, d += nr) {
                    for (int v = 0; v < nr; v += L) {
                        FloatVector.fromArray(S, b, src + p, rowsOfB, v).intoArray(dst, d + v);
                    }
                }
            } else {
                // B is (n, k): each column of op(B) is a contiguous row of B; write it down the panel.
                for (int c = 0; c < cols; c++) {
                    int src = bOff + (j0 + j + c) * ldb + p0;
                    for (int p = 0; p < kb; p++) {
                        dst[d + p * nr + c] = b[src + p];
                    }
                }
                for (int p = 0; p < kb; p++) {
                    java.util.Arrays.fill(dst, d + p * nr + cols, d + p * nr + nr, 0f);
                }
                d += kb * nr;
            }
        }
    }

    // zipLow(x, y) = x0 y0 x1 y1 ..., zipHigh(x, y) = the same from the upper halves: one-vector permutes that
    // spread each half over the even (odd) lanes, and a blend. Vector API's two-vector rearrange measured slower.
    private static final VectorShuffle<Float> SPREAD_LOW = VectorShuffle.fromOp(S, i -> i / 2);
    private static final VectorShuffle<Float> SPREAD_HIGH = VectorShuffle.fromOp(S, i -> S.length() / 2 + i / 2);
    private static final VectorMask<Float> ODD = VectorMask.fromLong(S, 0xAAAAAAAAAAAAAAAAL);

    private static FloatVector zipLow(FloatVector x, FloatVector y) {
        return x.rearrange(SPREAD_LOW).blend(y.rearrange(SPREAD_LOW), ODD);
    }

    private static FloatVector zipHigh(FloatVector x, FloatVector y) {
        return x.rearrange(SPREAD_HIGH).blend(y.rearrange(SPREAD_HIGH), ODD);
    }

    // Rows src, src + ld, ... (8 of them, 8 floats each) -> columns: dst + t * dstStride holds lane t of every row.
    // Three rounds of zipping the rows i and i + 4 in pairs is a perfect shuffle; three perfect shuffles of 8 make
    // the transpose. Each zip is a two-vector rearrange (two permutes and a blend on AVX2): 24 of them per block,
    // against 8 gathers of 8 lanes that Zen runs at about one lane per cycle.
    private static void transpose8(float[] src, int s, int ld, float[] dst, int d, int dstStride) {
        transposeStore8(FloatVector.fromArray(S, src, s), FloatVector.fromArray(S, src, s + ld),
                FloatVector.fromArray(S, src, s + 2 * ld), FloatVector.fromArray(S, src, s + 3 * ld),
                FloatVector.fromArray(S, src, s + 4 * ld), FloatVector.fromArray(S, src, s + 5 * ld),
                FloatVector.fromArray(S, src, s + 6 * ld), FloatVector.fromArray(S, src, s + 7 * ld),
                dst, d, dstStride);
    }

    // Stores lane t of v0..v7 as the vector at dst + t * dstStride.
    private static void transposeStore8(FloatVector v0, FloatVector v1, FloatVector v2, FloatVector v3,
                                        FloatVector v4, FloatVector v5, FloatVector v6, FloatVector v7,
                                        float[] dst, int d, int dstStride) {
        FloatVector w0 = zipLow(v0, v4), w1 = zipHigh(v0, v4);
        FloatVector w2 = zipLow(v1, v5), w3 = zipHigh(v1, v5);
        FloatVector w4 = zipLow(v2, v6), w5 = zipHigh(v2, v6);
        FloatVector w6 = zipLow(v3, v7), w7 = zipHigh(v3, v7);
        v0 = zipLow(w0, w4);
        v1 = zipHigh(w0, w4);
        v2 = zipLow(w1, w5);
        v3 = zipHigh(w1, w5);
        v4 = zipLow(w2, w6);
        v5 = zipHigh(w2, w6);
        v6 = zipLow(w3, w7);
        v7 = zipHigh(w3, w7);
        w0 = zipLow(v0, v4);
        w1 = zipHigh(v0, v4);
        w2 = zipLow(v1, v5);
        w3 = zipHigh(v1, v5);
        w4 = zipLow(v2, v6);
        w5 = zipHigh(v2, v6);
        w6 = zipLow(v3, v7);
        w7 = zipHigh(v3, v7);
        w0.intoArray(dst, d);
        w1.intoArray(dst, d + dstStride);
        w2.intoArray(dst, d + 2 * dstStride);
        w3.intoArray(dst, d + 3 * dstStride);
        w4.intoArray(dst, d + 4 * dstStride);
        w5.intoArray(dst, d + 5 * dstStride);
        w6.intoArray(dst, d + 6 * dstStride);
        w7.intoArray(dst, d + 7 * dstStride);
    }

    // b == null: every panel of B is packed in bPack, panel q of this slab at bBase + q * nr * kb. Otherwise the
    // whole panels are read in place, panel q at bOff + q * nr with row stride ldb (see packedGemm), and only a
    // last partial panel is packed, at bBase.
    static void macroKernel(Tile t, float[] aPack, float[] bPack, int bBase, float[] b, int bOff, int ldb, int mb,
                            int nb, int kb, int panelFrom, int panelTo, float[] c, int cOff, int ldc,
                            boolean overwrite, float[] tile) {
        int mr = t.mr, nr = t.nr;
        for (int q = panelFrom; q < panelTo; q++) {
            int j = q * nr;
            int cols = Math.min(nr, nb - j);
            boolean inPlace = b != null && cols == nr;
            float[] bp = inPlace ? b : bPack;
            int bIdx = inPlace ? bOff + j : b != null ? bBase : bBase + q * nr * kb, bs = inPlace ? ldb : nr;
            for (int i = 0; i < mb; i += mr) {
                int rows = Math.min(mr, mb - i);
                int aIdx = i * kb;
                if (rows == mr && cols == nr) {
                    micro(t, aPack, aIdx, bp, bIdx, kb, bs, c, cOff + i * ldc + j, ldc, overwrite);
                } else {
                    // Edge tile: compute it aside, then copy the part that exists. A last panel narrower than the
                    // micro-tile (196 = 8 x 24 + 4 columns for conv2 at 256 bits) only computes the vectors it
                    // needs, and only the row groups that hold real rows.
                    int vectors = (cols + L - 1) / L;
                    if (vectors < t.nv) {
                        for (int r = 0; r < rows; r += 4) {
                            boolean four = r + 4 <= mr;
                            if (rows - r > 4 && r + 8 <= mr) {
                                // Eight rows at once where they exist: 8 (16) independent chains of FMAs keep
                                // both pipes busy, where one group of 4 rows waits on the FMA latency.
                                if (vectors == 1) {
                                    edge8x1(aPack, aIdx + r, mr, bPack, bIdx, nr, kb, tile, r * nr);
                                } else {
                                    edge8x2(aPack, aIdx + r, mr, bPack, bIdx, nr, kb, tile, r * nr);
                                }
                                r += 4;
                            } else if (vectors == 1) {
                                if (four) {
                                    edge4x1(aPack, aIdx + r, mr, bPack, bIdx, nr, kb, tile, r * nr);
                                } else {
                                    edge2x1(aPack, aIdx + r, mr, bPack, bIdx, nr, kb, tile, r * nr);
                                }
                            } else if (four) {
                                edge4x2(aPack, aIdx + r, mr, bPack, bIdx, nr, kb, tile, r * nr);
                            } else {
                                edge2x2(aPack, aIdx + r, mr, bPack, bIdx, nr, kb, tile, r * nr);
                            }
                        }
                    } else {
                        micro(t, aPack, aIdx, bp, bIdx, kb, bs, tile, 0, nr, true);
                    }
                    // Whole vectors of the edge go back as vectors (n = 16 and 32 at 256 bits are all whole vectors).
                    for (int r = 0; r < rows; r++) {
                        int ci = cOff + (i + r) * ldc + j, ti = r * nr;
                        int x = 0;
                        for (; x + L <= cols; x += L) {
                            FloatVector v = FloatVector.fromArray(S, tile, ti + x);
                            if (!overwrite) {
                                v = FloatVector.fromArray(S, c, ci + x).add(v);
                            }
                            v.intoArray(c, ci + x);
                        }
                        for (; x < cols; x++) {
                            c[ci + x] = overwrite ? tile[ti + x] : c[ci + x] + tile[ti + x];
                        }
                    }
                }
            }
        }
    }

    private static void micro(Tile t, float[] ap, int ai, float[] bp, int bi, int kb, int bs, float[] c, int ci,
                              int ldc, boolean overwrite) {
        switch (t) {
            case T4X3 -> micro4x3(ap, ai, bp, bi, kb, bs, c, ci, ldc, overwrite);
            case T6X2 -> micro6x2(ap, ai, bp, bi, kb, bs, c, ci, ldc, overwrite);
            case T8X2 -> micro8x2(ap, ai, bp, bi, kb, bs, c, ci, ldc, overwrite);
            case T8X3 -> micro8x3(ap, ai, bp, bi, kb, bs, c, ci, ldc, overwrite);
            case T12X2 -> micro12x2(ap, ai, bp, bi, kb, bs, c, ci, ldc, overwrite);
        }
    }

    // The micro-kernels, named by their tiles (rows x vectors of C), one generated shape each: the accumulators,
    // then per step of k the tile's B vectors, one broadcast of A per row and rows x vectors independent FMAs.
    // 4x3: 12 accumulators + 3 B + 1 broadcast = 16 registers, enough independent FMAs to cover both pipes'
    // latency. The stores are written out inline, never through a helper taking vectors: in the 8x2 and 12x2
    // kernels C2 stopped inlining such a helper after the fifth call (NodeCountInliningCutoff, PrintInlining,
    // JDK 25, 512 bits), and the vectors passed to the calls it did not inline were boxed: 14 GFLOP/s instead
    // of 110 (2026-12-02, docs/vector-gemm.md).
    private static void micro4x3(float[] ap, int ai, float[] bp, int bi, int kb, int bs,
                                 float[] c, int ci, int ldc, boolean overwrite) {
        FloatVector c0_0 = FloatVector.zero(S);
        FloatVector c0_1 = c0_0, c0_2 = c0_0;
        FloatVector c1_0 = c0_0, c1_1 = c0_0, c1_2 = c0_0;
        FloatVector c2_0 = c0_0, c2_1 = c0_0, c2_2 = c0_0;
        FloatVector c3_0 = c0_0, c3_1 = c0_0, c3_2 = c0_0;
        for (int p = 0; p < kb; p++, ai += 4, bi += bs) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bi);
            FloatVector b1 = FloatVector.fromArray(S, bp, bi + L);
            FloatVector b2 = FloatVector.fromArray(S, bp, bi + 2 * L);
            FloatVector a = FloatVector.broadcast(S, ap[ai]);
            c0_0 = a.fma(b0, c0_0);
            c0_1 = a.fma(b1, c0_1);
            c0_2 = a.fma(b2, c0_2);
            a = FloatVector.broadcast(S, ap[ai + 1]);
            c1_0 = a.fma(b0, c1_0);
            c1_1 = a.fma(b1, c1_1);
            c1_2 = a.fma(b2, c1_2);
            a = FloatVector.broadcast(S, ap[ai + 2]);
            c2_0 = a.fma(b0, c2_0);
            c2_1 = a.fma(b1, c2_1);
            c2_2 = a.fma(b2, c2_2);
            a = FloatVector.broadcast(S, ap[ai + 3]);
            c3_0 = a.fma(b0, c3_0);
            c3_1 = a.fma(b1, c3_1);
            c3_2 = a.fma(b2, c3_2);
        }
        if (overwrite) {
            c0_0.intoArray(c, ci);
            c0_1.intoArray(c, ci + L);
            c0_2.intoArray(c, ci + 2 * L);
            c1_0.intoArray(c, ci + ldc);
            c1_1.intoArray(c, ci + ldc + L);
            c1_2.intoArray(c, ci + ldc + 2 * L);
            c2_0.intoArray(c, ci + 2 * ldc);
            c2_1.intoArray(c, ci + 2 * ldc + L);
            c2_2.intoArray(c, ci + 2 * ldc + 2 * L);
            c3_0.intoArray(c, ci + 3 * ldc);
            c3_1.intoArray(c, ci + 3 * ldc + L);
            c3_2.intoArray(c, ci + 3 * ldc + 2 * L);
        } else {
            FloatVector.fromArray(S, c, ci).add(c0_0).intoArray(c, ci);
            FloatVector.fromArray(S, c, ci + L).add(c0_1).intoArray(c, ci + L);
            FloatVector.fromArray(S, c, ci + 2 * L).add(c0_2).intoArray(c, ci + 2 * L);
            FloatVector.fromArray(S, c, ci + ldc).add(c1_0).intoArray(c, ci + ldc);
            FloatVector.fromArray(S, c, ci + ldc + L).add(c1_1).intoArray(c, ci + ldc + L);
            FloatVector.fromArray(S, c, ci + ldc + 2 * L).add(c1_2).intoArray(c, ci + ldc + 2 * L);
            FloatVector.fromArray(S, c, ci + 2 * ldc).add(c2_0).intoArray(c, ci + 2 * ldc);
            FloatVector.fromArray(S, c, ci + 2 * ldc + L).add(c2_1).intoArray(c, ci + 2 * ldc + L);
            FloatVector.fromArray(S, c, ci + 2 * ldc + 2 * L).add(c2_2).intoArray(c, ci + 2 * ldc + 2 * L);
            FloatVector.fromArray(S, c, ci + 3 * ldc).add(c3_0).intoArray(c, ci + 3 * ldc);
            FloatVector.fromArray(S, c, ci + 3 * ldc + L).add(c3_1).intoArray(c, ci + 3 * ldc + L);
            FloatVector.fromArray(S, c, ci + 3 * ldc + 2 * L).add(c3_2).intoArray(c, ci + 3 * ldc + 2 * L);
        }
    }

    private static void micro6x2(float[] ap, int ai, float[] bp, int bi, int kb, int bs,
                                 float[] c, int ci, int ldc, boolean overwrite) {
        FloatVector c0_0 = FloatVector.zero(S);
        FloatVector c0_1 = c0_0;
        FloatVector c1_0 = c0_0, c1_1 = c0_0;
        FloatVector c2_0 = c0_0, c2_1 = c0_0;
        FloatVector c3_0 = c0_0, c3_1 = c0_0;
        FloatVector c4_0 = c0_0, c4_1 = c0_0;
        FloatVector c5_0 = c0_0, c5_1 = c0_0;
        for (int p = 0; p < kb; p++, ai += 6, bi += bs) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bi);
            FloatVector b1 = FloatVector.fromArray(S, bp, bi + L);
            FloatVector a = FloatVector.broadcast(S, ap[ai]);
            c0_0 = a.fma(b0, c0_0);
            c0_1 = a.fma(b1, c0_1);
            a = FloatVector.broadcast(S, ap[ai + 1]);
            c1_0 = a.fma(b0, c1_0);
            c1_1 = a.fma(b1, c1_1);
            a = FloatVector.broadcast(S, ap[ai + 2]);
            c2_0 = a.fma(b0, c2_0);
            c2_1 = a.fma(b1, c2_1);
            a = FloatVector.broadcast(S, ap[ai + 3]);
            c3_0 = a.fma(b0, c3_0);
            c3_1 = a.fma(b1, c3_1);
            a = FloatVector.broadcast(S, ap[ai + 4]);
            c4_0 = a.fma(b0, c4_0);
            c4_1 = a.fma(b1, c4_1);
            a = FloatVector.broadcast(S, ap[ai + 5]);
            c5_0 = a.fma(b0, c5_0);
            c5_1 = a.fma(b1, c5_1);
        }
        if (overwrite) {
            c0_0.intoArray(c, ci);
            c0_1.intoArray(c, ci + L);
            c1_0.intoArray(c, ci + ldc);
            c1_1.intoArray(c, ci + ldc + L);
            c2_0.intoArray(c, ci + 2 * ldc);
            c2_1.intoArray(c, ci + 2 * ldc + L);
            c3_0.intoArray(c, ci + 3 * ldc);
            c3_1.intoArray(c, ci + 3 * ldc + L);
            c4_0.intoArray(c, ci + 4 * ldc);
            c4_1.intoArray(c, ci + 4 * ldc + L);
            c5_0.intoArray(c, ci + 5 * ldc);
            c5_1.intoArray(c, ci + 5 * ldc + L);
        } else {
            FloatVector.fromArray(S, c, ci).add(c0_0).intoArray(c, ci);
            FloatVector.fromArray(S, c, ci + L).add(c0_1).intoArray(c, ci + L);
            FloatVector.fromArray(S, c, ci + ldc).add(c1_0).intoArray(c, ci + ldc);
            FloatVector.fromArray(S, c, ci + ldc + L).add(c1_1).intoArray(c, ci + ldc + L);
            FloatVector.fromArray(S, c, ci + 2 * ldc).add(c2_0).intoArray(c, ci + 2 * ldc);
            FloatVector.fromArray(S, c, ci + 2 * ldc + L).add(c2_1).intoArray(c, ci + 2 * ldc + L);
            FloatVector.fromArray(S, c, ci + 3 * ldc).add(c3_0).intoArray(c, ci + 3 * ldc);
            FloatVector.fromArray(S, c, ci + 3 * ldc + L).add(c3_1).intoArray(c, ci + 3 * ldc + L);
            FloatVector.fromArray(S, c, ci + 4 * ldc).add(c4_0).intoArray(c, ci + 4 * ldc);
            FloatVector.fromArray(S, c, ci + 4 * ldc + L).add(c4_1).intoArray(c, ci + 4 * ldc + L);
            FloatVector.fromArray(S, c, ci + 5 * ldc).add(c5_0).intoArray(c, ci + 5 * ldc);
            FloatVector.fromArray(S, c, ci + 5 * ldc + L).add(c5_1).intoArray(c, ci + 5 * ldc + L);
        }
    }

    private static void micro8x2(float[] ap, int ai, float[] bp, int bi, int kb, int bs,
                                 float[] c, int ci, int ldc, boolean overwrite) {
        FloatVector c0_0 = FloatVector.zero(S);
        FloatVector c0_1 = c0_0;
        FloatVector c1_0 = c0_0, c1_1 = c0_0;
        FloatVector c2_0 = c0_0, c2_1 = c0_0;
        FloatVector c3_0 = c0_0, c3_1 = c0_0;
        FloatVector c4_0 = c0_0, c4_1 = c0_0;
        FloatVector c5_0 = c0_0, c5_1 = c0_0;
        FloatVector c6_0 = c0_0, c6_1 = c0_0;
        FloatVector c7_0 = c0_0, c7_1 = c0_0;
        for (int p = 0; p < kb; p++, ai += 8, bi += bs) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bi);
            FloatVector b1 = FloatVector.fromArray(S, bp, bi + L);
            FloatVector a = FloatVector.broadcast(S, ap[ai]);
            c0_0 = a.fma(b0, c0_0);
            c0_1 = a.fma(b1, c0_1);
            a = FloatVector.broadcast(S, ap[ai + 1]);
            c1_0 = a.fma(b0, c1_0);
            c1_1 = a.fma(b1, c1_1);
            a = FloatVector.broadcast(S, ap[ai + 2]);
            c2_0 = a.fma(b0, c2_0);
            c2_1 = a.fma(b1, c2_1);
            a = FloatVector.broadcast(S, ap[ai + 3]);
            c3_0 = a.fma(b0, c3_0);
            c3_1 = a.fma(b1, c3_1);
            a = FloatVector.broadcast(S, ap[ai + 4]);
            c4_0 = a.fma(b0, c4_0);
            c4_1 = a.fma(b1, c4_1);
            a = FloatVector.broadcast(S, ap[ai + 5]);
            c5_0 = a.fma(b0, c5_0);
            c5_1 = a.fma(b1, c5_1);
            a = FloatVector.broadcast(S, ap[ai + 6]);
            c6_0 = a.fma(b0, c6_0);
            c6_1 = a.fma(b1, c6_1);
            a = FloatVector.broadcast(S, ap[ai + 7]);
            c7_0 = a.fma(b0, c7_0);
            c7_1 = a.fma(b1, c7_1);
        }
        if (overwrite) {
            c0_0.intoArray(c, ci);
            c0_1.intoArray(c, ci + L);
            c1_0.intoArray(c, ci + ldc);
            c1_1.intoArray(c, ci + ldc + L);
            c2_0.intoArray(c, ci + 2 * ldc);
            c2_1.intoArray(c, ci + 2 * ldc + L);
            c3_0.intoArray(c, ci + 3 * ldc);
            c3_1.intoArray(c, ci + 3 * ldc + L);
            c4_0.intoArray(c, ci + 4 * ldc);
            c4_1.intoArray(c, ci + 4 * ldc + L);
            c5_0.intoArray(c, ci + 5 * ldc);
            c5_1.intoArray(c, ci + 5 * ldc + L);
            c6_0.intoArray(c, ci + 6 * ldc);
            c6_1.intoArray(c, ci + 6 * ldc + L);
            c7_0.intoArray(c, ci + 7 * ldc);
            c7_1.intoArray(c, ci + 7 * ldc + L);
        } else {
            FloatVector.fromArray(S, c, ci).add(c0_0).intoArray(c, ci);
            FloatVector.fromArray(S, c, ci + L).add(c0_1).intoArray(c, ci + L);
            FloatVector.fromArray(S, c, ci + ldc).add(c1_0).intoArray(c, ci + ldc);
            FloatVector.fromArray(S, c, ci + ldc + L).add(c1_1).intoArray(c, ci + ldc + L);
            FloatVector.fromArray(S, c, ci + 2 * ldc).add(c2_0).intoArray(c, ci + 2 * ldc);
            FloatVector.fromArray(S, c, ci + 2 * ldc + L).add(c2_1).intoArray(c, ci + 2 * ldc + L);
            FloatVector.fromArray(S, c, ci + 3 * ldc).add(c3_0).intoArray(c, ci + 3 * ldc);
            FloatVector.fromArray(S, c, ci + 3 * ldc + L).add(c3_1).intoArray(c, ci + 3 * ldc + L);
            FloatVector.fromArray(S, c, ci + 4 * ldc).add(c4_0).intoArray(c, ci + 4 * ldc);
            FloatVector.fromArray(S, c, ci + 4 * ldc + L).add(c4_1).intoArray(c, ci + 4 * ldc + L);
            FloatVector.fromArray(S, c, ci + 5 * ldc).add(c5_0).intoArray(c, ci + 5 * ldc);
            FloatVector.fromArray(S, c, ci + 5 * ldc + L).add(c5_1).intoArray(c, ci + 5 * ldc + L);
            FloatVector.fromArray(S, c, ci + 6 * ldc).add(c6_0).intoArray(c, ci + 6 * ldc);
            FloatVector.fromArray(S, c, ci + 6 * ldc + L).add(c6_1).intoArray(c, ci + 6 * ldc + L);
            FloatVector.fromArray(S, c, ci + 7 * ldc).add(c7_0).intoArray(c, ci + 7 * ldc);
            FloatVector.fromArray(S, c, ci + 7 * ldc + L).add(c7_1).intoArray(c, ci + 7 * ldc + L);
        }
    }

    private static void micro8x3(float[] ap, int ai, float[] bp, int bi, int kb, int bs,
                                 float[] c, int ci, int ldc, boolean overwrite) {
        FloatVector c0_0 = FloatVector.zero(S);
        FloatVector c0_1 = c0_0, c0_2 = c0_0;
        FloatVector c1_0 = c0_0, c1_1 = c0_0, c1_2 = c0_0;
        FloatVector c2_0 = c0_0, c2_1 = c0_0, c2_2 = c0_0;
        FloatVector c3_0 = c0_0, c3_1 = c0_0, c3_2 = c0_0;
        FloatVector c4_0 = c0_0, c4_1 = c0_0, c4_2 = c0_0;
        FloatVector c5_0 = c0_0, c5_1 = c0_0, c5_2 = c0_0;
        FloatVector c6_0 = c0_0, c6_1 = c0_0, c6_2 = c0_0;
        FloatVector c7_0 = c0_0, c7_1 = c0_0, c7_2 = c0_0;
        for (int p = 0; p < kb; p++, ai += 8, bi += bs) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bi);
            FloatVector b1 = FloatVector.fromArray(S, bp, bi + L);
            FloatVector b2 = FloatVector.fromArray(S, bp, bi + 2 * L);
            FloatVector a = FloatVector.broadcast(S, ap[ai]);
            c0_0 = a.fma(b0, c0_0);
            c0_1 = a.fma(b1, c0_1);
            c0_2 = a.fma(b2, c0_2);
            a = FloatVector.broadcast(S, ap[ai + 1]);
            c1_0 = a.fma(b0, c1_0);
            c1_1 = a.fma(b1, c1_1);
            c1_2 = a.fma(b2, c1_2);
            a = FloatVector.broadcast(S, ap[ai + 2]);
            c2_0 = a.fma(b0, c2_0);
            c2_1 = a.fma(b1, c2_1);
            c2_2 = a.fma(b2, c2_2);
            a = FloatVector.broadcast(S, ap[ai + 3]);
            c3_0 = a.fma(b0, c3_0);
            c3_1 = a.fma(b1, c3_1);
            c3_2 = a.fma(b2, c3_2);
            a = FloatVector.broadcast(S, ap[ai + 4]);
            c4_0 = a.fma(b0, c4_0);
            c4_1 = a.fma(b1, c4_1);
            c4_2 = a.fma(b2, c4_2);
            a = FloatVector.broadcast(S, ap[ai + 5]);
            c5_0 = a.fma(b0, c5_0);
            c5_1 = a.fma(b1, c5_1);
            c5_2 = a.fma(b2, c5_2);
            a = FloatVector.broadcast(S, ap[ai + 6]);
            c6_0 = a.fma(b0, c6_0);
            c6_1 = a.fma(b1, c6_1);
            c6_2 = a.fma(b2, c6_2);
            a = FloatVector.broadcast(S, ap[ai + 7]);
            c7_0 = a.fma(b0, c7_0);
            c7_1 = a.fma(b1, c7_1);
            c7_2 = a.fma(b2, c7_2);
        }
        if (overwrite) {
            c0_0.intoArray(c, ci);
            c0_1.intoArray(c, ci + L);
            c0_2.intoArray(c, ci + 2 * L);
            c1_0.intoArray(c, ci + ldc);
            c1_1.intoArray(c, ci + ldc + L);
            c1_2.intoArray(c, ci + ldc + 2 * L);
            c2_0.intoArray(c, ci + 2 * ldc);
            c2_1.intoArray(c, ci + 2 * ldc + L);
            c2_2.intoArray(c, ci + 2 * ldc + 2 * L);
            c3_0.intoArray(c, ci + 3 * ldc);
            c3_1.intoArray(c, ci + 3 * ldc + L);
            c3_2.intoArray(c, ci + 3 * ldc + 2 * L);
            c4_0.intoArray(c, ci + 4 * ldc);
            c4_1.intoArray(c, ci + 4 * ldc + L);
            c4_2.intoArray(c, ci + 4 * ldc + 2 * L);
            c5_0.intoArray(c, ci + 5 * ldc);
            c5_1.intoArray(c, ci + 5 * ldc + L);
            c5_2.intoArray(c, ci + 5 * ldc + 2 * L);
            c6_0.intoArray(c, ci + 6 * ldc);
            c6_1.intoArray(c, ci + 6 * ldc + L);
            c6_2.intoArray(c, ci + 6 * ldc + 2 * L);
            c7_0.intoArray(c, ci + 7 * ldc);
            c7_1.intoArray(c, ci + 7 * ldc + L);
            c7_2.intoArray(c, ci + 7 * ldc + 2 * L);
        } else {
            FloatVector.fromArray(S, c, ci).add(c0_0).intoArray(c, ci);
            FloatVector.fromArray(S, c, ci + L).add(c0_1).intoArray(c, ci + L);
            FloatVector.fromArray(S, c, ci + 2 * L).add(c0_2).intoArray(c, ci + 2 * L);
            FloatVector.fromArray(S, c, ci + ldc).add(c1_0).intoArray(c, ci + ldc);
            FloatVector.fromArray(S, c, ci + ldc + L).add(c1_1).intoArray(c, ci + ldc + L);
            FloatVector.fromArray(S, c, ci + ldc + 2 * L).add(c1_2).intoArray(c, ci + ldc + 2 * L);
            FloatVector.fromArray(S, c, ci + 2 * ldc).add(c2_0).intoArray(c, ci + 2 * ldc);
            FloatVector.fromArray(S, c, ci + 2 * ldc + L).add(c2_1).intoArray(c, ci + 2 * ldc + L);
            FloatVector.fromArray(S, c, ci + 2 * ldc + 2 * L).add(c2_2).intoArray(c, ci + 2 * ldc + 2 * L);
            FloatVector.fromArray(S, c, ci + 3 * ldc).add(c3_0).intoArray(c, ci + 3 * ldc);
            FloatVector.fromArray(S, c, ci + 3 * ldc + L).add(c3_1).intoArray(c, ci + 3 * ldc + L);
            FloatVector.fromArray(S, c, ci + 3 * ldc + 2 * L).add(c3_2).intoArray(c, ci + 3 * ldc + 2 * L);
            FloatVector.fromArray(S, c, ci + 4 * ldc).add(c4_0).intoArray(c, ci + 4 * ldc);
            FloatVector.fromArray(S, c, ci + 4 * ldc + L).add(c4_1).intoArray(c, ci + 4 * ldc + L);
            FloatVector.fromArray(S, c, ci + 4 * ldc + 2 * L).add(c4_2).intoArray(c, ci + 4 * ldc + 2 * L);
            FloatVector.fromArray(S, c, ci + 5 * ldc).add(c5_0).intoArray(c, ci + 5 * ldc);
            FloatVector.fromArray(S, c, ci + 5 * ldc + L).add(c5_1).intoArray(c, ci + 5 * ldc + L);
            FloatVector.fromArray(S, c, ci + 5 * ldc + 2 * L).add(c5_2).intoArray(c, ci + 5 * ldc + 2 * L);
            FloatVector.fromArray(S, c, ci + 6 * ldc).add(c6_0).intoArray(c, ci + 6 * ldc);
            FloatVector.fromArray(S, c, ci + 6 * ldc + L).add(c6_1).intoArray(c, ci + 6 * ldc + L);
            FloatVector.fromArray(S, c, ci + 6 * ldc + 2 * L).add(c6_2).intoArray(c, ci + 6 * ldc + 2 * L);
            FloatVector.fromArray(S, c, ci + 7 * ldc).add(c7_0).intoArray(c, ci + 7 * ldc);
            FloatVector.fromArray(S, c, ci + 7 * ldc + L).add(c7_1).intoArray(c, ci + 7 * ldc + L);
            FloatVector.fromArray(S, c, ci + 7 * ldc + 2 * L).add(c7_2).intoArray(c, ci + 7 * ldc + 2 * L);
        }
    }

    private static void micro12x2(float[] ap, int ai, float[] bp, int bi, int kb, int bs,
                                 float[] c, int ci, int ldc, boolean overwrite) {
        FloatVector c0_0 = FloatVector.zero(S);
        FloatVector c0_1 = c0_0;
        FloatVector c1_0 = c0_0, c1_1 = c0_0;
        FloatVector c2_0 = c0_0, c2_1 = c0_0;
        FloatVector c3_0 = c0_0, c3_1 = c0_0;
        FloatVector c4_0 = c0_0, c4_1 = c0_0;
        FloatVector c5_0 = c0_0, c5_1 = c0_0;
        FloatVector c6_0 = c0_0, c6_1 = c0_0;
        FloatVector c7_0 = c0_0, c7_1 = c0_0;
        FloatVector c8_0 = c0_0, c8_1 = c0_0;
        FloatVector c9_0 = c0_0, c9_1 = c0_0;
        FloatVector c10_0 = c0_0, c10_1 = c0_0;
        FloatVector c11_0 = c0_0, c11_1 = c0_0;
        for (int p = 0; p < kb; p++, ai += 12, bi += bs) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bi);
            FloatVector b1 = FloatVector.fromArray(S, bp, bi + L);
            FloatVector a = FloatVector.broadcast(S, ap[ai]);
            c0_0 = a.fma(b0, c0_0);
            c0_1 = a.fma(b1, c0_1);
            a = FloatVector.broadcast(S, ap[ai + 1]);
            c1_0 = a.fma(b0, c1_0);
            c1_1 = a.fma(b1, c1_1);
            a = FloatVector.broadcast(S, ap[ai + 2]);
            c2_0 = a.fma(b0, c2_0);
            c2_1 = a.fma(b1, c2_1);
            a = FloatVector.broadcast(S, ap[ai + 3]);
            c3_0 = a.fma(b0, c3_0);
            c3_1 = a.fma(b1, c3_1);
            a = FloatVector.broadcast(S, ap[ai + 4]);
            c4_0 = a.fma(b0, c4_0);
            c4_1 = a.fma(b1, c4_1);
            a = FloatVector.broadcast(S, ap[ai + 5]);
            c5_0 = a.fma(b0, c5_0);
            c5_1 = a.fma(b1, c5_1);
            a = FloatVector.broadcast(S, ap[ai + 6]);
            c6_0 = a.fma(b0, c6_0);
            c6_1 = a.fma(b1, c6_1);
            a = FloatVector.broadcast(S, ap[ai + 7]);
            c7_0 = a.fma(b0, c7_0);
            c7_1 = a.fma(b1, c7_1);
            a = FloatVector.broadcast(S, ap[ai + 8]);
            c8_0 = a.fma(b0, c8_0);
            c8_1 = a.fma(b1, c8_1);
            a = FloatVector.broadcast(S, ap[ai + 9]);
            c9_0 = a.fma(b0, c9_0);
            c9_1 = a.fma(b1, c9_1);
            a = FloatVector.broadcast(S, ap[ai + 10]);
            c10_0 = a.fma(b0, c10_0);
            c10_1 = a.fma(b1, c10_1);
            a = FloatVector.broadcast(S, ap[ai + 11]);
            c11_0 = a.fma(b0, c11_0);
            c11_1 = a.fma(b1, c11_1);
        }
        if (overwrite) {
            c0_0.intoArray(c, ci);
            c0_1.intoArray(c, ci + L);
            c1_0.intoArray(c, ci + ldc);
            c1_1.intoArray(c, ci + ldc + L);
            c2_0.intoArray(c, ci + 2 * ldc);
            c2_1.intoArray(c, ci + 2 * ldc + L);
            c3_0.intoArray(c, ci + 3 * ldc);
            c3_1.intoArray(c, ci + 3 * ldc + L);
            c4_0.intoArray(c, ci + 4 * ldc);
            c4_1.intoArray(c, ci + 4 * ldc + L);
            c5_0.intoArray(c, ci + 5 * ldc);
            c5_1.intoArray(c, ci + 5 * ldc + L);
            c6_0.intoArray(c, ci + 6 * ldc);
            c6_1.intoArray(c, ci + 6 * ldc + L);
            c7_0.intoArray(c, ci + 7 * ldc);
            c7_1.intoArray(c, ci + 7 * ldc + L);
            c8_0.intoArray(c, ci + 8 * ldc);
            c8_1.intoArray(c, ci + 8 * ldc + L);
            c9_0.intoArray(c, ci + 9 * ldc);
            c9_1.intoArray(c, ci + 9 * ldc + L);
            c10_0.intoArray(c, ci + 10 * ldc);
            c10_1.intoArray(c, ci + 10 * ldc + L);
            c11_0.intoArray(c, ci + 11 * ldc);
            c11_1.intoArray(c, ci + 11 * ldc + L);
        } else {
            FloatVector.fromArray(S, c, ci).add(c0_0).intoArray(c, ci);
            FloatVector.fromArray(S, c, ci + L).add(c0_1).intoArray(c, ci + L);
            FloatVector.fromArray(S, c, ci + ldc).add(c1_0).intoArray(c, ci + ldc);
            FloatVector.fromArray(S, c, ci + ldc + L).add(c1_1).intoArray(c, ci + ldc + L);
            FloatVector.fromArray(S, c, ci + 2 * ldc).add(c2_0).intoArray(c, ci + 2 * ldc);
            FloatVector.fromArray(S, c, ci + 2 * ldc + L).add(c2_1).intoArray(c, ci + 2 * ldc + L);
            FloatVector.fromArray(S, c, ci + 3 * ldc).add(c3_0).intoArray(c, ci + 3 * ldc);
            FloatVector.fromArray(S, c, ci + 3 * ldc + L).add(c3_1).intoArray(c, ci + 3 * ldc + L);
            FloatVector.fromArray(S, c, ci + 4 * ldc).add(c4_0).intoArray(c, ci + 4 * ldc);
            FloatVector.fromArray(S, c, ci + 4 * ldc + L).add(c4_1).intoArray(c, ci + 4 * ldc + L);
            FloatVector.fromArray(S, c, ci + 5 * ldc).add(c5_0).intoArray(c, ci + 5 * ldc);
            FloatVector.fromArray(S, c, ci + 5 * ldc + L).add(c5_1).intoArray(c, ci + 5 * ldc + L);
            FloatVector.fromArray(S, c, ci + 6 * ldc).add(c6_0).intoArray(c, ci + 6 * ldc);
            FloatVector.fromArray(S, c, ci + 6 * ldc + L).add(c6_1).intoArray(c, ci + 6 * ldc + L);
            FloatVector.fromArray(S, c, ci + 7 * ldc).add(c7_0).intoArray(c, ci + 7 * ldc);
            FloatVector.fromArray(S, c, ci + 7 * ldc + L).add(c7_1).intoArray(c, ci + 7 * ldc + L);
            FloatVector.fromArray(S, c, ci + 8 * ldc).add(c8_0).intoArray(c, ci + 8 * ldc);
            FloatVector.fromArray(S, c, ci + 8 * ldc + L).add(c8_1).intoArray(c, ci + 8 * ldc + L);
            FloatVector.fromArray(S, c, ci + 9 * ldc).add(c9_0).intoArray(c, ci + 9 * ldc);
            FloatVector.fromArray(S, c, ci + 9 * ldc + L).add(c9_1).intoArray(c, ci + 9 * ldc + L);
            FloatVector.fromArray(S, c, ci + 10 * ldc).add(c10_0).intoArray(c, ci + 10 * ldc);
            FloatVector.fromArray(S, c, ci + 10 * ldc + L).add(c10_1).intoArray(c, ci + 10 * ldc + L);
            FloatVector.fromArray(S, c, ci + 11 * ldc).add(c11_0).intoArray(c, ci + 11 * ldc);
            FloatVector.fromArray(S, c, ci + 11 * ldc + L).add(c11_1).intoArray(c, ci + 11 * ldc + L);
        }
    }

    private static void edge8x1(float[] ap, int ai, int mr, float[] bp, int bi, int nr, int kb,
                                float[] tile, int t) {
        FloatVector c0_0 = FloatVector.zero(S);
        FloatVector c1_0 = c0_0;
        FloatVector c2_0 = c0_0;
        FloatVector c3_0 = c0_0;
        FloatVector c4_0 = c0_0;
        FloatVector c5_0 = c0_0;
        FloatVector c6_0 = c0_0;
        FloatVector c7_0 = c0_0;
        for (int p = 0; p < kb; p++, ai += mr, bi += nr) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bi);
            FloatVector a = FloatVector.broadcast(S, ap[ai]);
            c0_0 = a.fma(b0, c0_0);
            a = FloatVector.broadcast(S, ap[ai + 1]);
            c1_0 = a.fma(b0, c1_0);
            a = FloatVector.broadcast(S, ap[ai + 2]);
            c2_0 = a.fma(b0, c2_0);
            a = FloatVector.broadcast(S, ap[ai + 3]);
            c3_0 = a.fma(b0, c3_0);
            a = FloatVector.broadcast(S, ap[ai + 4]);
            c4_0 = a.fma(b0, c4_0);
            a = FloatVector.broadcast(S, ap[ai + 5]);
            c5_0 = a.fma(b0, c5_0);
            a = FloatVector.broadcast(S, ap[ai + 6]);
            c6_0 = a.fma(b0, c6_0);
            a = FloatVector.broadcast(S, ap[ai + 7]);
            c7_0 = a.fma(b0, c7_0);
        }
        c0_0.intoArray(tile, t);
        c1_0.intoArray(tile, t + nr);
        c2_0.intoArray(tile, t + 2 * nr);
        c3_0.intoArray(tile, t + 3 * nr);
        c4_0.intoArray(tile, t + 4 * nr);
        c5_0.intoArray(tile, t + 5 * nr);
        c6_0.intoArray(tile, t + 6 * nr);
        c7_0.intoArray(tile, t + 7 * nr);
    }

    private static void edge8x2(float[] ap, int ai, int mr, float[] bp, int bi, int nr, int kb,
                                float[] tile, int t) {
        FloatVector c0_0 = FloatVector.zero(S);
        FloatVector c0_1 = c0_0;
        FloatVector c1_0 = c0_0, c1_1 = c0_0;
        FloatVector c2_0 = c0_0, c2_1 = c0_0;
        FloatVector c3_0 = c0_0, c3_1 = c0_0;
        FloatVector c4_0 = c0_0, c4_1 = c0_0;
        FloatVector c5_0 = c0_0, c5_1 = c0_0;
        FloatVector c6_0 = c0_0, c6_1 = c0_0;
        FloatVector c7_0 = c0_0, c7_1 = c0_0;
        for (int p = 0; p < kb; p++, ai += mr, bi += nr) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bi);
            FloatVector b1 = FloatVector.fromArray(S, bp, bi + L);
            FloatVector a = FloatVector.broadcast(S, ap[ai]);
            c0_0 = a.fma(b0, c0_0);
            c0_1 = a.fma(b1, c0_1);
            a = FloatVector.broadcast(S, ap[ai + 1]);
            c1_0 = a.fma(b0, c1_0);
            c1_1 = a.fma(b1, c1_1);
            a = FloatVector.broadcast(S, ap[ai + 2]);
            c2_0 = a.fma(b0, c2_0);
            c2_1 = a.fma(b1, c2_1);
            a = FloatVector.broadcast(S, ap[ai + 3]);
            c3_0 = a.fma(b0, c3_0);
            c3_1 = a.fma(b1, c3_1);
            a = FloatVector.broadcast(S, ap[ai + 4]);
            c4_0 = a.fma(b0, c4_0);
            c4_1 = a.fma(b1, c4_1);
            a = FloatVector.broadcast(S, ap[ai + 5]);
            c5_0 = a.fma(b0, c5_0);
            c5_1 = a.fma(b1, c5_1);
            a = FloatVector.broadcast(S, ap[ai + 6]);
            c6_0 = a.fma(b0, c6_0);
            c6_1 = a.fma(b1, c6_1);
            a = FloatVector.broadcast(S, ap[ai + 7]);
            c7_0 = a.fma(b0, c7_0);
            c7_1 = a.fma(b1, c7_1);
        }
        c0_0.intoArray(tile, t);
        c0_1.intoArray(tile, t + L);
        c1_0.intoArray(tile, t + nr);
        c1_1.intoArray(tile, t + nr + L);
        c2_0.intoArray(tile, t + 2 * nr);
        c2_1.intoArray(tile, t + 2 * nr + L);
        c3_0.intoArray(tile, t + 3 * nr);
        c3_1.intoArray(tile, t + 3 * nr + L);
        c4_0.intoArray(tile, t + 4 * nr);
        c4_1.intoArray(tile, t + 4 * nr + L);
        c5_0.intoArray(tile, t + 5 * nr);
        c5_1.intoArray(tile, t + 5 * nr + L);
        c6_0.intoArray(tile, t + 6 * nr);
        c6_1.intoArray(tile, t + 6 * nr + L);
        c7_0.intoArray(tile, t + 7 * nr);
        c7_1.intoArray(tile, t + 7 * nr + L);
    }

    private static void edge4x1(float[] ap, int ai, int mr, float[] bp, int bi, int nr, int kb,
                                  float[] tile, int t) {
        FloatVector c0_0 = FloatVector.zero(S), c1_0 = c0_0, c2_0 = c0_0, c3_0 = c0_0;
        for (int p = 0; p < kb; p++, ai += mr, bi += nr) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bi);
            FloatVector a = FloatVector.broadcast(S, ap[ai]);
            c0_0 = a.fma(b0, c0_0);
            a = FloatVector.broadcast(S, ap[ai + 1]);
            c1_0 = a.fma(b0, c1_0);
            a = FloatVector.broadcast(S, ap[ai + 2]);
            c2_0 = a.fma(b0, c2_0);
            a = FloatVector.broadcast(S, ap[ai + 3]);
            c3_0 = a.fma(b0, c3_0);
        }
        c0_0.intoArray(tile, t);
        c1_0.intoArray(tile, t + nr);
        c2_0.intoArray(tile, t + 2 * nr);
        c3_0.intoArray(tile, t + 3 * nr);
    }

    private static void edge4x2(float[] ap, int ai, int mr, float[] bp, int bi, int nr, int kb,
                                  float[] tile, int t) {
        FloatVector c0_0 = FloatVector.zero(S), c0_1 = c0_0, c1_0 = c0_0, c1_1 = c0_0, c2_0 = c0_0, c2_1 = c0_0, c3_0 = c0_0, c3_1 = c0_0;
        for (int p = 0; p < kb; p++, ai += mr, bi += nr) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bi);
            FloatVector b1 = FloatVector.fromArray(S, bp, bi + L);
            FloatVector a = FloatVector.broadcast(S, ap[ai]);
            c0_0 = a.fma(b0, c0_0);
            c0_1 = a.fma(b1, c0_1);
            a = FloatVector.broadcast(S, ap[ai + 1]);
            c1_0 = a.fma(b0, c1_0);
            c1_1 = a.fma(b1, c1_1);
            a = FloatVector.broadcast(S, ap[ai + 2]);
            c2_0 = a.fma(b0, c2_0);
            c2_1 = a.fma(b1, c2_1);
            a = FloatVector.broadcast(S, ap[ai + 3]);
            c3_0 = a.fma(b0, c3_0);
            c3_1 = a.fma(b1, c3_1);
        }
        c0_0.intoArray(tile, t);
        c0_1.intoArray(tile, t + L);
        c1_0.intoArray(tile, t + nr);
        c1_1.intoArray(tile, t + nr + L);
        c2_0.intoArray(tile, t + 2 * nr);
        c2_1.intoArray(tile, t + 2 * nr + L);
        c3_0.intoArray(tile, t + 3 * nr);
        c3_1.intoArray(tile, t + 3 * nr + L);
    }

    private static void edge2x1(float[] ap, int ai, int mr, float[] bp, int bi, int nr, int kb,
                                  float[] tile, int t) {
        FloatVector c0_0 = FloatVector.zero(S), c1_0 = c0_0;
        for (int p = 0; p < kb; p++, ai += mr, bi += nr) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bi);
            FloatVector a = FloatVector.broadcast(S, ap[ai]);
            c0_0 = a.fma(b0, c0_0);
            a = FloatVector.broadcast(S, ap[ai + 1]);
            c1_0 = a.fma(b0, c1_0);
        }
        c0_0.intoArray(tile, t);
        c1_0.intoArray(tile, t + nr);
    }

    private static void edge2x2(float[] ap, int ai, int mr, float[] bp, int bi, int nr, int kb,
                                  float[] tile, int t) {
        FloatVector c0_0 = FloatVector.zero(S), c0_1 = c0_0, c1_0 = c0_0, c1_1 = c0_0;
        for (int p = 0; p < kb; p++, ai += mr, bi += nr) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bi);
            FloatVector b1 = FloatVector.fromArray(S, bp, bi + L);
            FloatVector a = FloatVector.broadcast(S, ap[ai]);
            c0_0 = a.fma(b0, c0_0);
            c0_1 = a.fma(b1, c0_1);
            a = FloatVector.broadcast(S, ap[ai + 1]);
            c1_0 = a.fma(b0, c1_0);
            c1_1 = a.fma(b1, c1_1);
        }
        c0_0.intoArray(tile, t);
        c0_1.intoArray(tile, t + L);
        c1_0.intoArray(tile, t + nr);
        c1_1.intoArray(tile, t + nr + L);
    }

    // For shapes too small to repay packing (and conv1's k = 9). Four rows of C at a time, three vectors wide
    // (tile rows4x3): 12 accumulators stay in registers for the whole k loop, each vector of B loaded once
    // serves 4 rows and each broadcast of A 3 vectors, so the loop does 12 FMAs per 7 loads instead of the
    // 4 per 5 of a single row (micro1x4, which now only takes the last m % 4 rows). C is read and written once.
    // Every element is still one chain of k FMAs starting from C (or zero), so the bits are those of one row at
    // a time. Narrower column tails: 4 rows x 1 vector, then scalar.
    static void gemmRows(boolean transA, int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff,
                         int ldb, float[] c, int cOff, int ldc, boolean accumulate) {
        int aRow = transA ? 1 : lda, aCol = transA ? lda : 1;
        int i = 0;
        for (; i + 4 <= m; i += 4) {
            int ai = aOff + i * aRow, ci = cOff + i * ldc;
            int j = 0;
            for (; j + 3 * L <= n; j += 3 * L) {
                rows4x3(ai, aRow, aCol, k, a, b, bOff + j, ldb, c, ci + j, ldc, accumulate);
            }
            for (; j + L <= n; j += L) {
                rows4x1(ai, aRow, aCol, k, a, b, bOff + j, ldb, c, ci + j, ldc, accumulate);
            }
            for (int r = 0; r < 4; r++) {
                scalarTail(ai + r * aRow, aCol, k, a, b, bOff, ldb, c, ci + r * ldc, j, n, accumulate);
            }
        }
        for (; i < m; i++) {
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
            scalarTail(ai, aCol, k, a, b, bOff, ldb, c, ci, j, n, accumulate);
        }
    }

    private static void scalarTail(int ai, int aCol, int k, float[] a, float[] b, int bOff, int ldb,
                                   float[] c, int ci, int j, int n, boolean accumulate) {
        for (; j < n; j++) {
            float acc = accumulate ? c[ci + j] : 0f;
            for (int p = 0, bi = bOff + j; p < k; p++, bi += ldb) {
                acc = Math.fma(a[ai + p * aCol], b[bi], acc);
            }
            c[ci + j] = acc;
        }
    }

    private static void rows4x3(int ai, int aRow, int aCol, int k, float[] a, float[] b, int bi, int ldb,
                                float[] c, int ci, int ldc, boolean accumulate) {
        FloatVector c00, c01, c02, c10, c11, c12, c20, c21, c22, c30, c31, c32;
        if (accumulate) {
            c00 = FloatVector.fromArray(S, c, ci);
            c01 = FloatVector.fromArray(S, c, ci + L);
            c02 = FloatVector.fromArray(S, c, ci + 2 * L);
            c10 = FloatVector.fromArray(S, c, ci + ldc);
            c11 = FloatVector.fromArray(S, c, ci + ldc + L);
            c12 = FloatVector.fromArray(S, c, ci + ldc + 2 * L);
            c20 = FloatVector.fromArray(S, c, ci + 2 * ldc);
            c21 = FloatVector.fromArray(S, c, ci + 2 * ldc + L);
            c22 = FloatVector.fromArray(S, c, ci + 2 * ldc + 2 * L);
            c30 = FloatVector.fromArray(S, c, ci + 3 * ldc);
            c31 = FloatVector.fromArray(S, c, ci + 3 * ldc + L);
            c32 = FloatVector.fromArray(S, c, ci + 3 * ldc + 2 * L);
        } else {
            c00 = c01 = c02 = c10 = c11 = c12 = c20 = c21 = c22 = c30 = c31 = c32 = FloatVector.zero(S);
        }
        int a1 = ai + aRow, a2 = ai + 2 * aRow, a3 = ai + 3 * aRow;
        for (int p = 0, ap = 0; p < k; p++, ap += aCol, bi += ldb) {
            FloatVector b0 = FloatVector.fromArray(S, b, bi);
            FloatVector b1 = FloatVector.fromArray(S, b, bi + L);
            FloatVector b2 = FloatVector.fromArray(S, b, bi + 2 * L);
            FloatVector x = FloatVector.broadcast(S, a[ai + ap]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            c02 = x.fma(b2, c02);
            x = FloatVector.broadcast(S, a[a1 + ap]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            c12 = x.fma(b2, c12);
            x = FloatVector.broadcast(S, a[a2 + ap]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            c22 = x.fma(b2, c22);
            x = FloatVector.broadcast(S, a[a3 + ap]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            c32 = x.fma(b2, c32);
        }
        // Stored inline, as in the micro-kernels, rather than through a helper taking vectors: C2 did inline such a
        // helper here (PrintInlining, 512 bits, JDK 25), but the same helper was cut off in micro8x2 and its
        // vectors boxed, and whether it is depends on how large the method around it grew.
        c00.intoArray(c, ci);
        c01.intoArray(c, ci + L);
        c02.intoArray(c, ci + 2 * L);
        c10.intoArray(c, ci + ldc);
        c11.intoArray(c, ci + ldc + L);
        c12.intoArray(c, ci + ldc + 2 * L);
        c20.intoArray(c, ci + 2 * ldc);
        c21.intoArray(c, ci + 2 * ldc + L);
        c22.intoArray(c, ci + 2 * ldc + 2 * L);
        c30.intoArray(c, ci + 3 * ldc);
        c31.intoArray(c, ci + 3 * ldc + L);
        c32.intoArray(c, ci + 3 * ldc + 2 * L);
    }

    private static void rows4x1(int ai, int aRow, int aCol, int k, float[] a, float[] b, int bi, int ldb,
                                float[] c, int ci, int ldc, boolean accumulate) {
        FloatVector c0, c1, c2, c3;
        if (accumulate) {
            c0 = FloatVector.fromArray(S, c, ci);
            c1 = FloatVector.fromArray(S, c, ci + ldc);
            c2 = FloatVector.fromArray(S, c, ci + 2 * ldc);
            c3 = FloatVector.fromArray(S, c, ci + 3 * ldc);
        } else {
            c0 = c1 = c2 = c3 = FloatVector.zero(S);
        }
        int a1 = ai + aRow, a2 = ai + 2 * aRow, a3 = ai + 3 * aRow;
        for (int p = 0, ap = 0; p < k; p++, ap += aCol, bi += ldb) {
            FloatVector b0 = FloatVector.fromArray(S, b, bi);
            c0 = FloatVector.broadcast(S, a[ai + ap]).fma(b0, c0);
            c1 = FloatVector.broadcast(S, a[a1 + ap]).fma(b0, c1);
            c2 = FloatVector.broadcast(S, a[a2 + ap]).fma(b0, c2);
            c3 = FloatVector.broadcast(S, a[a3 + ap]).fma(b0, c3);
        }
        c0.intoArray(c, ci);
        c1.intoArray(c, ci + ldc);
        c2.intoArray(c, ci + 2 * ldc);
        c3.intoArray(c, ci + 3 * ldc);
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
    // Four dots at a time (tile dots2x2: rows i, i+1 of A against rows j, j+1 of B): one dot alone is a chain
    // bound by the FMA latency (2 accumulators, 4 cycles each: a quarter of the 2 FMAs per cycle), and loads two
    // vectors per FMA; four dots run 8 independent chains and load each vector once for two FMAs. Each dot keeps
    // the exact order of dot() (its own two accumulators, the same lane sum and tail), so the bits do not change.
    static void gemmDots(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                         float[] c, int cOff, int ldc, boolean accumulate) {
        int i = 0;
        for (; i + 2 <= m; i += 2) {
            int ci = cOff + i * ldc, ai = aOff + i * lda;
            int j = 0;
            for (; j + 2 <= n; j += 2) {
                dots2x2(k, a, ai, lda, b, bOff + j * ldb, ldb, c, ci + j, ldc, accumulate);
            }
            for (; j < n; j++) {
                for (int r = 0; r < 2; r++) {
                    float d = dot(k, a, ai + r * lda, b, bOff + j * ldb);
                    int at = ci + r * ldc + j;
                    c[at] = accumulate ? c[at] + d : d;
                }
            }
        }
        for (; i < m; i++) {
            int ci = cOff + i * ldc;
            for (int j = 0; j < n; j++) {
                float d = dot(k, a, aOff + i * lda, b, bOff + j * ldb);
                c[ci + j] = accumulate ? c[ci + j] + d : d;
            }
        }
    }

    private static void dots2x2(int k, float[] a, int ai, int lda, float[] b, int bi, int ldb,
                                float[] c, int ci, int ldc, boolean accumulate) {
        FloatVector s00 = FloatVector.zero(S), t00 = s00, s01 = s00, t01 = s00;
        FloatVector s10 = s00, t10 = s00, s11 = s00, t11 = s00;
        int a1 = ai + lda, b1 = bi + ldb;
        int p = 0;
        for (int bound = S.loopBound(k) - L; p < bound; p += 2 * L) {
            FloatVector x0 = FloatVector.fromArray(S, a, ai + p), y0 = FloatVector.fromArray(S, a, ai + p + L);
            FloatVector x1 = FloatVector.fromArray(S, a, a1 + p), y1 = FloatVector.fromArray(S, a, a1 + p + L);
            FloatVector u = FloatVector.fromArray(S, b, bi + p), v = FloatVector.fromArray(S, b, bi + p + L);
            s00 = x0.fma(u, s00);
            t00 = y0.fma(v, t00);
            s10 = x1.fma(u, s10);
            t10 = y1.fma(v, t10);
            u = FloatVector.fromArray(S, b, b1 + p);
            v = FloatVector.fromArray(S, b, b1 + p + L);
            s01 = x0.fma(u, s01);
            t01 = y0.fma(v, t01);
            s11 = x1.fma(u, s11);
            t11 = y1.fma(v, t11);
        }
        for (; p < S.loopBound(k); p += L) {
            FloatVector x0 = FloatVector.fromArray(S, a, ai + p), x1 = FloatVector.fromArray(S, a, a1 + p);
            FloatVector u = FloatVector.fromArray(S, b, bi + p), v = FloatVector.fromArray(S, b, b1 + p);
            s00 = x0.fma(u, s00);
            s10 = x1.fma(u, s10);
            s01 = x0.fma(v, s01);
            s11 = x1.fma(v, s11);
        }
        float d00 = VectorElementwise.sumLanes(s00.add(t00)), d01 = VectorElementwise.sumLanes(s01.add(t01));
        float d10 = VectorElementwise.sumLanes(s10.add(t10)), d11 = VectorElementwise.sumLanes(s11.add(t11));
        for (; p < k; p++) {
            d00 = Math.fma(a[ai + p], b[bi + p], d00);
            d01 = Math.fma(a[ai + p], b[b1 + p], d01);
            d10 = Math.fma(a[a1 + p], b[bi + p], d10);
            d11 = Math.fma(a[a1 + p], b[b1 + p], d11);
        }
        c[ci] = accumulate ? c[ci] + d00 : d00;
        c[ci + 1] = accumulate ? c[ci + 1] + d01 : d01;
        c[ci + ldc] = accumulate ? c[ci + ldc] + d10 : d10;
        c[ci + ldc + 1] = accumulate ? c[ci + ldc + 1] + d11 : d11;
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
