package jcnn.core;

import java.util.Arrays;
import java.util.Locale;

/**
 * Compares computed values with a trusted reference and, when they disagree, says where and by how much, in
 * the manner of llm.c's reference tests: the first few mismatches as {@code index expected actual}, then the
 * largest absolute and relative errors with their indices.
 *
 * <p>An element passes when {@code |actual - expected| <= atol + rtol * |expected|} (numpy's {@code allclose}).
 * The absolute floor {@code atol} is what lets values that are nearly zero through: their relative error is
 * dominated by the rounding of the large terms that cancelled to produce them. NaN passes only against NaN.
 *
 * <p>It lives in main rather than in test sources so that every module's tests (and {@link GradCheck}) report
 * failures the same way.
 */
public final class Compare {

    /** How many mismatching elements a report lists before it summarises. */
    public static final int SHOWN = 5;

    private Compare() {
    }

    /** The outcome of one comparison. {@link #message()} is the text to print when {@link #ok()} is false. */
    public record Result(String what, int count, int mismatches, double maxAbs, int maxAbsIndex,
                         double maxRel, int maxRelIndex, String message) {
        public boolean ok() {
            return mismatches == 0;
        }
    }

    /** Compares flat arrays; indices are printed as flat indices. */
    public static Result compare(String what, float[] expected, float[] actual, double atol, double rtol) {
        return compare(what, expected, actual, null, atol, rtol);
    }

    /** Compares two tensors of the same shape; indices are printed per dimension, e.g. {@code [1,0,3,2]}. */
    public static void assertClose(String what, Tensor expected, Tensor actual, double atol, double rtol) {
        if (!Arrays.equals(expected.shape(), actual.shape())) {
            throw new AssertionError(what + ": expected shape " + expected.shapeString() + " but got "
                    + actual.shapeString());
        }
        check(compare(what, expected.data(), actual.data(), expected.shape(), atol, rtol));
    }

    /** Throws an {@link AssertionError} carrying the report when the arrays are not close. */
    public static void assertClose(String what, float[] expected, float[] actual, double atol, double rtol) {
        check(compare(what, expected, actual, null, atol, rtol));
    }

    private static void check(Result r) {
        if (!r.ok()) {
            throw new AssertionError(r.message());
        }
    }

    private static Result compare(String what, float[] expected, float[] actual, int[] shape,
                                  double atol, double rtol) {
        if (expected.length != actual.length) {
            String m = what + ": expected " + expected.length + " values but got " + actual.length;
            return new Result(what, expected.length, Math.max(1, expected.length), Double.NaN, -1, Double.NaN, -1, m);
        }
        StringBuilder shown = new StringBuilder();
        int mismatches = 0, maxAbsIndex = -1, maxRelIndex = -1;
        double maxAbs = 0, maxRel = 0;
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i], a = actual[i];
            double abs = Math.abs(a - e);
            double rel = abs / Math.max(Math.abs(e), Double.MIN_NORMAL);
            boolean bothNaN = Double.isNaN(e) && Double.isNaN(a);
            boolean close = bothNaN || abs <= atol + rtol * Math.abs(e);   // false when exactly one is NaN
            if (!bothNaN && !(abs <= maxAbs)) {          // written so that a NaN difference becomes the maximum
                maxAbs = abs;
                maxAbsIndex = i;
            }
            if (!bothNaN && !(rel <= maxRel)) {
                maxRel = rel;
                maxRelIndex = i;
            }
            if (!close) {
                if (mismatches < SHOWN) {
                    shown.append(String.format(Locale.ROOT, "%n  %s expected %.9g actual %.9g (abs %.3g, rel %.3g)",
                            index(i, shape), e, a, abs, rel));
                }
                mismatches++;
            }
        }
        String message = String.format(Locale.ROOT,
                "%s: %d of %d values differ beyond atol %.3g + rtol %.3g * |expected|%s%n"
                        + "  max abs error %.3g at %s, max rel error %.3g at %s",
                what, mismatches, expected.length, atol, rtol, shown,
                maxAbs, index(maxAbsIndex, shape), maxRel, index(maxRelIndex, shape));
        return new Result(what, expected.length, mismatches, maxAbs, maxAbsIndex, maxRel, maxRelIndex, message);
    }

    /** A flat index as {@code [i]}, or per dimension as {@code [n,c,h,w]} when the shape is known. */
    static String index(int flat, int[] shape) {
        if (flat < 0) {
            return "-";
        }
        if (shape == null || shape.length == 0) {
            return "[" + flat + "]";
        }
        int[] idx = new int[shape.length];
        int rest = flat;
        for (int d = shape.length - 1; d >= 0; d--) {
            idx[d] = shape[d] == 0 ? 0 : rest % shape[d];
            rest = shape[d] == 0 ? 0 : rest / shape[d];
        }
        StringBuilder sb = new StringBuilder("[");
        for (int d = 0; d < idx.length; d++) {
            sb.append(d > 0 ? "," : "").append(idx[d]);
        }
        return sb.append(']').toString();
    }
}
