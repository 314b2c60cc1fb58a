package jcnn.kernels;

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
 * data; this has no branches. Fused with the ReLU, the rectified activation is never written or read back, and
 * the backward is one pass over the input plane: lanes over input columns, each gathering the dy and argmax of
 * its window and adding dy where it is the maximum and x &gt; 0, or 0 (as the unfused pair does, bit for bit).
 *
 * <p>Non-goals: a vector scatter (AVX2 has none), so the unfused backward stays a scalar scatter-add
 * ({@link #maxPoolBackward}); overlapping or gapped windows in the fused backward (the reference loop does them).
 */
final class VectorPool {

    private static final VectorSpecies<Float> S = VectorWidth.FLOAT;
    private static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, S.vectorShape());
    private static final int L = S.length();
    /** Lane l takes element l / 2: two input columns per 2x2 window. */
    private static final VectorShuffle<Float> SPREAD_2 = VectorShuffle.fromOp(S, l -> l / 2);
    private static final VectorShuffle<Integer> SPREAD_2_INTS = VectorShuffle.fromOp(I, l -> l / 2);

    /** The window starts of one plane, made once per call and shared by every plane. */
    private static final Scratch WINDOW_STARTS = new Scratch();
    /** The scalar reference, for the fused backward of windows that overlap or leave gaps. */
    private static final ScalarKernels REFERENCE = new ScalarKernels();

    private VectorPool() {
    }

    // x (n,c,h,w) -> y (n,c,oh,ow), argmax (n,c,oh,ow): SIMD over output positions, planes across threads
    static void maxPoolForward(float[] x, PoolShape s, float[] y, int[] argmax, int threads) {
        int[] starts = windowStarts(s, WINDOW_STARTS.ints(s.oh() * s.ow()));
        Parallel.forRange(poolThreads(s, threads), s.n() * s.c(),
                (from, to) -> maxPool(x, s, starts, y, argmax, from, to));
    }

    // x (n,c,h,w) -> y = maxPool(relu(x)), argmax
    static void reluMaxPoolForward(float[] x, PoolShape s, float[] y, int[] argmax, int threads) {
        int[] starts = windowStarts(s, WINDOW_STARTS.ints(s.oh() * s.ow()));
        Parallel.forRange(poolThreads(s, threads), s.n() * s.c(),
                (from, to) -> reluMaxPool(x, s, starts, y, argmax, from, to));
    }

    // dy (n,c,oh,ow), argmax, x (n,c,h,w) -> dx (n,c,h,w) +=
    static void reluMaxPoolBackward(float[] dy, int[] argmax, float[] x, PoolShape s, float[] dx, int threads) {
        if (!tiles(s)) {
            // Overlapping windows must sum their contributions before the ReLU mask: the reference does that.
            REFERENCE.reluMaxPoolBackward(dy, argmax, x, s, dx);
            return;
        }
        Parallel.forRange(poolThreads(s, threads), s.n() * s.c(),
                (from, to) -> reluMaxPoolBackward(dy, argmax, x, s, dx, from, to));
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

    /** Whether {@link #reluMaxPoolBackward} takes shape {@code s}: windows that tile the plane, k dividing L. */
    static boolean tiles(PoolShape s) {
        return s.stride() == s.k() && L % s.k() == 0;
    }

    /**
     * The fused backward for windows that tile the plane ({@link #tiles}), planes [from, to). Input element
     * (iy, ix) inside the tiled part gets, as the unfused pair gives it, dx += (0 + dy) if it is its window's
     * maximum and x &gt; 0, dx += 0 if it is not and x &gt; 0 (which turns a -0 in dx into +0, as there), nothing
     * otherwise. Lanes run over L input columns; their L / k windows' dy and argmax are one plain load each,
     * spread over the lanes by a fixed shuffle (lane l takes window l / k), and shared by the k input rows.
     */
    // dy (n,c,oh,ow), argmax, x (n,c,h,w) -> dx (n,c,h,w) +=
    static void reluMaxPoolBackward(float[] dy, int[] argmax, float[] x, PoolShape s, float[] dx, int from, int to) {
        int oh = s.oh(), ow = s.ow(), h = s.h(), w = s.w(), k = s.k();
        int outPlane = oh * ow, plane = h * w, rows = oh * k, cols = ow * k;
        VectorShuffle<Float> spread = k == 2 ? SPREAD_2 : VectorShuffle.fromOp(S, l -> l / k);
        VectorShuffle<Integer> spreadInts = k == 2 ? SPREAD_2_INTS : VectorShuffle.fromOp(I, l -> l / k);
        for (int nc = from; nc < to; nc++) {
            int base = nc * plane;
            for (int oy = 0; oy < oh; oy++) {
                int outRow = nc * outPlane + oy * ow;
                // A load of L windows from outRow + ix / k must stay inside the arrays; the last ones go scalar.
                int end = Math.min(S.loopBound(cols), (dy.length - L - outRow) * k + 1);
                int ix = backwardRowVector(dy, argmax, x, dx, k, w, cols, base, oy, outRow, end, spread, spreadInts);
                for (int i = 0; i < k; i++) {
                    int row = (oy * k + i) * w;
                    // The last windows of the row, one by one (ix is a multiple of k: no division per element).
                    for (int o = outRow + ix / k, t = ix; t < cols; o++) {
                        for (int j = 0; j < k; j++, t++) {
                            tailElement(dy, argmax, x, dx, o, base + row + t, row + t);
                        }
                    }
                    addZeroWherePositive(x, dx, base + row + cols, base + row + w);
                }
            }
            addZeroWherePositive(x, dx, base + rows * w, base + plane);
        }
    }

    /**
     * The vector part of one row of windows: its k input rows, columns [0, cols) when a vector fits in the row,
     * else [0, end); returns where it stopped. The row's last, partial block is done as a whole vector shifted
     * back to end at cols, adding only in its lanes past the previous block: a scalar tail (4 of 28 columns) had
     * cost more than all the vector work, and the shifted block stays bit-exact (each element is added once).
     */
    private static int backwardRowVector(float[] dy, int[] argmax, float[] x, float[] dx, int k, int w, int cols,
                                         int base, int oy, int outRow, int end, VectorShuffle<Float> spread,
                                         VectorShuffle<Integer> spreadInts) {
        FloatVector zero = FloatVector.zero(S);
        FloatVector iota = zero.addIndex(1);   // the plane offsets of L consecutive input columns, as floats
        VectorMask<Float> all = S.maskAll(true);
        int ix = 0;
        for (; ix < end; ix += L) {
            backwardBlock(dy, argmax, x, dx, k, w, base, oy, outRow, ix, all, zero, iota, spread, spreadInts);
        }
        int last = cols - L;   // a multiple of k, as cols and L are
        if (ix < cols && last >= 0 && outRow + last / k + L <= dy.length) {
            VectorMask<Float> fresh = iota.compare(VectorOperators.GE, (float) (ix - last));
            backwardBlock(dy, argmax, x, dx, k, w, base, oy, outRow, last, fresh, zero, iota, spread, spreadInts);
            ix = cols;
        }
        return ix;
    }

    /** Input columns [ix, ix + L) of the k input rows of window row oy, adding only in the lanes of {@code lanes}. */
    private static void backwardBlock(float[] dy, int[] argmax, float[] x, float[] dx, int k, int w, int base,
                                      int oy, int outRow, int ix, VectorMask<Float> lanes, FloatVector zero,
                                      FloatVector iota, VectorShuffle<Float> spread,
                                      VectorShuffle<Integer> spreadInts) {
        FloatVector d = zero.add(FloatVector.fromArray(S, dy, outRow + ix / k).rearrange(spread));
        FloatVector am = IntVector.fromArray(I, argmax, outRow + ix / k).rearrange(spreadInts)
                .convert(VectorOperators.I2F, 0).reinterpretAsFloats();
        for (int i = 0; i < k; i++) {
            int row = (oy * k + i) * w, at = base + row + ix;
            VectorMask<Float> hit = am.compare(VectorOperators.EQ, iota.add((float) (row + ix)));
            VectorMask<Float> add = FloatVector.fromArray(S, x, at).compare(VectorOperators.GT, zero).and(lanes);
            FloatVector.fromArray(S, dx, at).add(zero.blend(d, hit), add).intoArray(dx, at);
        }
    }

    /**
     * One element of the scalar tail: dx += (0 + dy) or 0 where x &gt; 0, as the reference. The choices are made
     * on the bits, as integer selects that C2 turns into conditional moves: on random data the branches of the
     * plain form mispredict half the time, and the 4 tail columns of a 28-wide row cost more than its 24 vector
     * columns.
     */
    private static void tailElement(float[] dy, int[] argmax, float[] x, float[] dx, int o, int at, int planeIndex) {
        int routed = Float.floatToRawIntBits(0f + dy[o]);
        routed = argmax[o] == planeIndex ? routed : 0;   // the bits of +0
        float old = dx[at];
        int sum = Float.floatToRawIntBits(old + Float.intBitsToFloat(routed));
        dx[at] = Float.intBitsToFloat(x[at] > 0f ? sum : Float.floatToRawIntBits(old));
    }

    /** Outside every window the ReLU's gradient is 0, and the unfused backward still adds that 0 where x &gt; 0. */
    private static void addZeroWherePositive(float[] x, float[] dx, int from, int to) {
        for (int i = from; i < to; i++) {
            if (x[i] > 0f) {
                dx[i] += 0f;
            }
        }
    }
}
