package jcnn.eval.report;

import java.util.Arrays;

/**
 * Drops the points of a polyline that a plot cannot show, with a bound on how far the drawn line moves.
 *
 * <p>Why: a ROC curve of 10,000 test images has up to 10,001 points, most of them less than a pixel apart. Drawing
 * them all is slow, and anti-aliased segments piled on each other make the line look thicker and blotchy. The rule:
 * walk the points in order and keep one only when it is more than {@code tolerance} away, in x or in y, from the
 * last kept point; the first and last points are always kept. Every dropped point lies within {@code tolerance} of
 * the kept point before it, so the drawn line stays within about {@code tolerance} of the true curve: with the
 * tolerance below a pixel the change is invisible. A monotone curve in the unit square (any ROC curve) keeps at
 * most about {@code 2 / tolerance} points.
 *
 * <p>Not a goal: the fewest possible points (Ramer–Douglas–Peucker would find fewer, at more code and O(n^2)
 * worst-case time).
 */
final class CurveThinning {

    private CurveThinning() {
    }

    /** x, y (n) -> {x', y'} (m &lt;= n), a subsequence of the points; NaN points are dropped. */
    static double[][] thin(double[] x, double[] y, double tolerance) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("x has " + x.length + " points, y has " + y.length);
        }
        if (!(tolerance >= 0)) {
            throw new IllegalArgumentException("tolerance must be >= 0, got " + tolerance);
        }
        int n = x.length;
        double[] keptX = new double[n];
        double[] keptY = new double[n];
        int m = 0;
        int last = -1;   // index of the last finite point seen, kept or not
        for (int i = 0; i < n; i++) {
            if (Double.isNaN(x[i]) || Double.isNaN(y[i])) {
                continue;
            }
            last = i;
            boolean far = m == 0
                    || Math.abs(x[i] - keptX[m - 1]) > tolerance
                    || Math.abs(y[i] - keptY[m - 1]) > tolerance;
            if (far) {
                keptX[m] = x[i];
                keptY[m] = y[i];
                m++;
            }
        }
        // The end point matters (a ROC curve must reach (1, 1)), even when it is close to the last kept one.
        if (last >= 0 && (keptX[m - 1] != x[last] || keptY[m - 1] != y[last])) {
            keptX[m] = x[last];
            keptY[m] = y[last];
            m++;
        }
        return new double[][] {Arrays.copyOf(keptX, m), Arrays.copyOf(keptY, m)};
    }
}
