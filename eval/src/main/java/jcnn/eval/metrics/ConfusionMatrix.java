package jcnn.eval.metrics;

import java.util.Arrays;

/**
 * Counts of (true class, predicted class) pairs: row = true class, column = predicted class, as in
 * scikit-learn's {@code confusion_matrix}. Every count-based metric in this package (accuracy, the classification
 * report, per-class IoU) is a function of this matrix alone, so it is the natural thing to compute once, keep and
 * print.
 *
 * <p>Immutable; classes with no samples are kept as zero rows and columns, so the matrix is always
 * numClasses x numClasses whatever labels happen to occur.
 */
public final class ConfusionMatrix {

    private final int numClasses;
    private final long[] counts;   // (numClasses, numClasses) row-major: counts[t * numClasses + p]

    private ConfusionMatrix(int numClasses, long[] counts) {
        this.numClasses = numClasses;
        this.counts = counts;
    }

    /** Tallies the pairs (trueLabels[i], predicted[i]); every label must lie in [0, numClasses). */
    public static ConfusionMatrix of(int[] trueLabels, int[] predicted, int numClasses) {
        Checks.sameLength("trueLabels", trueLabels.length, "predicted", predicted.length);
        Checks.labels("trueLabels", trueLabels, numClasses);
        Checks.labels("predicted", predicted, numClasses);
        long[] counts = new long[numClasses * numClasses];
        for (int i = 0; i < trueLabels.length; i++) {
            counts[trueLabels[i] * numClasses + predicted[i]]++;
        }
        return new ConfusionMatrix(numClasses, counts);
    }

    /**
     * A matrix from its counts, rows = true class: for reports of a run whose predictions are gone but whose matrix
     * was kept. Counts must be non-negative and not all zero.
     */
    public static ConfusionMatrix fromCounts(long[][] counts) {
        int k = counts.length;
        Checks.numClasses(k);
        long[] flat = new long[k * k];
        long total = 0;
        for (int t = 0; t < k; t++) {
            if (counts[t].length != k) {
                throw new IllegalArgumentException("row " + t + " has " + counts[t].length + " counts, expected " + k);
            }
            for (int p = 0; p < k; p++) {
                if (counts[t][p] < 0) {
                    throw new IllegalArgumentException("count [" + t + ", " + p + "] is negative: " + counts[t][p]);
                }
                flat[t * k + p] = counts[t][p];
                total += counts[t][p];
            }
        }
        if (total == 0) {
            throw new IllegalArgumentException("all counts are zero: no metric is defined");
        }
        return new ConfusionMatrix(k, flat);
    }

    public int numClasses() {
        return numClasses;
    }

    /** How many samples of true class {@code trueClass} were predicted as {@code predictedClass}. */
    public long count(int trueClass, int predictedClass) {
        return counts[trueClass * numClasses + predictedClass];
    }

    /** The counts as a fresh (numClasses, numClasses) array, rows = true class. */
    public long[][] toArray() {
        long[][] out = new long[numClasses][];
        for (int t = 0; t < numClasses; t++) {
            out[t] = Arrays.copyOfRange(counts, t * numClasses, (t + 1) * numClasses);
        }
        return out;
    }

    /** Samples whose true class is c: the row sum, scikit-learn's "support". */
    public long support(int c) {
        long s = 0;
        for (int p = 0; p < numClasses; p++) {
            s += count(c, p);
        }
        return s;
    }

    /** Samples predicted as c: the column sum. */
    public long predictedCount(int c) {
        long s = 0;
        for (int t = 0; t < numClasses; t++) {
            s += count(t, c);
        }
        return s;
    }

    public long truePositives(int c) {
        return count(c, c);
    }

    public long total() {
        long s = 0;
        for (long n : counts) {
            s += n;
        }
        return s;
    }

    /** The trace: samples on the diagonal. */
    public long correct() {
        long s = 0;
        for (int c = 0; c < numClasses; c++) {
            s += count(c, c);
        }
        return s;
    }

    public double accuracy() {
        return (double) correct() / total();
    }

    /**
     * Per-class intersection over union of the sets "true class is c" and "predicted as c":
     * {@code tp / (row sum + column sum - tp)}, i.e. tp / (tp + fn + fp). NaN for a class that neither occurs nor
     * is predicted, where the union is empty.
     */
    public double[] iou() {
        double[] iou = new double[numClasses];
        for (int c = 0; c < numClasses; c++) {
            long tp = truePositives(c);
            long union = support(c) + predictedCount(c) - tp;
            iou[c] = union == 0 ? Double.NaN : (double) tp / union;
        }
        return iou;
    }

    /** The matrix as text with class indices as column headers and "index name" as row labels. */
    @Override
    public String toString() {
        return render(ClassNames.indices(numClasses));
    }

    /**
     * The matrix as text. Columns are headed by class index so that ten columns fit on a screen; each row is
     * labelled with its index and name, which doubles as the legend for the columns:
     * <pre>
     * true \ predicted     0    1    2
     * 0 cat                3    1    0
     * 1 dog                1    2    1
     * 2 bird               0    0    2
     * </pre>
     */
    public String render(String[] classNames) {
        if (classNames.length != numClasses) {
            throw new IllegalArgumentException(classNames.length + " class names for " + numClasses + " classes");
        }
        String corner = "true \\ predicted";
        String[] rowLabels = new String[numClasses];
        int labelWidth = corner.length();
        for (int t = 0; t < numClasses; t++) {
            // "3 Dress", but plain "3" when the names are the indices themselves
            rowLabels[t] = classNames[t].equals(Integer.toString(t)) ? classNames[t] : t + " " + classNames[t];
            labelWidth = Math.max(labelWidth, rowLabels[t].length());
        }
        long max = Arrays.stream(counts).max().orElse(0);
        int cell = Math.max(Long.toString(max).length(), Integer.toString(numClasses - 1).length()) + 2;

        StringBuilder sb = new StringBuilder();
        sb.append(padRight(corner, labelWidth));
        for (int p = 0; p < numClasses; p++) {
            sb.append(PythonFormat.right(Integer.toString(p), cell));
        }
        sb.append('\n');
        for (int t = 0; t < numClasses; t++) {
            sb.append(padRight(rowLabels[t], labelWidth));
            for (int p = 0; p < numClasses; p++) {
                sb.append(PythonFormat.right(Long.toString(count(t, p)), cell));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static String padRight(String s, int width) {
        return s + " ".repeat(Math.max(0, width - s.length()));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConfusionMatrix m && m.numClasses == numClasses && Arrays.equals(m.counts, counts);
    }

    @Override
    public int hashCode() {
        return 31 * numClasses + Arrays.hashCode(counts);
    }
}
