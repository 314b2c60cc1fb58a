package jcnn.eval.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import jcnn.eval.metrics.RocAuc;
import jcnn.eval.metrics.RocCurve;
import org.junit.jupiter.api.Test;

class CurveThinningTest {

    /** A ROC curve as big as the test set's: 10,000 samples with distinct scores give 10,001 points. */
    private static RocCurve bigCurve() {
        Random random = new Random(7);
        int n = 10_000;
        boolean[] positive = new boolean[n];
        double[] scores = new double[n];
        for (int i = 0; i < n; i++) {
            positive[i] = i % 10 == 0;
            scores[i] = random.nextGaussian() + (positive[i] ? 2 : 0);
        }
        return RocAuc.curve(positive, scores);
    }

    @Test
    void aTestSetCurveShrinksToAFewHundredPointsAndKeepsItsEnds() {
        RocCurve curve = bigCurve();
        double tolerance = 1.0 / 2500;
        double[][] thin = CurveThinning.thin(curve.fpr(), curve.tpr(), tolerance);
        int m = thin[0].length;
        assertEquals(10_001, curve.size());
        assertTrue(m < 2 / tolerance + 2, "a monotone curve keeps at most ~2/tolerance points, kept " + m);
        assertTrue(m < curve.size() / 2, "kept " + m + " of " + curve.size());
        assertEquals(0.0, thin[0][0]);
        assertEquals(0.0, thin[1][0]);
        assertEquals(1.0, thin[0][m - 1]);
        assertEquals(1.0, thin[1][m - 1]);
    }

    @Test
    void everyOriginalPointStaysWithinTheToleranceOfTheDrawnLine() {
        RocCurve curve = bigCurve();
        double tolerance = 1.0 / 2500;
        double[][] thin = CurveThinning.thin(curve.fpr(), curve.tpr(), tolerance);
        double worst = 0;
        int worstAt = -1;
        for (int i = 0; i < curve.size(); i++) {
            double d = distanceToPolyline(curve.fpr()[i], curve.tpr()[i], thin[0], thin[1]);
            if (d > worst) {
                worst = d;
                worstAt = i;
            }
        }
        // Chebyshev tolerance: a dropped point is within tolerance * sqrt(2) of a kept one.
        assertTrue(worst <= tolerance * Math.sqrt(2) + 1e-12,
                "point " + worstAt + " is " + worst + " from the thinned curve, tolerance " + tolerance);
    }

    @Test
    void toleranceZeroKeepsEveryDistinctPointAndDropsOnlyNaN() {
        double[] x = {0, 0.1, Double.NaN, 0.2, 0.2, 1};
        double[] y = {0, 0.5, 0.6, 0.7, 0.7, 1};
        double[][] thin = CurveThinning.thin(x, y, 0);
        assertArrayEquals(new double[] {0, 0.1, 0.2, 1}, thin[0]);
        assertArrayEquals(new double[] {0, 0.5, 0.7, 1}, thin[1]);
    }

    @Test
    void allNaNGivesAnEmptyCurve() {
        double[][] thin = CurveThinning.thin(new double[] {Double.NaN, Double.NaN}, new double[] {0, 1}, 0.01);
        assertEquals(0, thin[0].length);
    }

    private static double distanceToPolyline(double px, double py, double[] xs, double[] ys) {
        double best = Double.POSITIVE_INFINITY;
        for (int i = 0; i + 1 < xs.length; i++) {
            best = Math.min(best, distanceToSegment(px, py, xs[i], ys[i], xs[i + 1], ys[i + 1]));
        }
        return xs.length == 1 ? Math.hypot(px - xs[0], py - ys[0]) : best;
    }

    private static double distanceToSegment(double px, double py, double ax, double ay, double bx, double by) {
        double dx = bx - ax;
        double dy = by - ay;
        double len2 = dx * dx + dy * dy;
        double t = len2 == 0 ? 0 : Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / len2));
        return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
    }
}
