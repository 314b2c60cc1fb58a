package jcnn.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Direct convolution of a one-channel input with stride 1 (the seed CNN's conv1: 1 -> 16 channels, 3x3, padding
 * 1), forward and weight gradient, without im2col; {@link VectorKernels} delegates to it and does the threading.
 *
 * <p>Why it is fast: with one input channel, im2col copies each image nine times to feed a GEMM whose depth is 9,
 * and the weight gradient is then 9 x 16 dot products per image, each ending in a horizontal lane sum. Here the
 * image is copied once, zero-padded, into a plane whose row pitch P = w + 2 pad is the same for the input and
 * for the output, so that every tap (i, j) is one fixed shift i*P + j of the flat index: lanes run over the flat
 * output index of the whole plane (the pad columns of each row are computed and dropped), with no per-row tail.
 * The forward keeps the arithmetic of the im2col path exactly (an FMA chain over the taps in row-major order from
 * zero, the padding's zeros included, then the bias), so its results are bit-identical to it. The weight gradient
 * keeps the nine sums of one output channel in vector registers over all pixels of all the images of a chunk
 * and reduces each in lane order once per chunk; the chunks, a fixed number that depends only on the batch, are
 * then added in order, so the result is the same for any thread count (it rounds differently from the dot
 * product path: other summation order).
 *
 * <p>Non-goals: several input channels (conv2 goes through im2col + GEMM), kernels other than 3x3, strides above
 * 1, the input gradient
 * (conv1's input is data: the im2col path serves a model that wants it).
 */
final class VectorDirectConv {

    private static final VectorSpecies<Float> S = VectorWidth.FLOAT;
    private static final int L = S.length();
    /** Chunks of the batch for the weight gradient: fixed, so that the summation order never depends on threads. */
    static final int MAX_CHUNKS = 16;
    /** Zero-padded input planes. */
    private static final Scratch PADDED = new Scratch();
    /** Output rows, or dy, in the padded planes' row pitch. */
    private static final Scratch PITCHED = new Scratch();
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

    /** Floats of one padded plane: its rows, one more for the last taps of the dropped columns, and a vector. */
    private static int paddedSize(ConvShape s) {
        return (s.h() + 2 * s.pad() + 1) * pitch(s) + L;
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
        int p = pitch(s), oh = s.oh(), ow = s.ow(), flat = oh * p;
        float[] xp = PADDED.floats(paddedSize(s));
        float[] row = PITCHED.floats(flat);
        for (int i = from; i < to; i++) {
            pad(x, i, s, xp);
            for (int o = 0; o < s.o(); o++) {
                forward3x3(xp, weight, o * 9, bias == null ? 0f : bias[o], bias != null, p, flat, row);
                int yo = (i * s.o() + o) * oh * ow;
                for (int oy = 0; oy < oh; oy++) {
                    System.arraycopy(row, oy * p, y, yo + oy * ow, ow);
                }
            }
        }
    }

    /**
     * One output channel of one image in the pitched layout: the nine weights broadcast once, then per vector of
     * outputs nine shifted loads and a chain of nine FMAs in the im2col path's order (tap by tap, from zero), then
     * the bias, as that path adds it. A method of its own, with every tap written out, so that C2 keeps the
     * weights and the accumulator in registers (a tap loop over kh x kw measured 6x slower).
     */
    private static void forward3x3(float[] xp, float[] weight, int wo, float b, boolean withBias, int p, int flat,
                                   float[] row) {
        FloatVector w0 = FloatVector.broadcast(S, weight[wo]), w1 = FloatVector.broadcast(S, weight[wo + 1]),
                w2 = FloatVector.broadcast(S, weight[wo + 2]), w3 = FloatVector.broadcast(S, weight[wo + 3]),
                w4 = FloatVector.broadcast(S, weight[wo + 4]), w5 = FloatVector.broadcast(S, weight[wo + 5]),
                w6 = FloatVector.broadcast(S, weight[wo + 6]), w7 = FloatVector.broadcast(S, weight[wo + 7]),
                w8 = FloatVector.broadcast(S, weight[wo + 8]);
        FloatVector bv = FloatVector.broadcast(S, b);
        int p2 = 2 * p, bound = S.loopBound(flat), q = 0;
        for (; q < bound; q += L) {
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
            acc.intoArray(row, q);
        }
        for (; q < flat; q++) {
            float acc = 0f;
            for (int t = 0; t < 9; t++) {
                acc = Math.fma(weight[wo + t], xp[q + (t / 3) * p + t % 3], acc);
            }
            row[q] = withBias ? acc + b : acc;
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
        int images = last - first, p = pitch(s), oh = s.oh(), ow = s.ow(), flat = oh * p, padded = paddedSize(s);
        // The chunk's images padded, and its dy laid out in the same pitch with zeros in the dropped columns, so
        // that a flat index q means the same output pixel in both.
        float[] xp = PADDED.floats(images * padded);
        float[] dyp = PITCHED.floats(images * s.o() * flat);
        for (int i = 0; i < images; i++) {
            padInto(x, first + i, s, xp, i * padded);
            for (int o = 0; o < s.o(); o++) {
                int dst = (i * s.o() + o) * flat, src = ((first + i) * s.o() + o) * oh * ow;
                for (int oy = 0; oy < oh; oy++) {
                    System.arraycopy(dy, src + oy * ow, dyp, dst + oy * p, ow);
                    java.util.Arrays.fill(dyp, dst + oy * p + ow, dst + (oy + 1) * p, 0f);
                }
            }
        }
        float[] work = new float[9 * L + 9];   // the nine accumulators between images, and the tails' sums
        for (int o = 0; o < s.o(); o++) {
            weightGradient3x3(dyp, xp, s, images, o, flat, padded, p, work, dwChunk, dwOff + o * 9);
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
     * The nine sums of one output channel over a chunk, one vector accumulator per tap: lane l of tap t sums, in
     * image and pixel order, the products of the pixels q = l (mod L). Then one lane-order reduction per tap, and
     * the scalar tails' sums (pixels past the last whole vector).
     */
    private static void weightGradient3x3(float[] dyp, float[] xp, ConvShape s, int images, int o, int flat,
                                          int padded, int p, float[] work, float[] dw, int dwOff) {
        int bound = S.loopBound(flat);
        java.util.Arrays.fill(work, 0, 9 * L + 9, 0f);
        for (int i = 0; i < images; i++) {
            int d = (i * s.o() + o) * flat, x0 = i * padded;
            accumulate3x3(dyp, d, xp, x0, p, bound, work);
            for (int q = bound; q < flat; q++) {
                float g = dyp[d + q];
                for (int t = 0; t < 9; t++) {
                    work[9 * L + t] = Math.fma(g, xp[x0 + (t / 3) * p + t % 3 + q], work[9 * L + t]);
                }
            }
        }
        for (int t = 0; t < 9; t++) {
            float sum = work[t * L];
            for (int l = 1; l < L; l++) {
                sum += work[t * L + l];
            }
            dw[dwOff + t] = sum + work[9 * L + t];
        }
    }

    /**
     * One image's share: per vector of pixels one load of dy and nine shifted loads of x feed nine independent
     * FMAs. The accumulators live in {@code acc} (9 x L floats) between images and in registers inside this one
     * counted loop: vectors carried across the outer image loop were boxed by JDK 17's C2 (12 ms instead of 0.4).
     */
    private static void accumulate3x3(float[] dyp, int d, float[] xp, int x0, int p, int bound, float[] acc) {
        FloatVector a00 = FloatVector.fromArray(S, acc, 0), a01 = FloatVector.fromArray(S, acc, L),
                a02 = FloatVector.fromArray(S, acc, 2 * L), a10 = FloatVector.fromArray(S, acc, 3 * L),
                a11 = FloatVector.fromArray(S, acc, 4 * L), a12 = FloatVector.fromArray(S, acc, 5 * L),
                a20 = FloatVector.fromArray(S, acc, 6 * L), a21 = FloatVector.fromArray(S, acc, 7 * L),
                a22 = FloatVector.fromArray(S, acc, 8 * L);
        int x1 = x0 + p, x2 = x0 + 2 * p;
        for (int q = 0; q < bound; q += L) {
            FloatVector g = FloatVector.fromArray(S, dyp, d + q);
            a00 = g.fma(FloatVector.fromArray(S, xp, x0 + q), a00);
            a01 = g.fma(FloatVector.fromArray(S, xp, x0 + q + 1), a01);
            a02 = g.fma(FloatVector.fromArray(S, xp, x0 + q + 2), a02);
            a10 = g.fma(FloatVector.fromArray(S, xp, x1 + q), a10);
            a11 = g.fma(FloatVector.fromArray(S, xp, x1 + q + 1), a11);
            a12 = g.fma(FloatVector.fromArray(S, xp, x1 + q + 2), a12);
            a20 = g.fma(FloatVector.fromArray(S, xp, x2 + q), a20);
            a21 = g.fma(FloatVector.fromArray(S, xp, x2 + q + 1), a21);
            a22 = g.fma(FloatVector.fromArray(S, xp, x2 + q + 2), a22);
        }
        a00.intoArray(acc, 0);
        a01.intoArray(acc, L);
        a02.intoArray(acc, 2 * L);
        a10.intoArray(acc, 3 * L);
        a11.intoArray(acc, 4 * L);
        a12.intoArray(acc, 5 * L);
        a20.intoArray(acc, 6 * L);
        a21.intoArray(acc, 7 * L);
        a22.intoArray(acc, 8 * L);
    }
}
