package jcnn.eval.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * ROC curves and the area under them: binary, one-vs-rest per class, and the one-vs-one multi-class AUC of
 * Hand &amp; Till.
 *
 * <p>Goals: the same numbers as scikit-learn ({@code roc_curve}, {@code auc}, {@code roc_auc_score}) including its
 * handling of tied scores, on plain arrays, in O(n log n) per curve. Not a goal: drop_intermediate, partial AUC,
 * confidence intervals.
 *
 * <p>Which scores: multi-class inputs are (n, numClasses) row-major and a {@link ScoreType} says whether the curves
 * rank the raw logits (what the seed study did) or softmax probabilities (what scikit-learn requires for
 * multi-class AUC). Undefined AUCs (a class with no samples, or one that is everything) are NaN, and a NaN makes
 * its average NaN, as numpy's mean would: a missing class should be noticed, not averaged away.
 */
public final class RocAuc {

    /**
     * One ROC curve per class, class c positive against all others, and the unweighted mean of their AUCs
     * (scikit-learn's {@code roc_auc_score(multi_class="ovr", average="macro")}).
     */
    public record OneVsRest(List<RocCurve> curves, double[] auc, double macroAuc) {
    }

    /**
     * Hand &amp; Till's M: pairAuc[i][j] = pairAuc[j][i] = Â(i, j) for i != j (NaN on the diagonal and for pairs
     * with an absent class), and macroAuc = M, their mean over pairs.
     */
    public record OneVsOne(double[][] pairAuc, double macroAuc) {
    }

    private RocAuc() {
    }

    // ---------------------------------------------------------------------------------------------------------
    // Binary

    /**
     * The ROC curve of a binary problem, as scikit-learn's {@code roc_curve(positive, scores,
     * drop_intermediate=False)}: sort by decreasing score and emit a point after each run of equal scores.
     *
     * @param positive positive[i] = sample i belongs to the positive class
     * @param scores higher = more likely positive; no NaN
     */
    public static RocCurve curve(boolean[] positive, double[] scores) {
        Checks.sameLength("positive", positive.length, "scores", scores.length);
        int n = scores.length;
        for (int i = 0; i < n; i++) {
            if (Double.isNaN(scores[i])) {
                throw new IllegalArgumentException("scores[" + i + "] is NaN");
            }
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(scores[b], scores[a]));

        double[] tps = new double[n + 1];
        double[] fps = new double[n + 1];
        double[] thresholds = new double[n + 1];
        thresholds[0] = Double.POSITIVE_INFINITY;   // nothing is predicted positive: the (0, 0) point
        int points = 1;
        long tp = 0;
        long fp = 0;
        for (int r = 0; r < n; r++) {
            if (positive[order[r]]) {
                tp++;
            } else {
                fp++;
            }
            double s = scores[order[r]];
            // A point only where the next score differs: tied samples cross the threshold together.
            // (== rather than Double.compare, so that 0.0 and -0.0 count as one score, as in numpy.)
            if (r == n - 1 || scores[order[r + 1]] != s) {
                tps[points] = tp;
                fps[points] = fp;
                thresholds[points] = s;
                points++;
            }
        }
        double[] tpr = new double[points];
        double[] fpr = new double[points];
        for (int i = 0; i < points; i++) {
            // With no positives (negatives) the rate is undefined; scikit-learn warns and returns NaN.
            tpr[i] = tp == 0 ? Double.NaN : tps[i] / tp;
            fpr[i] = fp == 0 ? Double.NaN : fps[i] / fp;
        }
        return new RocCurve(fpr, tpr, Arrays.copyOf(thresholds, points), tp, fp);
    }

    /** The area under {@link #curve}: P(score of a random positive &gt; that of a random negative), ties 1/2. */
    public static double auc(boolean[] positive, double[] scores) {
        return curve(positive, scores).auc();
    }

    // ---------------------------------------------------------------------------------------------------------
    // Multi-class

    /** {@link #oneVsRest(int[], float[], int, ScoreType)} on logits, as the seed study computed it. */
    public static OneVsRest oneVsRest(int[] trueLabels, float[] scores, int numClasses) {
        return oneVsRest(trueLabels, scores, numClasses, ScoreType.LOGITS);
    }

