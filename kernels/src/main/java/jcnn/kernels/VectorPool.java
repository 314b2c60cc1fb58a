package jcnn.kernels;

import java.util.concurrent.atomic.AtomicReferenceArray;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Max pooling in SIMD, alone and fused with the ReLU before it, forward and backward; {@link VectorKernels}
 * delegates to the entry points at the top, which split the planes across threads (no output is shared, so the
 * results do not depend on the thread count).
 *
 * <p>Why it is fast: the lanes run over the output positions of a plane, whatever the shape. One gather per
 * window tap fetches that tap of L windows at once (the window starts of a plane are a table made once per call),
 * and the reference's sequential compare becomes a compare and a blend per tap, applied in the reference's order
 * (row-major within the window): a lane takes a later tap only when it is strictly greater, or a NaN over a
 * non-NaN, so ties and NaN give the reference's argmax exactly. The branchy scalar loop mispredicts on random
 * data; this has no branches. Fused with the ReLU, the rectified activation is never written or read back (the
 * ReLU needs no blend of its own: a tap beats a maximum that is &gt;= 0 only if it is positive).
 *
 * <p>Non-goals: a vector scatter (AVX2 has none): the scatter-add of dy to the maxima stays scalar, in both the
 * unfused ({@link #maxPoolBackward}) and the fused backward.
 */
final class VectorPool {

    private static final VectorSpecies<Float> S = VectorWidth.FLOAT;
    private static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, S.vectorShape());
    private static final int L = S.length();

    /** Even and odd lanes of two vectors: the left and right taps of L neighbouring 2x2 windows. */
    private static final VectorShuffle<Float> EVEN = VectorShuffle.iota(S, 0, 2, false);
    private static final VectorShuffle<Float> ODD = VectorShuffle.iota(S, 1, 2, false);
    /** 0, 2, 4, ...: the window starts of L neighbouring 2x2 windows of a row, relative to the first. */
    private static final FloatVector TWO_IOTA = FloatVector.zero(S).addIndex(2);

    /** The window starts of one plane, made once per call and shared by every plane. */
    private static final Scratch WINDOW_STARTS = new Scratch();
    /** The array's last input rows, copied into whole vectors, for narrow rows (see maxPool2x2). */
    private static final Scratch LAST_ROWS = new Scratch();
    /** A narrow row's argmax vector, when it is stored lane by lane. */
    private static final Scratch LAST_INDICES = new Scratch();
    /** Each thread's ReLU-output gradient of its planes, in the fused backward. */
    private static final Scratch RELU_GRADIENT = new Scratch();

    private VectorPool() {
    }

    // x (n,c,h,w) -> y (n,c,oh,ow), argmax (n,c,oh,ow): SIMD over output positions, planes across threads
    static void maxPoolForward(float[] x, PoolShape s, float[] y, int[] argmax, int threads) {
        int[] starts = windowStarts(s, WINDOW_STARTS.ints(s.oh() * s.ow()));
        Parallel.forRange(poolThreads(s, threads), s.n() * s.c(), (from, to) -> {
            if (isPairwise(s)) {
                maxPool2x2(x, s, y, argmax, from, to);
            } else {
                maxPool(x, s, starts, y, argmax, from, to);
            }
        });
    }

    // x (n,c,h,w) -> y = maxPool(relu(x)), argmax
    static void reluMaxPoolForward(float[] x, PoolShape s, float[] y, int[] argmax, int threads) {
        int[] starts = windowStarts(s, WINDOW_STARTS.ints(s.oh() * s.ow()));
        Parallel.forRange(poolThreads(s, threads), s.n() * s.c(), (from, to) -> {
            if (isPairwise(s)) {
                reluMaxPool2x2(x, s, y, argmax, from, to);
            } else {
                reluMaxPool(x, s, starts, y, argmax, from, to);
            }
        });
    }

    // dy (n,c,oh,ow), argmax, x (n,c,h,w) -> dx (n,c,h,w) +=
    static void reluMaxPoolBackward(float[] dy, int[] argmax, float[] x, PoolShape s, float[] dx, int threads) {
        // Each thread routes dy into a zeroed buffer of its planes, then adds it where x > 0: the unfused pair's
        // own arithmetic, so bit-identical for any window, stride and thread count.
        Parallel.forRange(poolThreads(s, threads), s.n() * s.c(), (from, to) -> {
            if (tilesExactly(s)) {
                reluMaxPoolBackward2x2(dy, argmax, x, s, dx, from, to);
            } else {
                reluMaxPoolBackward(dy, argmax, x, s, RELU_GRADIENT.floats((to - from) * s.h() * s.w()), dx,
                        from, to);
            }
        });
    }

    // dy (n,c,oh,ow), argmax, y (n,c,oh,ow) -> dx (n,c,h,w) =
    static void reluMaxPoolBackwardAssign(float[] dy, int[] argmax, float[] y, PoolShape s, float[] dx,
                                          int threads) {
        Parallel.forRange(poolThreads(s, threads), s.n() * s.c(), (from, to) -> {
            if (tilesExactly(s)) {
                reluMaxPoolBackwardAssign2x2(dy, argmax, y, s, dx, from, to);
            } else {
                reluMaxPoolBackwardAssign(dy, argmax, y, s, dx, from, to);
            }
        });
    }

    // dy (n,c,oh,ow), argmax -> dx (n,c,h,w) +=
    static void maxPoolBackward(float[] dy, int[] argmax, PoolShape s, float[] dx, int threads) {
        int planes = s.n() * s.c(), outPlane = s.oh() * s.ow(), plane = s.h() * s.w();
        Parallel.forRange(poolThreads(s, threads), planes, (from, to) -> {
            for (int nc = from; nc < to; nc++) {
                for (int p = 0, out = nc * outPlane; p < outPlane; p++, out++) {
                    dx[nc * plane + argmax[out]] += dy[out];
                }
            }
        });
    }


    /** Below 64K inputs a hand-off to another thread costs more than the pooling. */
    private static int poolThreads(PoolShape s, int threads) {
        return (long) s.inputSize() < 1 << 16 ? 1 : threads;
    }

    /** starts[p] = the plane index of the first element of output p's window, for p in [0, oh*ow). */
    static int[] windowStarts(PoolShape s, int[] starts) {
        int p = 0;
        for (int oy = 0; oy < s.oh(); oy++) {
            for (int ox = 0; ox < s.ow(); ox++) {
                starts[p++] = oy * s.stride() * s.w() + ox * s.stride();
            }
        }
        return starts;
    }

    /**
     * 2x2 windows with stride 2 (the seed CNN's two poolings). There the four taps of L neighbouring windows are two
     * contiguous loads per input row, split into even and odd lanes by a two-vector rearrange: no gathers (AVX2
     * gathers a lane at a time), and the same compares and blends in the same order as the general path. A row's
     * last vector ends at the row's end, overlapping the one before it (the overlap is computed twice, to the same
     * values). An output row narrower than a vector (pool1's 14 and pool2's 7 at 512 bits) is one vector whose
     * loads read past the row and whose stores spill into the next rows, which are written after it; only a store
     * that would reach past these planes' outputs (into another thread's) goes through a copy of its lanes, and the
     * array's last rows are loaded from a zero-padded copy. Masked loads and stores there had cost more than all
     * the rest (JDK 25, AVX-512: a masked access that reaches past its array tests its mask outside compiled code):
     * pool1 1.75 -> 1.54 and pool2 1.63 -> 1.47 us per image (batch 16, one thread, AMD EPYC, 2026-12-02).
     */
    static boolean isPairwise(PoolShape s) {
        return s.k() == 2 && s.stride() == 2;
    }

    // x (n,c,h,w) planes [from, to) -> y, argmax: 2x2, stride 2
    static void maxPool2x2(float[] x, PoolShape s, float[] y, int[] argmax, int from, int to) {
        int w = s.w(), oh = s.oh(), ow = s.ow(), plane = s.h() * w, outPlane = oh * ow;
        boolean narrow = ow < L;
        float[] last = narrow ? LAST_ROWS.floats(w + 2 * L) : null;
        int[] lastIndices = narrow ? LAST_INDICES.ints(L) : null;
        int outEnd = to * outPlane;
        for (int nc = from; nc < to; nc++) {
            for (int oy = 0; oy < oh; oy++) {
                int row = nc * plane + 2 * oy * w, out = nc * outPlane + oy * ow;
                for (int ox = 0; ; ox = Math.min(ox + L, ow - L)) {
                    int at = row + 2 * ox;
                    float[] src = x;
                    if (narrow && at + w + 2 * L > x.length) {   // the array's last rows: from a copy
                        src = lastRows(x, at, last);
                        at = 0;
                    }
                    FloatVector a0 = FloatVector.fromArray(S, src, at);
                    FloatVector a1 = FloatVector.fromArray(S, src, at + L);
                    FloatVector b0 = FloatVector.fromArray(S, src, at + w);
                    FloatVector b1 = FloatVector.fromArray(S, src, at + w + L);
                    FloatVector start = TWO_IOTA.add((float) (2 * oy * w + 2 * ox));
                    FloatVector max = a0.rearrange(EVEN, a1), best = start;
                    FloatVector v = a0.rearrange(ODD, a1);
                    VectorMask<Float> win = v.compare(VectorOperators.GT, max)
                            .or(v.compare(VectorOperators.NE, v).andNot(max.compare(VectorOperators.NE, max)));
                    max = max.blend(v, win);
                    best = best.blend(start.add(1f), win);
                    v = b0.rearrange(EVEN, b1);
                    win = v.compare(VectorOperators.GT, max)
                            .or(v.compare(VectorOperators.NE, v).andNot(max.compare(VectorOperators.NE, max)));
                    max = max.blend(v, win);
                    best = best.blend(start.add((float) w), win);
                    v = b0.rearrange(ODD, b1);
                    win = v.compare(VectorOperators.GT, max)
                            .or(v.compare(VectorOperators.NE, v).andNot(max.compare(VectorOperators.NE, max)));
                    max = max.blend(v, win);
                    best = best.blend(start.add((float) (w + 1)), win);
                    IntVector index = best.convert(VectorOperators.F2I, 0).reinterpretAsInts();
                    if (narrow) {   // see isPairwise on narrow rows
                        if (out + L <= outEnd) {
                            max.intoArray(y, out);
                            index.intoArray(argmax, out);
                        } else {   // through a copy: a lane read by index is not compiled inline either
                            max.intoArray(last, 0);
                            index.intoArray(lastIndices, 0);
                            System.arraycopy(last, 0, y, out, ow);
                            System.arraycopy(lastIndices, 0, argmax, out, ow);
                        }
                        break;
                    }
                    max.intoArray(y, out + ox);
                    index.intoArray(argmax, out + ox);
                    if (ox == ow - L) {
                        break;
                    }
                }
            }
        }
    }

    /** x from {@code at} to its end, zero-padded to the length of {@code last}: whole vectors for narrow rows. */
    private static float[] lastRows(float[] x, int at, float[] last) {
        java.util.Arrays.fill(last, 0f);
        System.arraycopy(x, at, last, 0, x.length - at);
        return last;
    }

    // x (n,c,h,w) planes [from, to) -> y = maxPool(relu(x)), argmax: 2x2, stride 2
    static void reluMaxPool2x2(float[] x, PoolShape s, float[] y, int[] argmax, int from, int to) {
        int w = s.w(), oh = s.oh(), ow = s.ow(), plane = s.h() * w, outPlane = oh * ow;
        boolean narrow = ow < L;
        float[] last = narrow ? LAST_ROWS.floats(w + 2 * L) : null;
        int[] lastIndices = narrow ? LAST_INDICES.ints(L) : null;
        int outEnd = to * outPlane;
        FloatVector zero = FloatVector.zero(S);
        for (int nc = from; nc < to; nc++) {
            for (int oy = 0; oy < oh; oy++) {
                int row = nc * plane + 2 * oy * w, out = nc * outPlane + oy * ow;
                for (int ox = 0; ; ox = Math.min(ox + L, ow - L)) {
                    int at = row + 2 * ox;
                    float[] src = x;
                    if (narrow && at + w + 2 * L > x.length) {   // the array's last rows: from a copy
                        src = lastRows(x, at, last);
                        at = 0;
                    }
                    FloatVector a0 = FloatVector.fromArray(S, src, at);
                    FloatVector a1 = FloatVector.fromArray(S, src, at + L);
                    FloatVector b0 = FloatVector.fromArray(S, src, at + w);
                    FloatVector b1 = FloatVector.fromArray(S, src, at + w + L);
                    FloatVector start = TWO_IOTA.add((float) (2 * oy * w + 2 * ox));
                    FloatVector tap0 = a0.rearrange(EVEN, a1);
                    FloatVector max = zero.blend(tap0, tap0.compare(VectorOperators.GT, zero)), best = start;
                    FloatVector v = a0.rearrange(ODD, a1);
                    VectorMask<Float> win = v.compare(VectorOperators.GT, max);
                    max = max.blend(v, win);
                    best = best.blend(start.add(1f), win);
                    v = b0.rearrange(EVEN, b1);
                    win = v.compare(VectorOperators.GT, max);
                    max = max.blend(v, win);
                    best = best.blend(start.add((float) w), win);
                    v = b0.rearrange(ODD, b1);
                    win = v.compare(VectorOperators.GT, max);
                    max = max.blend(v, win);
                    best = best.blend(start.add((float) (w + 1)), win);
                    IntVector index = best.convert(VectorOperators.F2I, 0).reinterpretAsInts();
                    if (narrow) {   // see isPairwise on narrow rows
                        if (out + L <= outEnd) {
                            max.intoArray(y, out);
                            index.intoArray(argmax, out);
                        } else {   // through a copy: a lane read by index is not compiled inline either
                            max.intoArray(last, 0);
                            index.intoArray(lastIndices, 0);
                            System.arraycopy(last, 0, y, out, ow);
                            System.arraycopy(lastIndices, 0, argmax, out, ow);
                        }
                        break;
                    }
                    max.intoArray(y, out + ox);
                    index.intoArray(argmax, out + ox);
                    if (ox == ow - L) {
                        break;
                    }
                }
            }
        }
    }

    // x (n,c,h,w) planes [from, to) -> y, argmax
    static void maxPool(float[] x, PoolShape s, int[] starts, float[] y, int[] argmax, int from, int to) {
        int outPlane = s.oh() * s.ow(), plane = s.h() * s.w(), w = s.w(), k = s.k();
        int bound = S.loopBound(outPlane);
        for (int nc = from; nc < to; nc++) {
            int base = nc * plane, out = nc * outPlane;
            int p = 0;
            for (; p < bound; p += L) {
                FloatVector start = IntVector.fromArray(I, starts, p).convert(VectorOperators.I2F, 0).reinterpretAsFloats();
                FloatVector max = FloatVector.fromArray(S, x, base, starts, p);
                FloatVector best = start;   // plane indices as floats (exact below 2^24): blends need no mask cast
                for (int i = 0; i < k; i++) {
                    for (int j = i == 0 ? 1 : 0; j < k; j++) {   // tap (0,0) is the start: it never wins
                        int off = i * w + j;
                        FloatVector v = FloatVector.fromArray(S, x, base + off, starts, p);
                        // v > max, or v is NaN and max is not: the reference's rule, lane by lane
                        VectorMask<Float> win = v.compare(VectorOperators.GT, max)
                                .or(v.compare(VectorOperators.NE, v).andNot(max.compare(VectorOperators.NE, max)));
                        max = max.blend(v, win);
                        best = best.blend(start.add((float) off), win);
                    }
                }
                max.intoArray(y, out + p);
                best.convert(VectorOperators.F2I, 0).reinterpretAsInts().intoArray(argmax, out + p);
            }
            for (; p < outPlane; p++) {
                int best = starts[p];
                float max = x[base + best];
                for (int i = 0; i < k; i++) {
                    for (int j = 0; j < k; j++) {
                        int idx = starts[p] + i * w + j;
                        float v = x[base + idx];
                        if (v > max || (v != v && max == max)) {
                            max = v;
                            best = idx;
                        }
                    }
                }
                y[out + p] = max;
                argmax[out + p] = best;
            }
        }
    }

    // x (n,c,h,w) planes [from, to) -> y = maxPool(relu(x)), argmax
    static void reluMaxPool(float[] x, PoolShape s, int[] starts, float[] y, int[] argmax, int from, int to) {
        int outPlane = s.oh() * s.ow(), plane = s.h() * s.w(), w = s.w(), k = s.k();
        int bound = S.loopBound(outPlane);
        FloatVector zero = FloatVector.zero(S);
        for (int nc = from; nc < to; nc++) {
            int base = nc * plane, out = nc * outPlane;
            int p = 0;
            for (; p < bound; p += L) {
                FloatVector start = IntVector.fromArray(I, starts, p).convert(VectorOperators.I2F, 0).reinterpretAsFloats();
                FloatVector first = FloatVector.fromArray(S, x, base, starts, p);
                // relu as the reference's compare and blend (x > 0 ? x : 0): NaN and -0 become +0
                FloatVector max = zero.blend(first, first.compare(VectorOperators.GT, zero));
                FloatVector best = start;   // plane indices as floats (exact below 2^24): blends need no mask cast
                for (int i = 0; i < k; i++) {
                    for (int j = i == 0 ? 1 : 0; j < k; j++) {
                        int off = i * w + j;
                        FloatVector v = FloatVector.fromArray(S, x, base + off, starts, p);
                        // max >= 0 and holds no NaN, so v > max already says v > 0: no separate ReLU blend
                        VectorMask<Float> win = v.compare(VectorOperators.GT, max);
                        max = max.blend(v, win);
                        best = best.blend(start.add((float) off), win);
                    }
                }
                max.intoArray(y, out + p);
                best.convert(VectorOperators.F2I, 0).reinterpretAsInts().intoArray(argmax, out + p);
            }
            for (; p < outPlane; p++) {
                int best = starts[p];
                float first = x[base + best];
                float max = first > 0f ? first : 0f;
                for (int i = 0; i < k; i++) {
                    for (int j = 0; j < k; j++) {
                        int idx = starts[p] + i * w + j;
                        float v = x[base + idx];
                        if (v > max) {
                            max = v;
                            best = idx;
                        }
                    }
                }
                y[out + p] = max;
                argmax[out + p] = best;
            }
        }
    }

    /**
     * The fused backward of planes [from, to) for any window and stride, done as the unfused pair does it: the
     * ReLU output's gradient of these planes in {@code dRelu} (zeroed, then each dy added at its window's maximum,
     * in output order), then one vector pass dx += dRelu where x &gt; 0 (a masked add, so that dx is untouched where
     * x &lt;= 0). Bit-identical to the reference by construction. It beat a one-pass version with lanes over input
     * columns (each lane's dy and argmax spread from its window by a shuffle, a masked last block per row): pool1
     * 0.43 ms against 0.62, pool2 0.22 against 0.39 (AVX2, JDK 25), because the scatter is cheap and the dense
     * pass needs no shuffles.
     */
    // dy (n,c,oh,ow), argmax, x (n,c,h,w) -> dx (n,c,h,w) +=
    static void reluMaxPoolBackward(float[] dy, int[] argmax, float[] x, PoolShape s, float[] dRelu, float[] dx,
                                    int from, int to) {
        int outPlane = s.oh() * s.ow(), plane = s.h() * s.w(), len = (to - from) * plane, base = from * plane;
        java.util.Arrays.fill(dRelu, 0, len, 0f);
        for (int nc = from; nc < to; nc++) {
            int at = (nc - from) * plane;
            for (int o = nc * outPlane, end = o + outPlane; o < end; o++) {
                dRelu[at + argmax[o]] += dy[o];
            }
        }
        FloatVector zero = FloatVector.zero(S);
        int i = 0;
        for (int bound = S.loopBound(len); i < bound; i += L) {
            VectorMask<Float> positive = FloatVector.fromArray(S, x, base + i).compare(VectorOperators.GT, zero);
            FloatVector.fromArray(S, dx, base + i).add(FloatVector.fromArray(S, dRelu, i), positive)
                    .intoArray(dx, base + i);
        }
        for (; i < len; i++) {
            if (x[base + i] > 0f) {
                dx[base + i] += dRelu[i];
            }
        }
    }

    /**
     * 2x2 windows, stride 2, that cover the plane exactly (even h and w: each input is in one window), a row of
     * windows within a vector and its two input rows at least one (pool1's and pool2's at 512 bits, pool2's at
     * 256), and planes whose indices are exact in a float (the argmax is compared as one).
     */
    static boolean tilesExactly(PoolShape s) {
        return isPairwise(s) && s.h() % 2 == 0 && s.w() % 2 == 0 && s.ow() <= L && 2 * s.w() >= L
                && (long) s.h() * s.w() <= 1 << 24;
    }

    /** 0, 1, 2, ...: a vector's lanes as offsets in a row of the plane. */
    private static final FloatVector IOTA = FloatVector.zero(S).addIndex(1);

    /**
     * The fused backward of planes [from, to) when 2x2 windows tile the plane ({@link #tilesExactly}) and a row of
     * windows fits a vector, in one pass over dx with lanes over inputs. The unit is one row of windows: its two
     * input rows are 2w consecutive floats, covered by vectors at fixed offsets (the last one placed to end at
     * the unit's end, overlapping the one before it). Each vector takes its windows' dy and argmax from one load of
     * the row's by a shuffle fixed per offset, and where the argmax is this lane's input and x &gt; 0 adds dy. That
     * is the general path's arithmetic element by element: there the ReLU output's gradient is {@code +0 + dy} at
     * a window's maximum and {@code +0} elsewhere, added where x &gt; 0; here the same two values are (so that a -0
     * in dy or dx rounds as there). The last two vectors load dx before either stores, the overlapping one stores
     * first (its shared lanes unchanged, under the mask), so that no load waits on a store it half overlaps. Units
     * whose row load would reach past dy run the same arithmetic in scalar code. It replaces a zeroed buffer, a
     * scalar scatter of dy and a second pass over dx: per image, pool1 4.5 -> 3.0 us and pool2 2.0 -> 1.65 us
     * (batch 16, one thread, JDK 25, AMD EPYC with AVX-512, 2026-12-02). What is left is memory traffic: at the
     * training step's chunk of 16 images, pool1's x and dx are 800 KB each, more than the L2 holds with the rest.
     */
    // dy (n,c,oh,ow), argmax, x (n,c,h,w) -> dx (n,c,h,w) +=
    static void reluMaxPoolBackward2x2(float[] dy, int[] argmax, float[] x, PoolShape s, float[] dx, int from,
                                       int to) {
        int w = s.w(), oh = s.oh(), ow = s.ow(), plane = s.h() * w, outPlane = oh * ow, unit = 2 * w;
        int vectors = (unit + L - 1) / L, last = unit - L, overlap = vectors * L - unit;
        VectorShuffle<Float>[] spread = spreads(w);
        // The last vector's first lanes were added by the vector before it.
        VectorMask<Float> all = S.maskAll(true), fresh = S.indexInRange(-overlap, L - overlap);
        FloatVector zero = FloatVector.zero(S);
        int outEnd = Math.min(dy.length, argmax.length);
        for (int nc = from; nc < to; nc++) {
            for (int oy = 0; oy < oh; oy++) {
                int in = nc * plane + oy * unit, out = nc * outPlane + oy * ow, first = oy * unit;
                if (out + L > outEnd) {
                    for (int u = 0; u < unit; u++) {
                        if (x[in + u] > 0f) {
                            int window = out + (u % w) / 2;
                            dx[in + u] += argmax[window] == first + u ? 0f + dy[window] : 0f;
                        }
                    }
                    continue;
                }
                FloatVector g = FloatVector.fromArray(S, dy, out).add(0f);
                FloatVector at = IntVector.fromArray(I, argmax, out).convert(VectorOperators.I2F, 0)
                        .reinterpretAsFloats();
                int k = 0;
                for (; k < vectors - 2; k++) {
                    int c0 = k * L;
                    routed(g, at, spread[k], first + c0, x, dx, in + c0, all, zero).intoArray(dx, in + c0);
                }
                if (vectors == 1) {
                    routed(g, at, spread[0], first, x, dx, in, all, zero).intoArray(dx, in);
                } else {
                    int c0 = k * L;
                    FloatVector before = routed(g, at, spread[k], first + c0, x, dx, in + c0, all, zero);
                    FloatVector end = routed(g, at, spread[k + 1], first + last, x, dx, in + last, fresh, zero);
                    end.intoArray(dx, in + last);
                    before.intoArray(dx, in + c0);
                }
            }
        }
    }

    /**
     * {@link #reluMaxPoolBackward} into zeros, planes [from, to), any window: dx filled with +0, then each dy added
     * at its window's maximum in output order where that maximum is above zero (ScalarKernels' twin, per plane
     * range). The sums are the reference's: {@code (+0 + dy1) + dy2 ...} at a maximum, +0 elsewhere.
     */
    // dy (n,c,oh,ow), argmax, y (n,c,oh,ow) -> dx (n,c,h,w) =
    static void reluMaxPoolBackwardAssign(float[] dy, int[] argmax, float[] y, PoolShape s, float[] dx, int from,
                                          int to) {
        int outPlane = s.oh() * s.ow(), plane = s.h() * s.w();
        java.util.Arrays.fill(dx, from * plane, to * plane, 0f);
        for (int nc = from; nc < to; nc++) {
            for (int o = nc * outPlane, end = o + outPlane; o < end; o++) {
                if (y[o] > 0f) {
                    dx[nc * plane + argmax[o]] += dy[o];
                }
            }
        }
    }

    /** The shuffles of {@link #spreads}, by plane width, made once per width (a step asks for two, 28 and 14). */
    private static final AtomicReferenceArray<VectorShuffle<Float>[]> SPREADS = new AtomicReferenceArray<>(257);

    /**
     * For a 2x2-tiled plane {@code w} wide, one shuffle per vector of a two-row unit ({@code 2w} values, the last
     * vector ending at the unit's end): lane i of vector k takes the window of column {@code (c0 + i) % w},
     * {@code c0} the vector's first column. Made once per width and kept (they were 1.5 KB of garbage a step).
     */
    private static VectorShuffle<Float>[] spreads(int w) {
        VectorShuffle<Float>[] spread = w < SPREADS.length() ? SPREADS.get(w) : null;
        if (spread == null) {
            int unit = 2 * w, vectors = (unit + L - 1) / L, last = unit - L;
            @SuppressWarnings("unchecked")
            VectorShuffle<Float>[] made = new VectorShuffle[vectors];
            for (int k = 0; k < vectors; k++) {
                int c0 = Math.min(k * L, last);
                made[k] = VectorShuffle.fromOp(S, i -> ((c0 + i) % w) / 2);
            }
            spread = made;
            if (w < SPREADS.length()) {
                SPREADS.set(w, made);   // a race makes equal arrays twice, harmlessly
            }
        }
        return spread;
    }

    /**
     * The assigning twin of {@link #reluMaxPoolBackward2x2}, when 2x2 windows tile the plane: each lane of dx is
     * written once with {@code dy + 0} where it is its window's maximum and the window's pooled y is above zero,
     * +0 elsewhere, which is what the accumulating kernel adds into zeros ({@code +0 + (dy + 0)} is
     * {@code dy + 0}). A window whose y is not above zero gets the argmax -1, which no lane matches; so x is not
     * read and dx is neither filled nor read: of the accumulating kernel's passes over the planes (x, dx read, dx
     * written) one is left. The overlapping last vector of a unit computes the same lanes as the one before it,
     * so the stores may come in any order.
     */
    // dy (n,c,oh,ow), argmax, y (n,c,oh,ow) -> dx (n,c,h,w) =
    static void reluMaxPoolBackwardAssign2x2(float[] dy, int[] argmax, float[] y, PoolShape s, float[] dx,
                                             int from, int to) {
        int w = s.w(), oh = s.oh(), ow = s.ow(), plane = s.h() * w, outPlane = oh * ow, unit = 2 * w;
        int vectors = (unit + L - 1) / L, last = unit - L;
        VectorShuffle<Float>[] spread = spreads(w);
        FloatVector zero = FloatVector.zero(S), none = FloatVector.broadcast(S, -1f);
        int outEnd = Math.min(Math.min(dy.length, argmax.length), y.length);
        for (int nc = from; nc < to; nc++) {
            for (int oy = 0; oy < oh; oy++) {
                int in = nc * plane + oy * unit, out = nc * outPlane + oy * ow, first = oy * unit;
                if (out + L > outEnd) {
                    for (int u = 0; u < unit; u++) {
                        int window = out + (u % w) / 2;
                        dx[in + u] = argmax[window] == first + u && y[window] > 0f ? 0f + dy[window] : 0f;
                    }
                    continue;
                }
                FloatVector g = FloatVector.fromArray(S, dy, out).add(0f);
                VectorMask<Float> live = FloatVector.fromArray(S, y, out).compare(VectorOperators.GT, zero);
                FloatVector at = none.blend(IntVector.fromArray(I, argmax, out).convert(VectorOperators.I2F, 0)
                        .reinterpretAsFloats(), live);
                for (int k = 0; k < vectors; k++) {
                    int c0 = Math.min(k * L, last);
                    VectorMask<Float> max = at.rearrange(spread[k])
                            .compare(VectorOperators.EQ, IOTA.add((float) (first + c0)));
                    zero.blend(g.rearrange(spread[k]), max).intoArray(dx, in + c0);
                }
            }
        }
    }

    /**
     * dx's vector at {@code at}, plus the dy routed to it: {@code g} (dy + 0 of one row of windows) where the
     * spread argmax {@code argmax} is the lane's plane index ({@code index} + lane), added where x &gt; 0 and
     * {@code lanes}.
     */
    private static FloatVector routed(FloatVector g, FloatVector argmax, VectorShuffle<Float> spread, int index,
                                      float[] x, float[] dx, int at, VectorMask<Float> lanes, FloatVector zero) {
        VectorMask<Float> max = argmax.rearrange(spread).compare(VectorOperators.EQ, IOTA.add((float) index));
        VectorMask<Float> positive = FloatVector.fromArray(S, x, at).compare(VectorOperators.GT, zero).and(lanes);
        return FloatVector.fromArray(S, dx, at).add(zero.blend(g.rearrange(spread), max), positive);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Average pooling: the same lanes-over-outputs layout as max pooling, with a sum in the reference's tap order
    // (row-major within the window, starting from +0) and the reference's division, so the forward is
    // bit-identical to ScalarKernels.avgPoolForward for every shape.

    /** Duplicates of the low and high halves' lanes, 0 0 1 1 ... : one dy per 2x2 window, spread over its two columns. */
    private static final VectorShuffle<Float> DUP_LO = VectorShuffle.fromOp(S, i -> i / 2);
    private static final VectorShuffle<Float> DUP_HI = VectorShuffle.fromOp(S, i -> L / 2 + i / 2);

    // x (n,c,h,w) -> y (n,c,oh,ow): SIMD over output positions, planes across threads
    static void avgPoolForward(float[] x, PoolShape s, float[] y, int threads) {
        int[] starts = windowStarts(s, WINDOW_STARTS.ints(s.oh() * s.ow()));
        Parallel.forRange(poolThreads(s, threads), s.n() * s.c(), (from, to) -> {
            if (isPairwise(s) && s.ow() >= L) {   // avgPool2x2 has no masked path for rows under a vector
                avgPool2x2(x, s, y, from, to);
            } else {
                avgPool(x, s, starts, y, from, to);
            }
        });
    }

    // x planes [from, to) -> y: 2x2, stride 2, two contiguous loads per input row split into even and odd lanes
    static void avgPool2x2(float[] x, PoolShape s, float[] y, int from, int to) {
        int w = s.w(), oh = s.oh(), ow = s.ow(), plane = s.h() * w, outPlane = oh * ow;
        FloatVector zero = FloatVector.zero(S), four = FloatVector.broadcast(S, 4f);
        for (int nc = from; nc < to; nc++) {
            for (int oy = 0; oy < oh; oy++) {
                int row = nc * plane + 2 * oy * w, out = nc * outPlane + oy * ow;
                for (int ox = 0; ; ox = Math.min(ox + L, ow - L)) {
                    int at = row + 2 * ox;
                    FloatVector a0 = FloatVector.fromArray(S, x, at), a1 = FloatVector.fromArray(S, x, at + L);
                    FloatVector b0 = FloatVector.fromArray(S, x, at + w), b1 = FloatVector.fromArray(S, x, at + w + L);
                    FloatVector sum = zero.add(a0.rearrange(EVEN, a1)).add(a0.rearrange(ODD, a1))
                            .add(b0.rearrange(EVEN, b1)).add(b0.rearrange(ODD, b1));
                    sum.div(four).intoArray(y, out + ox);   // a row's last vector may overlap: same values
                    if (ox == ow - L) {
                        break;
                    }
                }
            }
        }
    }

    // x planes [from, to) -> y: any window and stride, one gather per tap
    static void avgPool(float[] x, PoolShape s, int[] starts, float[] y, int from, int to) {
        int k = s.k(), w = s.w(), plane = s.h() * w, outPlane = s.oh() * s.ow();
        FloatVector count = FloatVector.broadcast(S, (float) (k * k));
        for (int nc = from; nc < to; nc++) {
            int base = nc * plane, out = nc * outPlane;
            int p = 0;
            for (int bound = S.loopBound(outPlane); p < bound; p += L) {
                FloatVector sum = FloatVector.zero(S);
                for (int i = 0; i < k; i++) {
                    for (int j = 0; j < k; j++) {
                        sum = sum.add(FloatVector.fromArray(S, x, base + i * w + j, starts, p));
                    }
                }
                sum.div(count).intoArray(y, out + p);
            }
            for (; p < outPlane; p++) {
                float sum = 0f;
                for (int i = 0; i < k; i++) {
                    for (int j = 0; j < k; j++) {
                        sum += x[base + starts[p] + i * w + j];
                    }
                }
                y[out + p] = sum / (k * k);
            }
        }
    }

    // dy (n,c,oh,ow) -> dx (n,c,h,w) += dy / (k*k): planes across threads
    static void avgPoolBackward(float[] dy, PoolShape s, float[] dx, int threads) {
        Parallel.forRange(poolThreads(s, threads), s.n() * s.c(), (from, to) -> {
            if (s.k() == 2 && s.stride() == 2) {
                avgPoolBackward2x2(dy, s, dx, from, to);
            } else {
                avgPoolBackward(dy, s, dx, from, to);
            }
        });
    }

    // 2x2 windows, stride 2 (they do not overlap): L gradients, each duplicated into its window's two columns,
    // added to two contiguous vectors of each of the window's two rows; the rest of a row is the scalar loop.
    // The same g = dy / 4 and one add per element as the reference: bit-identical.
    static void avgPoolBackward2x2(float[] dy, PoolShape s, float[] dx, int from, int to) {
        int w = s.w(), oh = s.oh(), ow = s.ow(), plane = s.h() * w, outPlane = oh * ow;
        FloatVector four = FloatVector.broadcast(S, 4f);
        for (int nc = from; nc < to; nc++) {
            for (int oy = 0; oy < oh; oy++) {
                int row = nc * plane + 2 * oy * w, out = nc * outPlane + oy * ow;
                int ox = 0;
                for (; ox + L <= ow; ox += L) {
                    FloatVector g = FloatVector.fromArray(S, dy, out + ox).div(four);
                    FloatVector lo = g.rearrange(DUP_LO), hi = g.rearrange(DUP_HI);
                    for (int r = row + 2 * ox; r <= row + 2 * ox + w; r += w) {
                        FloatVector.fromArray(S, dx, r).add(lo).intoArray(dx, r);
                        FloatVector.fromArray(S, dx, r + L).add(hi).intoArray(dx, r + L);
                    }
                }
                for (; ox < ow; ox++) {
                    float g = dy[out + ox] / 4f;
                    int at = row + 2 * ox;
                    dx[at] += g;
                    dx[at + 1] += g;
                    dx[at + w] += g;
                    dx[at + w + 1] += g;
                }
            }
        }
    }

    // dy planes [from, to) -> dx +=: any window and stride (overlapping windows add in the reference's order)
    static void avgPoolBackward(float[] dy, PoolShape s, float[] dx, int from, int to) {
        int k = s.k(), w = s.w(), oh = s.oh(), ow = s.ow(), plane = s.h() * w, outPlane = oh * ow;
        float count = k * k;
        for (int nc = from; nc < to; nc++) {
            int base = nc * plane;
            for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++) {
                    float g = dy[nc * outPlane + oy * ow + ox] / count;
                    for (int i = 0; i < k; i++) {
                        for (int j = 0; j < k; j++) {
                            dx[base + (oy * s.stride() + i) * w + ox * s.stride() + j] += g;
                        }
                    }
                }
            }
        }
    }
}
