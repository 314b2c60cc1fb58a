package jcnn.kernels;

import java.util.Random;

/**
 * Array comparisons whose failure says where and by how much: the first bad index, expected, actual, and the
 * maximum absolute and relative errors over the whole array.
 *
 * <p>Tolerances come in the order of {@code jcnn.core.Compare} (and numpy's {@code allclose} formula): the
 * absolute {@code atol} first, then the relative {@code rtol}.
 */
final class Compare {

    private Compare() {
    }

    /** Exact equality, bit for bit (NaN equals NaN, -0 differs from +0). */
    static void assertSame(String what, float[] expected, float[] actual, int len) {
        for (int i = 0; i < len; i++) {
            if (Float.floatToIntBits(expected[i]) != Float.floatToIntBits(actual[i])) {
                throw new AssertionError(what + ": not identical at index " + i + ": expected " + expected[i]
                        + ", actual " + actual[i] + errors(expected, actual, len));
            }
        }
    }

    static void assertSame(String what, int[] expected, int[] actual, int len) {
        for (int i = 0; i < len; i++) {
            if (expected[i] != actual[i]) {
                throw new AssertionError(what + ": differs at index " + i + ": expected " + expected[i]
                        + ", actual " + actual[i]);
            }
        }
    }

    /** |expected - actual| <= atol + rtol * |expected| at every index. */
    static void assertClose(String what, float[] expected, float[] actual, int len, double atol, double rtol) {
        for (int i = 0; i < len; i++) {
            double e = expected[i], a = actual[i];
            boolean ok = Double.isNaN(e) ? Double.isNaN(a) : Math.abs(e - a) <= atol + rtol * Math.abs(e);
            if (!ok) {
                throw new AssertionError(what + ": at index " + i + ": expected " + expected[i] + ", actual "
                        + actual[i] + " (tolerance " + atol + " abs + " + rtol + " rel)"
                        + errors(expected, actual, len));
            }
        }
    }

    /** Per-element tolerance: |expected - actual| <= atol + rtol * bound[i], where bound is e.g. sum |a_p b_p|. */
    static void assertCloseTo(String what, float[] expected, float[] actual, float[] bound, int len,
                              double atol, double rtol) {
        for (int i = 0; i < len; i++) {
            double e = expected[i], a = actual[i];
            if (!(Math.abs(e - a) <= atol + rtol * bound[i])) {
                throw new AssertionError(what + ": at index " + i + ": expected " + expected[i] + ", actual "
                        + actual[i] + " (tolerance " + atol + " + " + rtol + " x " + bound[i] + ")"
                        + errors(expected, actual, len));
            }
        }
    }

    private static String errors(float[] expected, float[] actual, int len) {
        double maxAbs = 0, maxRel = 0;
        int at = -1;
        for (int i = 0; i < len; i++) {
            double d = Math.abs((double) expected[i] - actual[i]);
            if (d > maxAbs) {
                maxAbs = d;
                at = i;
            }
            if (expected[i] != 0) {
                maxRel = Math.max(maxRel, d / Math.abs(expected[i]));
            }
        }
        return "; max abs error " + maxAbs + " at index " + at + ", max rel error " + maxRel;
    }

    /** Uniform floats in [-1, 1). */
    static float[] random(Random r, int len) {
        float[] a = new float[len];
        for (int i = 0; i < len; i++) {
            a[i] = 2 * r.nextFloat() - 1;
        }
        return a;
    }
}
