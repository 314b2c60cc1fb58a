package jcnn.eval;

import java.util.Locale;
import jcnn.eval.metrics.ClassificationMetrics;
import jcnn.eval.metrics.ClassificationReport;
import jcnn.eval.metrics.ConfusionMatrix;
import jcnn.eval.metrics.RocAuc;
import jcnn.eval.metrics.ScoreType;

/**
 * Everything the seed study reported about a model on a test set, and what it could not: accuracy, the
 * classification report, the confusion matrix, per-class IoU, one-vs-rest ROC AUC on logits (as the seed did),
 * the one-vs-one AUC of Hand and Till on softmax probabilities (which the seed printed as NaN), and top-k accuracy.
 *
 * @param labels     the true classes, (n)
 * @param logits     the model's outputs, (n, classes) row-major
 * @param predicted  the arg-max class of each row, (n)
 * @param classNames one name per class
 */
public record TestResults(int[] labels, float[] logits, int[] predicted, String[] classNames,
                          ClassificationReport report, RocAuc.OneVsRest rocLogits, RocAuc.OneVsOne handTill,
                          double top2, double top3) {

    /** Computes every metric from the logits of a whole test set. */
    public static TestResults of(int[] labels, float[] logits, String[] classNames) {
        int classes = classNames.length;
        if (logits.length != labels.length * classes) {
            throw new IllegalArgumentException("logits (" + logits.length + " values) do not match " + labels.length
                    + " labels x " + classes + " classes");
        }
        int[] predicted = ClassificationMetrics.argmax(logits, classes);
        ClassificationReport report = ClassificationReport.of(labels, predicted, classes);
        return new TestResults(labels, logits, predicted, classNames, report,
                RocAuc.oneVsRest(labels, logits, classes, ScoreType.LOGITS),
                RocAuc.oneVsOne(labels, logits, classes, ScoreType.SOFTMAX),
                ClassificationMetrics.topKAccuracy(labels, logits, classes, 2),
                ClassificationMetrics.topKAccuracy(labels, logits, classes, 3));
    }

    public double accuracy() {
        return report.accuracy();
    }

    public ConfusionMatrix confusion() {
        return report.matrix();
    }

    /** scikit-learn's classification report, 2 digits, with the class names. */
    public String reportText() {
        return report.format(classNames, 2);
    }

    /** The text block the main program prints and saves: report, confusion matrix, IoU, AUCs, top-k. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        sb.append(reportText()).append('\n');
        sb.append("confusion matrix (rows: true class, columns: predicted)\n");
        sb.append(confusion().render(classNames)).append('\n');
        double[] iou = confusion().iou();
        sb.append("per-class IoU:");
        for (double v : iou) {
            sb.append(String.format(Locale.ROOT, " %.4f", v));
        }
        sb.append('\n');
        sb.append(String.format(Locale.ROOT, "mean one-vs-rest ROC AUC (logits): %.5f%n", rocLogits.macroAuc()));
        sb.append(String.format(Locale.ROOT, "one-vs-one ROC AUC (Hand & Till, softmax): %.5f%n", handTill.macroAuc()));
        sb.append(String.format(Locale.ROOT, "top-2 accuracy: %.4f, top-3 accuracy: %.4f%n", top2, top3));
        return sb.toString();
    }

    /** The closing line of every run, {@code test accuracy: 0.XXXX}. */
    public String accuracyLine() {
        return String.format(Locale.ROOT, "test accuracy: %.4f", accuracy());
    }
}
