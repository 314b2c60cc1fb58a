package jcnn.eval.metrics;

import java.util.ArrayList;
import java.util.List;

/**
 * Precision, recall, F1 and support per class with their averages, printed character for character as
 * scikit-learn's {@code classification_report} prints them (scikit-learn 1.3 and later).
 *
 * <p>Goal: a report from this engine can be {@code diff}ed against the seed study's reports. That takes three
 * things beyond the arithmetic: the same layout (column width from the longest class name, see {@link #format}),
 * Python's rounding of the exact binary value ({@link PythonFormat}), and numpy's summation order for the averages
 * ({@link PairwiseSum}).
 *
 * <p>Definitions, with tp, "support" = row sum and "predicted" = column sum of the {@link ConfusionMatrix}:
 * <ul>
 *   <li>precision = tp / predicted, recall = tp / support,</li>
 *   <li>F1 = 2 tp / (support + predicted), the harmonic mean of the two written on counts (scikit-learn computes
 *       it this way since 1.3, which is also exact where precision or recall is undefined),</li>
 *   <li>macro avg = unweighted mean over classes; weighted avg = mean weighted by support,</li>
 *   <li>accuracy = trace / total: scikit-learn's micro-averaged F1, which equals accuracy when every label is a
 *       class of the report, as here.</li>
 * </ul>
 * A ratio with a zero denominator is "ill-defined"; like scikit-learn's default {@code zero_division="warn"} it is
 * set to 0.0 and a warning is recorded ({@link #warnings()}) instead of printed.
 *
 * <p>Not provided: the other {@code zero_division} settings, {@code output_dict}, multi-label reports.
 */
public final class ClassificationReport {

    /** One line of the report. Support is the number of samples of the class (or of all classes, for averages). */
    public record Row(double precision, double recall, double f1, long support) {
    }

    private static final String[] HEADERS = {"precision", "recall", "f1-score", "support"};
    private static final String LONGEST_LAST_LINE_HEADING = "weighted avg";

    private final ConfusionMatrix matrix;
    private final List<Row> perClass;
    private final Row macroAvg;
    private final Row weightedAvg;
    private final List<String> warnings;

    private ClassificationReport(ConfusionMatrix matrix) {
        this.matrix = matrix;
        int k = matrix.numClasses();
        List<String> warn = new ArrayList<>();
        double[] precision = new double[k];
        double[] recall = new double[k];
        double[] f1 = new double[k];
        double[] support = new double[k];   // double: it is the weight vector of the weighted average
        List<Row> rows = new ArrayList<>(k);
        for (int c = 0; c < k; c++) {
            long tp = matrix.truePositives(c);
            long sup = matrix.support(c);
            long pred = matrix.predictedCount(c);
            precision[c] = ratio(tp, pred, "precision", c, "no predicted samples", warn);
            recall[c] = ratio(tp, sup, "recall", c, "no true samples", warn);
            f1[c] = ratio(2 * tp, sup + pred, "f1-score", c, "neither true nor predicted samples", warn);
            support[c] = sup;
            rows.add(new Row(precision[c], recall[c], f1[c], sup));
        }
        long total = matrix.total();
        this.perClass = List.copyOf(rows);
        this.macroAvg = new Row(PairwiseSum.mean(precision), PairwiseSum.mean(recall), PairwiseSum.mean(f1), total);
        this.weightedAvg = new Row(weightedMean(precision, support), weightedMean(recall, support),
                weightedMean(f1, support), total);
        this.warnings = List.copyOf(warn);
    }

    public static ClassificationReport of(ConfusionMatrix matrix) {
        return new ClassificationReport(matrix);
    }

    public static ClassificationReport of(int[] trueLabels, int[] predicted, int numClasses) {
        return new ClassificationReport(ConfusionMatrix.of(trueLabels, predicted, numClasses));
    }

    public ConfusionMatrix matrix() {
        return matrix;
    }

    /** One row per class, indexed by label. */
    public List<Row> perClass() {
        return perClass;
    }

    public Row macroAvg() {
        return macroAvg;
    }

