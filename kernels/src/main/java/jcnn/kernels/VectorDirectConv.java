package jcnn.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Direct convolution of a one-channel input with stride 1 (the seed CNN's conv1: 1 -> 16 channels, 3x3, padding
 * 1), forward and weight gradient, without im2col; {@link VectorKernels} delegates to it and does the threading.
 *
 * <p>Why it is fast: with one input channel, im2col copies each image nine times to feed a GEMM whose depth is 9,
 * and the weight gradient is then 9 x 16 dot products per image, each ending in a horizontal lane sum. Here the
 * image is copied once into a zero-padded plane of row pitch P = w + 2 pad, so that every tap (i, j) of output
 * pixel (y, x) is the padded pixel at (y + i) * P + x + j: lanes run over an output row's columns, and each tap
 * is one shifted load. The forward keeps the arithmetic of the im2col path exactly (an FMA chain over the taps in
 * row-major order from zero, the padding's zeros included, then the bias), so its results are bit-identical to
 * it. The weight gradient keeps the nine sums of one output channel in vector registers over all pixels of all
 * the images of a chunk and reduces each in lane order once per chunk; the chunks, a fixed number that depends
 * only on the batch, are then added in order, so the result is the same for any thread count (it rounds
 * differently from the dot product path: other summation order). docs/direct-convolution.md has the figures.
 *
 * <p>Non-goals: several input channels (conv2 goes through im2col + GEMM), kernels other than 3x3, strides above
 * 1, the input gradient
 * (conv1's input is data: the im2col path serves a model that wants it).
 */
final class VectorDirectConv {

    private static final VectorSpecies<Float> S = VectorWidth.FLOAT;
    private static final int L = S.length();
    /**
     * With AVX-512's 32 vector registers (512-bit vectors), two output channels per pass: every shifted load of the
     * input feeds two FMAs. AVX2's 16 registers cannot hold the 18 weights or accumulators.
     */
    private static final boolean PAIRED = L >= 16;
    /** Chunks of the batch for the weight gradient: fixed, so that the summation order never depends on threads. */
    static final int MAX_CHUNKS = 16;
    /** Zero-padded input planes. */
    private static final Scratch PADDED = new Scratch();
    /** A weight gradient's accumulators between images, per channel of a pair. */
    private static final Scratch WORK = new Scratch();
    /** The chunks' weight gradients, added in chunk order at the end. */
    private static final Scratch WEIGHT_GRADIENT_CHUNKS = new Scratch();

    private VectorDirectConv() {
    }

    /** Whether this path takes shape {@code s}: one input channel, a 3x3 kernel, stride 1 (any padding). */
    static boolean fits(ConvShape s) {
        return s.c() == 1 && s.kh() == 3 && s.kw() == 3 && s.stride() == 1;
    }

    // x (n,1,h,w), weight (o,1,3,3), bias (o) or null -> y (n,o,oh,ow): images across threads
    static void conv2dForward(float[] x, float[] weight, float[] bias, float[] y, ConvShape s, int threads) {
        Parallel.forRange(threads, s.n(), (from, to) -> forward(x, weight, bias, y, s, from, to));
    }

    /**
     * conv1's backward (no input gradient): the weight gradient summed directly in vector registers, per chunk of
     * images (a number fixed by the batch), the chunks then added in order: bit-identical for any thread count.
     */
    // dy (n,o,oh,ow), x (n,1,h,w) -> dweight (o,1,3,3) +=, dbias (o) += or null
    static void conv2dWeightGradient(float[] dy, float[] x, float[] dweight, float[] dbias, ConvShape s,
                                     int threads) {
        int wSize = s.weightSize(), chunks = Math.min(s.n(), MAX_CHUNKS);
        float[] dwChunks = WEIGHT_GRADIENT_CHUNKS.floats(chunks * wSize);
        Parallel.forRange(threads, chunks, (from, to) -> {
            for (int chunk = from; chunk < to; chunk++) {
                weightGradientChunk(dy, x, s, chunk, chunks, dwChunks, chunk * wSize);
            }
        });
        for (int chunk = 0; chunk < chunks; chunk++) {
            VectorElementwise.addTo(wSize, dwChunks, chunk * wSize, dweight, 0);
        }
        if (dbias != null) {
            VectorElementwise.biasGrad(dy, s.n(), s.o(), s.colCols(), dbias);
        }
    }

    /** Row pitch of the padded plane, and of the output in it. */
    private static int pitch(ConvShape s) {
        return s.w() + 2 * s.pad();
    }

    /**
     * Floats of one padded plane: its rows, one more for the last taps of the dropped columns, and room for a
     * row's last vector read past the row's end (whole vectors, of which a mask keeps the row's part).
     */
    private static int paddedSize(ConvShape s) {
        return (s.h() + 2 * s.pad() + 1) * pitch(s) + 2 * L;
    }

    /** Image {@code i} of x (n,1,h,w) -> a zero-padded plane of pitch P in {@code xp}. */
    private static void pad(float[] x, int i, ConvShape s, float[] xp) {
        int p = pitch(s), h = s.h(), w = s.w(), pad = s.pad();
        java.util.Arrays.fill(xp, 0, paddedSize(s), 0f);
        for (int y = 0; y < h; y++) {
            System.arraycopy(x, (i * h + y) * w, xp, (y + pad) * p + pad, w);
        }
    }

    // x (n,1,h,w), weight (o,1,3,3), bias (o) or null -> y (n,o,oh,ow), images [from, to)
    static void forward(float[] x, float[] weight, float[] bias, float[] y, ConvShape s, int from, int to) {
        float[] xp = PADDED.floats(paddedSize(s));
        int planeOut = s.oh() * s.ow();
        for (int i = from; i < to; i++) {
            pad(x, i, s, xp);
            for (int o = 0; o < s.o(); o += PAIRED ? 2 : 1) {
                int yo = (i * s.o() + o) * planeOut;
                if (PAIRED && o + 1 < s.o() && s.ow() >= L) {
                    forward3x3PairRows(xp, weight, o * 9, bias, o, s, y, yo);
                } else if (PAIRED && o + 1 < s.o()) {
                    forward3x3Pair(xp, weight, o * 9, bias, o, s, y, yo);
                } else {
                    forward3x3(xp, weight, o * 9, bias == null ? 0f : bias[o], bias != null, s, y, yo);
                }
            }
        }
    }

    /**
     * One output channel of one image, written straight into y at {@code yo}: the nine weights broadcast once, then
     * per vector of an output row nine shifted loads and a chain of nine FMAs in the im2col path's order (tap by tap,
     * from zero), then the bias, as that path adds it. A row's last vector (28 = 16 + 12 at 512 bits) is stored whole,
     * its extra lanes spilling into the next row, which the next iteration overwrites; only the plane's last row
     * is stored under a mask (a masked store checks its lanes' bounds, which cost as much as the FMAs), so nothing
     * is computed into a buffer and copied out (a System.arraycopy per 28-float row cost more than its
     * convolution). A method of its own, with every tap written out, so that C2 keeps the weights
     * and the accumulator in registers (a tap loop over kh x kw measured 6x slower).
     */
    private static void forward3x3(float[] xp, float[] weight, int wo, float b, boolean withBias, ConvShape s,
                                   float[] y, int yo) {
        FloatVector w0 = FloatVector.broadcast(S, weight[wo]), w1 = FloatVector.broadcast(S, weight[wo + 1]),
                w2 = FloatVector.broadcast(S, weight[wo + 2]), w3 = FloatVector.broadcast(S, weight[wo + 3]),
                w4 = FloatVector.broadcast(S, weight[wo + 4]), w5 = FloatVector.broadcast(S, weight[wo + 5]),
                w6 = FloatVector.broadcast(S, weight[wo + 6]), w7 = FloatVector.broadcast(S, weight[wo + 7]),
                w8 = FloatVector.broadcast(S, weight[wo + 8]);
        FloatVector bv = FloatVector.broadcast(S, b);
        int p = pitch(s), p2 = 2 * p, oh = s.oh(), ow = s.ow(), plane = oh * ow;
        for (int oy = 0; oy < oh; oy++) {
            for (int e = 0; e < ow; e += L) {
                int q = oy * p + e;
                FloatVector acc = w0.fma(FloatVector.fromArray(S, xp, q), FloatVector.zero(S));
                acc = w1.fma(FloatVector.fromArray(S, xp, q + 1), acc);
                acc = w2.fma(FloatVector.fromArray(S, xp, q + 2), acc);
                acc = w3.fma(FloatVector.fromArray(S, xp, q + p), acc);
                acc = w4.fma(FloatVector.fromArray(S, xp, q + p + 1), acc);
                acc = w5.fma(FloatVector.fromArray(S, xp, q + p + 2), acc);
                acc = w6.fma(FloatVector.fromArray(S, xp, q + p2), acc);
                acc = w7.fma(FloatVector.fromArray(S, xp, q + p2 + 1), acc);
                acc = w8.fma(FloatVector.fromArray(S, xp, q + p2 + 2), acc);
                if (withBias) {
                    acc = acc.add(bv);
                }
                if (oy * ow + e + L <= plane) {   // a whole vector, spilling into the next row: see forward3x3Pair
                    acc.intoArray(y, yo + oy * ow + e);
                } else {
                    acc.intoArray(y, yo + oy * ow + e, S.indexInRange(e, ow));
                }
            }
        }
    }

    /**
     * {@link #forward3x3} for output channels o and o + 1 at once (with AVX-512's 32 registers: 18 weights and two
     * accumulators), into y at {@code yo} and the next plane: each shifted load of x feeds two FMAs instead of one,
     * and each channel's chain is the same as {@code forward3x3}'s, so the results are too.
     */
    private static void forward3x3Pair(float[] xp, float[] weight, int wo, float[] bias, int o, ConvShape s,
                                       float[] y, int yo) {
        FloatVector w0 = FloatVector.broadcast(S, weight[wo]), w1 = FloatVector.broadcast(S, weight[wo + 1]),
                w2 = FloatVector.broadcast(S, weight[wo + 2]), w3 = FloatVector.broadcast(S, weight[wo + 3]),
                w4 = FloatVector.broadcast(S, weight[wo + 4]), w5 = FloatVector.broadcast(S, weight[wo + 5]),
                w6 = FloatVector.broadcast(S, weight[wo + 6]), w7 = FloatVector.broadcast(S, weight[wo + 7]),
                w8 = FloatVector.broadcast(S, weight[wo + 8]);
        FloatVector v0 = FloatVector.broadcast(S, weight[wo + 9]), v1 = FloatVector.broadcast(S, weight[wo + 10]),
                v2 = FloatVector.broadcast(S, weight[wo + 11]), v3 = FloatVector.broadcast(S, weight[wo + 12]),
                v4 = FloatVector.broadcast(S, weight[wo + 13]), v5 = FloatVector.broadcast(S, weight[wo + 14]),
                v6 = FloatVector.broadcast(S, weight[wo + 15]), v7 = FloatVector.broadcast(S, weight[wo + 16]),
                v8 = FloatVector.broadcast(S, weight[wo + 17]);
        boolean withBias = bias != null;
        FloatVector ba = FloatVector.broadcast(S, withBias ? bias[o] : 0f);
        FloatVector bb = FloatVector.broadcast(S, withBias ? bias[o + 1] : 0f);
        int p = pitch(s), p2 = 2 * p, oh = s.oh(), ow = s.ow(), next = oh * ow;
        for (int oy = 0; oy < oh; oy++) {
            for (int e = 0; e < ow; e += L) {
                int q = oy * p + e;
                FloatVector x0 = FloatVector.fromArray(S, xp, q);
                FloatVector a = w0.fma(x0, FloatVector.zero(S)), b = v0.fma(x0, FloatVector.zero(S));
                FloatVector x1 = FloatVector.fromArray(S, xp, q + 1);
                a = w1.fma(x1, a);
                b = v1.fma(x1, b);
                FloatVector x2 = FloatVector.fromArray(S, xp, q + 2);
                a = w2.fma(x2, a);
                b = v2.fma(x2, b);
                FloatVector x3 = FloatVector.fromArray(S, xp, q + p);
                a = w3.fma(x3, a);
                b = v3.fma(x3, b);
                FloatVector x4 = FloatVector.fromArray(S, xp, q + p + 1);
                a = w4.fma(x4, a);
                b = v4.fma(x4, b);
                FloatVector x5 = FloatVector.fromArray(S, xp, q + p + 2);
                a = w5.fma(x5, a);
                b = v5.fma(x5, b);
                FloatVector x6 = FloatVector.fromArray(S, xp, q + p2);
                a = w6.fma(x6, a);
                b = v6.fma(x6, b);
                FloatVector x7 = FloatVector.fromArray(S, xp, q + p2 + 1);
                a = w7.fma(x7, a);
                b = v7.fma(x7, b);
                FloatVector x8 = FloatVector.fromArray(S, xp, q + p2 + 2);
                a = w8.fma(x8, a);
                b = v8.fma(x8, b);
                if (withBias) {
                    a = a.add(ba);
                    b = b.add(bb);
                }
                int at = yo + oy * ow + e;
                if (oy * ow + e + L <= next) {
                    // A whole vector; past the row's end it spills into the next rows of the same plane, which the
                    // next oy overwrites (rows are written in order): no mask, whose bounds check cost as much as
                    // the convolution. Only the plane's last row (or rows, when they are narrow) is masked.
                    a.intoArray(y, at);
                    b.intoArray(y, at + next);
                } else {
                    VectorMask<Float> row = S.indexInRange(e, ow);
                    a.intoArray(y, at, row);
                    b.intoArray(y, at + next, row);
                }
            }
        }
    }

    /**
     * {@link #forward3x3Pair} four output rows at a time, for rows of at least one vector (with AVX-512's 32
     * registers: 18 weights and 8 accumulators). A chain of nine FMAs is 36 cycles of latency; one row of two
     * channels gave the out-of-order core two such chains at a time, and conv1 ran at a fifth of the FMA peak
     * (5.1 us per image, 2026-12-02, AMD EPYC with AVX-512). Eight independent chains hide the latency. A row's
     * last vector is placed to end at the row's end, overlapping the one before it (the shared lanes are computed
     * twice, the same way), so there is no spill into the next row, no mask and no store order to keep. Each
     * element's chain is forward3x3's, so the results are too.
     */
    private static void forward3x3PairRows(float[] xp, float[] weight, int wo, float[] bias, int o, ConvShape s,
                                           float[] y, int yo) {
        FloatVector w0 = FloatVector.broadcast(S, weight[wo]), w1 = FloatVector.broadcast(S, weight[wo + 1]),
                w2 = FloatVector.broadcast(S, weight[wo + 2]), w3 = FloatVector.broadcast(S, weight[wo + 3]),
                w4 = FloatVector.broadcast(S, weight[wo + 4]), w5 = FloatVector.broadcast(S, weight[wo + 5]),
                w6 = FloatVector.broadcast(S, weight[wo + 6]), w7 = FloatVector.broadcast(S, weight[wo + 7]),
                w8 = FloatVector.broadcast(S, weight[wo + 8]);
        FloatVector v0 = FloatVector.broadcast(S, weight[wo + 9]), v1 = FloatVector.broadcast(S, weight[wo + 10]),
                v2 = FloatVector.broadcast(S, weight[wo + 11]), v3 = FloatVector.broadcast(S, weight[wo + 12]),
                v4 = FloatVector.broadcast(S, weight[wo + 13]), v5 = FloatVector.broadcast(S, weight[wo + 14]),
                v6 = FloatVector.broadcast(S, weight[wo + 15]), v7 = FloatVector.broadcast(S, weight[wo + 16]),
                v8 = FloatVector.broadcast(S, weight[wo + 17]);
        boolean withBias = bias != null;
        FloatVector ba = FloatVector.broadcast(S, withBias ? bias[o] : 0f);
        FloatVector bb = FloatVector.broadcast(S, withBias ? bias[o + 1] : 0f);
        int p = pitch(s), oh = s.oh(), ow = s.ow(), next = oh * ow, last = ow - L;
        int oy = 0;
        for (; oy + 4 <= oh; oy += 4) {
            for (int e = 0; e < ow; e += L) {
                int col = Math.min(e, last), q = oy * p + col, at = yo + oy * ow + col;
                FloatVector x;
                x = FloatVector.fromArray(S, xp, q);
                FloatVector a0 = w0.fma(x, FloatVector.zero(S)), b0 = v0.fma(x, FloatVector.zero(S));
                x = FloatVector.fromArray(S, xp, q + p);
                FloatVector a1 = w0.fma(x, FloatVector.zero(S)), b1 = v0.fma(x, FloatVector.zero(S));
                x = FloatVector.fromArray(S, xp, q + 2 * p);
                FloatVector a2 = w0.fma(x, FloatVector.zero(S)), b2 = v0.fma(x, FloatVector.zero(S));
                x = FloatVector.fromArray(S, xp, q + 3 * p);
                FloatVector a3 = w0.fma(x, FloatVector.zero(S)), b3 = v0.fma(x, FloatVector.zero(S));
                x = FloatVector.fromArray(S, xp, q + 1);
                a0 = w1.fma(x, a0);
                b0 = v1.fma(x, b0);
                x = FloatVector.fromArray(S, xp, q + p + 1);
                a1 = w1.fma(x, a1);
                b1 = v1.fma(x, b1);
                x = FloatVector.fromArray(S, xp, q + 2 * p + 1);
                a2 = w1.fma(x, a2);
                b2 = v1.fma(x, b2);
                x = FloatVector.fromArray(S, xp, q + 3 * p + 1);
                a3 = w1.fma(x, a3);
                b3 = v1.fma(x, b3);
                x = FloatVector.fromArray(S, xp, q + 2);
                a0 = w2.fma(x, a0);
                b0 = v2.fma(x, b0);
                x = FloatVector.fromArray(S, xp, q + p + 2);
                a1 = w2.fma(x, a1);
                b1 = v2.fma(x, b1);
                x = FloatVector.fromArray(S, xp, q + 2 * p + 2);
                a2 = w2.fma(x, a2);
                b2 = v2.fma(x, b2);
                x = FloatVector.fromArray(S, xp, q + 3 * p + 2);
                a3 = w2.fma(x, a3);
                b3 = v2.fma(x, b3);
                x = FloatVector.fromArray(S, xp, q + p);
                a0 = w3.fma(x, a0);
                b0 = v3.fma(x, b0);
                x = FloatVector.fromArray(S, xp, q + 2 * p);
                a1 = w3.fma(x, a1);
                b1 = v3.fma(x, b1);
                x = FloatVector.fromArray(S, xp, q + 3 * p);
                a2 = w3.fma(x, a2);
                b2 = v3.fma(x, b2);
                x = FloatVector.fromArray(S, xp, q + 4 * p);
                a3 = w3.fma(x, a3);
                b3 = v3.fma(x, b3);
                x = FloatVector.fromArray(S, xp, q + p + 1);
                a0 = w4.fma(x, a0);
                b0 = v4.fma(x, b0);
                x = FloatVector.fromArray(S, xp, q + 2 * p + 1);
                a1 = w4.fma(x, a1);
                b1 = v4.fma(x, b1);
                x = FloatVector.fromArray(S, xp, q + 3 * p + 1);
                a2 = w4.fma(x, a2);
                b2 = v4.fma(x, b2);
                x = FloatVector.fromArray(S, xp, q + 4 * p + 1);
                a3 = w4.fma(x, a3);
                b3 = v4.fma(x, b3);
                x = FloatVector.fromArray(S, xp, q + p + 2);
                a0 = w5.fma(x, a0);
                b0 = v5.fma(x, b0);
                x = FloatVector.fromArray(S, xp, q + 2 * p + 2);
                a1 = w5.fma(x, a1);
                b1 = v5.fma(x, b1);
                x = FloatVector.fromArray(S, xp, q + 3 * p + 2);
                a2 = w5.fma(x, a2);
                b2 = v5.fma(x, b2);
                x = FloatVector.fromArray(S, xp, q + 4 * p + 2);
                a3 = w5.fma(x, a3);
                b3 = v5.fma(x, b3);
                x = FloatVector.fromArray(S, xp, q + 2 * p);
                a0 = w6.fma(x, a0);
                b0 = v6.fma(x, b0);
                x = FloatVector.fromArray(S, xp, q + 3 * p);
                a1 = w6.fma(x, a1);
                b1 = v6.fma(x, b1);
                x = FloatVector.fromArray(S, xp, q + 4 * p);
                a2 = w6.fma(x, a2);
                b2 = v6.fma(x, b2);
                x = FloatVector.fromArray(S, xp, q + 5 * p);
                a3 = w6.fma(x, a3);
                b3 = v6.fma(x, b3);
                x = FloatVector.fromArray(S, xp, q + 2 * p + 1);
                a0 = w7.fma(x, a0);
                b0 = v7.fma(x, b0);
                x = FloatVector.fromArray(S, xp, q + 3 * p + 1);
                a1 = w7.fma(x, a1);
                b1 = v7.fma(x, b1);
                x = FloatVector.fromArray(S, xp, q + 4 * p + 1);
                a2 = w7.fma(x, a2);
                b2 = v7.fma(x, b2);
                x = FloatVector.fromArray(S, xp, q + 5 * p + 1);
                a3 = w7.fma(x, a3);
                b3 = v7.fma(x, b3);
                x = FloatVector.fromArray(S, xp, q + 2 * p + 2);
                a0 = w8.fma(x, a0);
                b0 = v8.fma(x, b0);
                x = FloatVector.fromArray(S, xp, q + 3 * p + 2);
                a1 = w8.fma(x, a1);
                b1 = v8.fma(x, b1);
                x = FloatVector.fromArray(S, xp, q + 4 * p + 2);
                a2 = w8.fma(x, a2);
                b2 = v8.fma(x, b2);
                x = FloatVector.fromArray(S, xp, q + 5 * p + 2);
                a3 = w8.fma(x, a3);
                b3 = v8.fma(x, b3);
                if (withBias) {
                    a0 = a0.add(ba);
                    b0 = b0.add(bb);
                    a1 = a1.add(ba);
                    b1 = b1.add(bb);
                    a2 = a2.add(ba);
                    b2 = b2.add(bb);
                    a3 = a3.add(ba);
                    b3 = b3.add(bb);
                }
                a0.intoArray(y, at);
                b0.intoArray(y, at + next);
                a1.intoArray(y, at + ow);
                b1.intoArray(y, at + ow + next);
                a2.intoArray(y, at + 2 * ow);
                b2.intoArray(y, at + 2 * ow + next);
                a3.intoArray(y, at + 3 * ow);
                b3.intoArray(y, at + 3 * ow + next);
            }
        }
        for (; oy < oh; oy += 1) {
            for (int e = 0; e < ow; e += L) {
                int col = Math.min(e, last), q = oy * p + col, at = yo + oy * ow + col;
                FloatVector x;
                x = FloatVector.fromArray(S, xp, q);
                FloatVector a0 = w0.fma(x, FloatVector.zero(S)), b0 = v0.fma(x, FloatVector.zero(S));
                x = FloatVector.fromArray(S, xp, q + 1);
                a0 = w1.fma(x, a0);
                b0 = v1.fma(x, b0);
                x = FloatVector.fromArray(S, xp, q + 2);
                a0 = w2.fma(x, a0);
                b0 = v2.fma(x, b0);
                x = FloatVector.fromArray(S, xp, q + p);
                a0 = w3.fma(x, a0);
                b0 = v3.fma(x, b0);
                x = FloatVector.fromArray(S, xp, q + p + 1);
                a0 = w4.fma(x, a0);
                b0 = v4.fma(x, b0);
                x = FloatVector.fromArray(S, xp, q + p + 2);
                a0 = w5.fma(x, a0);
                b0 = v5.fma(x, b0);
                x = FloatVector.fromArray(S, xp, q + 2 * p);
                a0 = w6.fma(x, a0);
                b0 = v6.fma(x, b0);
                x = FloatVector.fromArray(S, xp, q + 2 * p + 1);
                a0 = w7.fma(x, a0);
                b0 = v7.fma(x, b0);
                x = FloatVector.fromArray(S, xp, q + 2 * p + 2);
                a0 = w8.fma(x, a0);
                b0 = v8.fma(x, b0);
                if (withBias) {
                    a0 = a0.add(ba);
                    b0 = b0.add(bb);
                }
                a0.intoArray(y, at);
                b0.intoArray(y, at + next);
            }
        }
    }


    /**
     * The weight gradient of chunk {@code chunk} of {@code chunks} (images [n*chunk/chunks, n*(chunk+1)/chunks)),
     * written (not added) to {@code dwChunk} at {@code dwOff} as (o,1,3,3).
     */
    // dy (n,o,oh,ow), x (n,1,h,w) -> dwChunk (o,1,3,3)
    static void weightGradientChunk(float[] dy, float[] x, ConvShape s, int chunk, int chunks,
                                    float[] dwChunk, int dwOff) {
        int n = s.n(), first = (int) ((long) n * chunk / chunks), last = (int) ((long) n * (chunk + 1) / chunks);
        int images = last - first, padded = paddedSize(s);
        float[] xp = PADDED.floats(images * padded);
        for (int i = 0; i < images; i++) {
            padInto(x, first + i, s, xp, i * padded);
        }
        float[] work = WORK.floats(2 * 9 * L);
        for (int o = 0; o < s.o(); o += PAIRED ? 2 : 1) {
            int channels = PAIRED && o + 1 < s.o() ? 2 : 1;
            weightGradient3x3(dy, xp, s, first, images, o, channels, padded, work, dwChunk, dwOff + o * 9);
        }
    }

    private static void padInto(float[] x, int i, ConvShape s, float[] xp, int off) {
        int p = pitch(s), h = s.h(), w = s.w(), pad = s.pad();
        java.util.Arrays.fill(xp, off, off + paddedSize(s), 0f);
        for (int y = 0; y < h; y++) {
            System.arraycopy(x, (i * h + y) * w, xp, off + (y + pad) * p + pad, w);
        }
    }

    /**
     * The nine sums of one output channel (or two) over a chunk, one vector accumulator per tap: lane l of tap t
     * sums, in image, row and vector order, the products of the pixels whose column is l modulo L (a row's last,
     * partial vector loads dy under a mask, so its missing lanes add zeros). Then one lane-order reduction per tap.
     */
    private static void weightGradient3x3(float[] dy, float[] xp, ConvShape s, int first, int images, int o,
                                          int channels, int padded, float[] work, float[] dw, int dwOff) {
        int p = pitch(s), oh = s.oh(), ow = s.ow(), planeOut = oh * ow, block = 9 * L;
        java.util.Arrays.fill(work, 0, channels * block, 0f);
        for (int i = 0; i < images; i++) {
            int d = ((first + i) * s.o() + o) * planeOut, x0 = i * padded;
            if (channels == 2) {
                accumulate3x3Pair(dy, d, d + planeOut, xp, x0, p, oh, ow, work, block);
            } else {
                accumulate3x3(dy, d, xp, x0, p, oh, ow, work);
            }
        }
        for (int c = 0; c < channels; c++) {
            for (int t = 0; t < 9; t++) {
                int at = c * block + t * L;
                float sum = work[at];
                for (int l = 1; l < L; l++) {
                    sum += work[at + l];
                }
                dw[dwOff + 9 * c + t] = sum;
            }
        }
    }

    /**
     * One image's share, row by row: per vector of dy one load of it and nine shifted loads of the padded x (the
     * taps, at offsets of the same row pitch) feed nine independent FMAs, straight from dy as the layer holds it
     * (copying dy into the padded pitch first cost 40% of this kernel: a System.arraycopy per 28-float row). The
     * accumulators live in {@code acc} (9 x L floats) between images and in registers inside this method: vectors
     * carried across the outer image loop were boxed by JDK 17's C2 (12 ms instead of 0.4).
     */
    private static void accumulate3x3(float[] dy, int d, float[] xp, int x0, int p, int oh, int ow, float[] acc) {
        FloatVector a00 = FloatVector.fromArray(S, acc, 0 * L), a01 = FloatVector.fromArray(S, acc, 1 * L),
                a02 = FloatVector.fromArray(S, acc, 2 * L), a10 = FloatVector.fromArray(S, acc, 3 * L),
                a11 = FloatVector.fromArray(S, acc, 4 * L), a12 = FloatVector.fromArray(S, acc, 5 * L),
                a20 = FloatVector.fromArray(S, acc, 6 * L), a21 = FloatVector.fromArray(S, acc, 7 * L),
                a22 = FloatVector.fromArray(S, acc, 8 * L);
        int whole = ow / L * L;
        VectorMask<Float> tail = S.indexInRange(whole, ow);
        for (int oy = 0; oy < oh; oy++, d += ow) {
            int xr0 = x0 + oy * p, xr1 = xr0 + p, xr2 = xr1 + p;
            for (int col = 0; col < whole; col += L) {
                FloatVector g = FloatVector.fromArray(S, dy, d + col);
                FloatVector x00 = FloatVector.fromArray(S, xp, xr0 + col);
                a00 = g.fma(x00, a00);
                FloatVector x01 = FloatVector.fromArray(S, xp, xr0 + col + 1);
                a01 = g.fma(x01, a01);
                FloatVector x02 = FloatVector.fromArray(S, xp, xr0 + col + 2);
                a02 = g.fma(x02, a02);
                FloatVector x10 = FloatVector.fromArray(S, xp, xr1 + col);
                a10 = g.fma(x10, a10);
                FloatVector x11 = FloatVector.fromArray(S, xp, xr1 + col + 1);
                a11 = g.fma(x11, a11);
                FloatVector x12 = FloatVector.fromArray(S, xp, xr1 + col + 2);
                a12 = g.fma(x12, a12);
                FloatVector x20 = FloatVector.fromArray(S, xp, xr2 + col);
                a20 = g.fma(x20, a20);
                FloatVector x21 = FloatVector.fromArray(S, xp, xr2 + col + 1);
                a21 = g.fma(x21, a21);
                FloatVector x22 = FloatVector.fromArray(S, xp, xr2 + col + 2);
                a22 = g.fma(x22, a22);
            }
            if (whole < ow) {
                int col = whole;
                FloatVector g = FloatVector.fromArray(S, dy, d + col, tail);
                FloatVector x00 = FloatVector.fromArray(S, xp, xr0 + col);
                a00 = g.fma(x00, a00);
                FloatVector x01 = FloatVector.fromArray(S, xp, xr0 + col + 1);
                a01 = g.fma(x01, a01);
                FloatVector x02 = FloatVector.fromArray(S, xp, xr0 + col + 2);
                a02 = g.fma(x02, a02);
                FloatVector x10 = FloatVector.fromArray(S, xp, xr1 + col);
                a10 = g.fma(x10, a10);
                FloatVector x11 = FloatVector.fromArray(S, xp, xr1 + col + 1);
                a11 = g.fma(x11, a11);
                FloatVector x12 = FloatVector.fromArray(S, xp, xr1 + col + 2);
                a12 = g.fma(x12, a12);
                FloatVector x20 = FloatVector.fromArray(S, xp, xr2 + col);
                a20 = g.fma(x20, a20);
                FloatVector x21 = FloatVector.fromArray(S, xp, xr2 + col + 1);
                a21 = g.fma(x21, a21);
                FloatVector x22 = FloatVector.fromArray(S, xp, xr2 + col + 2);
                a22 = g.fma(x22, a22);
            }
        }
        a00.intoArray(acc, 0 * L);
        a01.intoArray(acc, 1 * L);
        a02.intoArray(acc, 2 * L);
        a10.intoArray(acc, 3 * L);
        a11.intoArray(acc, 4 * L);
        a12.intoArray(acc, 5 * L);
        a20.intoArray(acc, 6 * L);
        a21.intoArray(acc, 7 * L);
        a22.intoArray(acc, 8 * L);
    }

    /**
     * {@link #accumulate3x3} for two output channels at once (dy at {@code d} and {@code e}, accumulators at 0 and
     * {@code second} in {@code acc}): 18 accumulators, with AVX-512's 32 registers, so that each shifted load of x
     * feeds two FMAs (11 loads per 18 FMAs instead of 10 per 9). Each accumulator sums as in
     * {@code accumulate3x3}.
     */
    private static void accumulate3x3Pair(float[] dy, int d, int e, float[] xp, int x0, int p, int oh, int ow,
                                          float[] acc, int second) {
        FloatVector a00 = FloatVector.fromArray(S, acc, 0 * L), a01 = FloatVector.fromArray(S, acc, 1 * L),
                a02 = FloatVector.fromArray(S, acc, 2 * L), a10 = FloatVector.fromArray(S, acc, 3 * L),
                a11 = FloatVector.fromArray(S, acc, 4 * L), a12 = FloatVector.fromArray(S, acc, 5 * L),
                a20 = FloatVector.fromArray(S, acc, 6 * L), a21 = FloatVector.fromArray(S, acc, 7 * L),
                a22 = FloatVector.fromArray(S, acc, 8 * L);
        FloatVector b00 = FloatVector.fromArray(S, acc, second + 0 * L),
                b01 = FloatVector.fromArray(S, acc, second + 1 * L),
                b02 = FloatVector.fromArray(S, acc, second + 2 * L),
                b10 = FloatVector.fromArray(S, acc, second + 3 * L),
                b11 = FloatVector.fromArray(S, acc, second + 4 * L),
                b12 = FloatVector.fromArray(S, acc, second + 5 * L),
                b20 = FloatVector.fromArray(S, acc, second + 6 * L),
                b21 = FloatVector.fromArray(S, acc, second + 7 * L),
                b22 = FloatVector.fromArray(S, acc, second + 8 * L);
        int whole = ow / L * L;
        VectorMask<Float> tail = S.indexInRange(whole, ow);
        for (int oy = 0; oy < oh; oy++, d += ow, e += ow) {
            int xr0 = x0 + oy * p, xr1 = xr0 + p, xr2 = xr1 + p;
            for (int col = 0; col < whole; col += L) {
                FloatVector g = FloatVector.fromArray(S, dy, d + col);
                FloatVector h = FloatVector.fromArray(S, dy, e + col);
                FloatVector x00 = FloatVector.fromArray(S, xp, xr0 + col);
                a00 = g.fma(x00, a00);
                b00 = h.fma(x00, b00);
                FloatVector x01 = FloatVector.fromArray(S, xp, xr0 + col + 1);
                a01 = g.fma(x01, a01);
                b01 = h.fma(x01, b01);
                FloatVector x02 = FloatVector.fromArray(S, xp, xr0 + col + 2);
                a02 = g.fma(x02, a02);
                b02 = h.fma(x02, b02);
                FloatVector x10 = FloatVector.fromArray(S, xp, xr1 + col);
                a10 = g.fma(x10, a10);
                b10 = h.fma(x10, b10);
                FloatVector x11 = FloatVector.fromArray(S, xp, xr1 + col + 1);
                a11 = g.fma(x11, a11);
                b11 = h.fma(x11, b11);
                FloatVector x12 = FloatVector.fromArray(S, xp, xr1 + col + 2);
                a12 = g.fma(x12, a12);
                b12 = h.fma(x12, b12);
                FloatVector x20 = FloatVector.fromArray(S, xp, xr2 + col);
                a20 = g.fma(x20, a20);
                b20 = h.fma(x20, b20);
                FloatVector x21 = FloatVector.fromArray(S, xp, xr2 + col + 1);
                a21 = g.fma(x21, a21);
                b21 = h.fma(x21, b21);
                FloatVector x22 = FloatVector.fromArray(S, xp, xr2 + col + 2);
                a22 = g.fma(x22, a22);
                b22 = h.fma(x22, b22);
            }
            if (whole < ow) {
                int col = whole;
                FloatVector g = FloatVector.fromArray(S, dy, d + col, tail);
                FloatVector h = FloatVector.fromArray(S, dy, e + col, tail);
                FloatVector x00 = FloatVector.fromArray(S, xp, xr0 + col);
                a00 = g.fma(x00, a00);
                b00 = h.fma(x00, b00);
                FloatVector x01 = FloatVector.fromArray(S, xp, xr0 + col + 1);
                a01 = g.fma(x01, a01);
                b01 = h.fma(x01, b01);
                FloatVector x02 = FloatVector.fromArray(S, xp, xr0 + col + 2);
                a02 = g.fma(x02, a02);
                b02 = h.fma(x02, b02);
                FloatVector x10 = FloatVector.fromArray(S, xp, xr1 + col);
                a10 = g.fma(x10, a10);
                b10 = h.fma(x10, b10);
                FloatVector x11 = FloatVector.fromArray(S, xp, xr1 + col + 1);
                a11 = g.fma(x11, a11);
                b11 = h.fma(x11, b11);
                FloatVector x12 = FloatVector.fromArray(S, xp, xr1 + col + 2);
                a12 = g.fma(x12, a12);
                b12 = h.fma(x12, b12);
                FloatVector x20 = FloatVector.fromArray(S, xp, xr2 + col);
                a20 = g.fma(x20, a20);
                b20 = h.fma(x20, b20);
                FloatVector x21 = FloatVector.fromArray(S, xp, xr2 + col + 1);
                a21 = g.fma(x21, a21);
                b21 = h.fma(x21, b21);
                FloatVector x22 = FloatVector.fromArray(S, xp, xr2 + col + 2);
                a22 = g.fma(x22, a22);
                b22 = h.fma(x22, b22);
            }
        }
        a00.intoArray(acc, 0 * L);
        a01.intoArray(acc, 1 * L);
        a02.intoArray(acc, 2 * L);
        a10.intoArray(acc, 3 * L);
        a11.intoArray(acc, 4 * L);
        a12.intoArray(acc, 5 * L);
        a20.intoArray(acc, 6 * L);
        a21.intoArray(acc, 7 * L);
        a22.intoArray(acc, 8 * L);
        b00.intoArray(acc, second + 0 * L);
        b01.intoArray(acc, second + 1 * L);
        b02.intoArray(acc, second + 2 * L);
        b10.intoArray(acc, second + 3 * L);
        b11.intoArray(acc, second + 4 * L);
        b12.intoArray(acc, second + 5 * L);
        b20.intoArray(acc, second + 6 * L);
        b21.intoArray(acc, second + 7 * L);
        b22.intoArray(acc, second + 8 * L);
    }


}
