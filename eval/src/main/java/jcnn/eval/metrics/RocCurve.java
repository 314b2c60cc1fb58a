package jcnn.eval.metrics;

/**
 * A ROC curve as scikit-learn's {@code roc_curve(..., drop_intermediate=False)} returns it: one point per distinct
 * score, in order of decreasing threshold, starting at (0, 0) with threshold +infinity.
 *
 * <p>Point i says: predicting "positive" for every sample with score &gt;= thresholds[i] gives false-positive rate
 * fpr[i] and true-positive rate tpr[i]. Samples with equal scores cross the threshold together, so ties make a
 * diagonal step; the trapezoid under that step is what gives a tied positive-negative pair half a point in
 * {@link #auc()}.
 *
 * <p>The arrays are shared, not copied: treat them as read-only.
 *
 * @param fpr false-positive rates, non-decreasing from 0 to 1 (all NaN when there are no negatives)
 * @param tpr true-positive rates, non-decreasing from 0 to 1 (all NaN when there are no positives)
 * @param thresholds decreasing; thresholds[0] = +infinity
 * @param positives number of positive samples
 * @param negatives number of negative samples
 */
public record RocCurve(double[] fpr, double[] tpr, double[] thresholds, long positives, long negatives) {

    public RocCurve {
        if (fpr.length != tpr.length || fpr.length != thresholds.length) {
            throw new IllegalArgumentException("fpr, tpr and thresholds differ in length: "
                    + fpr.length + ", " + tpr.length + ", " + thresholds.length);
        }
    }

    /** Number of points, including the (0, 0) start. */
    public int size() {
        return fpr.length;
    }

    /**
     * The area under the curve by the trapezoid rule, as {@code sklearn.metrics.auc} ({@code np.trapz}) computes it.
     * This equals the Mann–Whitney statistic: the probability that a random positive scores above a random
     * negative, ties counting 1/2. NaN when there are no positives or no negatives.
     */
    public double auc() {
        if (positives == 0 || negatives == 0) {
            return Double.NaN;
        }
        double[] strips = new double[fpr.length - 1];
        for (int i = 0; i < strips.length; i++) {
            // np.trapz's expression and order of operations: dx * (y[i+1] + y[i]) / 2.0
            strips[i] = (fpr[i + 1] - fpr[i]) * (tpr[i + 1] + tpr[i]) / 2.0;
        }
        return PairwiseSum.sum(strips);
    }
}