    public Row weightedAvg() {
        return weightedAvg;
    }

    public double accuracy() {
        // scikit-learn prints the micro F1 = 2*sum(tp) / (sum(support) + sum(predicted)) = 2c / 2n; doubling both
        // integers is exact, so this division gives the same double.
        return matrix.accuracy();
    }

    /** The ill-defined ratios that were set to 0.0, one sentence each; empty when every ratio was defined. */
    public List<String> warnings() {
        return warnings;
    }

    /** The report with class indices as names and 2 digits: what the seed study printed. */
    @Override
    public String toString() {
        return format(ClassNames.indices(matrix.numClasses()), 2);
    }

    /**
     * The report as scikit-learn formats it. The layout, from {@code sklearn/metrics/_classification.py}:
     * <pre>
     * width     = max(longest class name, len("weighted avg"), digits)
     * header    = "{:>width} " + " {:>9}" x 4            over "precision recall f1-score support", then a blank line
     * class row = "{:>width} " + " {:>9.digits f}" x 3 + " {:>9}"
     * blank line, then "accuracy" with the two first number columns left empty, "macro avg", "weighted avg"
     * </pre>
     * Every line ends in "\n", the last one included.
     *
     * @param targetNames one name per class, by label
     * @param digits decimals of the ratios
     */
    public String format(String[] targetNames, int digits) {
        int k = matrix.numClasses();
        if (targetNames.length != k) {
            throw new IllegalArgumentException(targetNames.length + " target names for " + k + " classes");
        }
        if (digits < 0) {
            throw new IllegalArgumentException("digits must be >= 0, got " + digits);
        }
        int width = LONGEST_LAST_LINE_HEADING.length();
        for (String name : targetNames) {
            width = Math.max(width, name.length());
        }
        width = Math.max(width, digits);

        StringBuilder sb = new StringBuilder();
        sb.append(PythonFormat.right("", width)).append(' ');
        for (String h : HEADERS) {
            sb.append(' ').append(PythonFormat.right(h, 9));
        }
        sb.append("\n\n");
        for (int c = 0; c < k; c++) {
            appendRow(sb, targetNames[c], perClass.get(c), width, digits);
        }
        sb.append('\n');
        // Python's "{:>9.2}" applied to "" gives nine spaces: the accuracy line has empty precision/recall cells.
        sb.append(PythonFormat.right("accuracy", width)).append(' ')
                .append(' ').append(PythonFormat.right("", 9))
                .append(' ').append(PythonFormat.right("", 9))
                .append(' ').append(PythonFormat.right(PythonFormat.fixed(accuracy(), digits), 9))
                .append(' ').append(PythonFormat.right(Long.toString(matrix.total()), 9))
                .append('\n');
        appendRow(sb, "macro avg", macroAvg, width, digits);
        appendRow(sb, "weighted avg", weightedAvg, width, digits);
        return sb.toString();
    }

    private static void appendRow(StringBuilder sb, String name, Row row, int width, int digits) {
        sb.append(PythonFormat.right(name, width)).append(' ');
        for (double v : new double[] {row.precision(), row.recall(), row.f1()}) {
            sb.append(' ').append(PythonFormat.right(PythonFormat.fixed(v, digits), 9));
        }
        sb.append(' ').append(PythonFormat.right(Long.toString(row.support()), 9)).append('\n');
    }

    /** numerator / denominator, or 0.0 with a warning when the denominator is zero (zero_division="warn"). */
    private static double ratio(long numerator, long denominator, String metric, int c, String why,
                                List<String> warnings) {
        if (denominator == 0) {
            warnings.add(metric + " of class " + c + " is ill-defined (" + why + ") and set to 0.0");
            return 0.0;
        }
        return (double) numerator / denominator;
    }

    /** {@code np.average(values, weights=weights)}: sum(values * weights) / sum(weights), both numpy-summed. */
    private static double weightedMean(double[] values, double[] weights) {
        double[] products = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            products[i] = values[i] * weights[i];
        }
        return PairwiseSum.sum(products) / PairwiseSum.sum(weights);
    }
}