    /**
     * For each class c, the ROC curve of "label == c" ranked by score column c, and the macro mean of the AUCs.
     *
     * @param scores (n, numClasses) row-major
     */
    public static OneVsRest oneVsRest(int[] trueLabels, float[] scores, int numClasses, ScoreType type) {
        Checks.labels("trueLabels", trueLabels, numClasses);
        Checks.scores(scores, trueLabels.length, numClasses);
        double[] s = type.toDouble(scores, numClasses);
        int n = trueLabels.length;
        List<RocCurve> curves = new ArrayList<>(numClasses);
        double[] auc = new double[numClasses];
        boolean[] positive = new boolean[n];
        double[] column = new double[n];
        for (int c = 0; c < numClasses; c++) {
            for (int i = 0; i < n; i++) {
                positive[i] = trueLabels[i] == c;
                column[i] = s[i * numClasses + c];
            }
            RocCurve curve = curve(positive, column);
            curves.add(curve);
            auc[c] = curve.auc();
        }
        return new OneVsRest(List.copyOf(curves), auc, PairwiseSum.mean(auc));
    }

    /**
     * The multi-class AUC of Hand &amp; Till (2001), "A simple generalisation of the area under the ROC curve for
     * multiple class classification problems", Machine Learning 45:171-186.
     *
     * <p>For each pair of classes i &lt; j, keep only the samples of classes i and j. A(i|j) is the AUC of
     * "label == i" ranked by score column i; A(j|i) that of "label == j" ranked by column j. The pair's separability
     * is Â(i, j) = (A(i|j) + A(j|i)) / 2, and M = 2 / (c (c - 1)) &Sigma;<sub>i&lt;j</sub> Â(i, j), averaged over
     * the pairs whose two classes both have samples (c = the number of such classes).
     *
     * <p>This is exactly scikit-learn's {@code roc_auc_score(y, p, multi_class="ovo", average="macro")}, which
     * requires p to be probabilities (rows summing to 1): pass {@link ScoreType#SOFTMAX} to reproduce it. Unlike
     * one-vs-rest, M does not depend on how often each class occurs. When all classes are equally frequent, M equals
     * the one-vs-rest macro AUC: a one-vs-rest AUC is then the mean of its class's A(i|j) over j.
     *
     * @param scores (n, numClasses) row-major
     */
    public static OneVsOne oneVsOne(int[] trueLabels, float[] scores, int numClasses, ScoreType type) {
        Checks.labels("trueLabels", trueLabels, numClasses);
        Checks.scores(scores, trueLabels.length, numClasses);
        double[] s = type.toDouble(scores, numClasses);
        int n = trueLabels.length;
        long[] classCounts = new long[numClasses];
        for (int label : trueLabels) {
            classCounts[label]++;
        }

        double[][] pairAuc = new double[numClasses][numClasses];
        for (double[] row : pairAuc) {
            Arrays.fill(row, Double.NaN);
        }
        double[] defined = new double[numClasses * (numClasses - 1) / 2];
        int pairs = 0;
        for (int i = 0; i < numClasses; i++) {
            for (int j = i + 1; j < numClasses; j++) {
                if (classCounts[i] == 0 || classCounts[j] == 0) {
                    continue;   // the pair does not occur: it is no part of M
                }
                int m = (int) (classCounts[i] + classCounts[j]);
                boolean[] isI = new boolean[m];
                double[] columnI = new double[m];
                double[] columnJ = new double[m];
                int k = 0;
                for (int r = 0; r < n; r++) {
                    if (trueLabels[r] == i || trueLabels[r] == j) {
                        isI[k] = trueLabels[r] == i;
                        columnI[k] = s[r * numClasses + i];
                        columnJ[k] = s[r * numClasses + j];
                        k++;
                    }
                }
                boolean[] isJ = new boolean[m];
                for (int r = 0; r < m; r++) {
                    isJ[r] = !isI[r];
                }
                double aIj = auc(isI, columnI);   // A(i|j)
                double aJi = auc(isJ, columnJ);   // A(j|i)
                double pair = (aIj + aJi) / 2;
                pairAuc[i][j] = pair;
                pairAuc[j][i] = pair;
                defined[pairs++] = pair;
            }
        }
        double macro = pairs == 0 ? Double.NaN : PairwiseSum.mean(Arrays.copyOf(defined, pairs));
        return new OneVsOne(pairAuc, macro);
    }
}
