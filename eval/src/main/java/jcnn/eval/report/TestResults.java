package jcnn.eval.report;

import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import jcnn.eval.metrics.ClassificationMetrics;
import jcnn.eval.metrics.ClassificationReport;
import jcnn.eval.metrics.ConfusionMatrix;
import jcnn.eval.metrics.RocAuc;
import jcnn.eval.metrics.ScoreType;

/**
 * Everything the report shows about the test set. {@link #compute} fills it from labels and logits with the
 * metrics package; the canonical constructor takes numbers computed elsewhere (a report re-rendered from a saved
 * run, or a test).
 *
 * @param classNames one per class, by label
 * @param accuracy top-1 accuracy in [0, 1]
 * @param topKAccuracy k -> top-k accuracy, ascending k; may be empty
 * @param classificationReport scikit-learn's text, as {@link ClassificationReport#format} prints it
 * @param confusion rows = true class, columns = predicted class
 * @param iou per-class intersection over union, by label
 * @param rocOneVsRest the one-vs-rest curves and AUCs; the report plots these curves
 * @param rocScores what the one-vs-rest curves ranked (the seed study used logits)
 * @param ovoMacroAuc Hand &amp; Till's M; NaN if not computed
 * @param ovoScores what M ranked (scikit-learn requires softmax probabilities)
 * @param gallery test images to show (confused pairs, correct samples); {@link Gallery#NONE} without images
 */
public record TestResults(
        List<String> classNames,
        double accuracy,
        SortedMap<Integer, Double> topKAccuracy,
        String classificationReport,
        ConfusionMatrix confusion,
        double[] iou,
        RocAuc.OneVsRest rocOneVsRest,
        ScoreType rocScores,
        double ovoMacroAuc,
        ScoreType ovoScores,
        Gallery gallery) {

    /** The k of {@link #compute}'s top-k accuracies: 1 is the accuracy itself, the others show near misses. */
    public static final int[] DEFAULT_TOP_K = {1, 2, 3, 5};

    public TestResults {
        classNames = List.copyOf(classNames);
        int k = classNames.size();
        if (confusion.numClasses() != k) {
            throw new IllegalArgumentException(k + " class names for a " + confusion.numClasses() + "-class matrix");
        }
        if (iou.length != k) {
            throw new IllegalArgumentException(iou.length + " IoU values for " + k + " classes");
        }
        if (rocOneVsRest.curves().size() != k || rocOneVsRest.auc().length != k) {
            throw new IllegalArgumentException("one-vs-rest ROC has " + rocOneVsRest.curves().size()
                    + " curves for " + k + " classes");
        }
        topKAccuracy = Collections.unmodifiableSortedMap(new TreeMap<>(topKAccuracy));
        iou = iou.clone();
        gallery = gallery == null ? Gallery.NONE : gallery;
    }

    /** Results without images to show. */
    public TestResults(List<String> classNames, double accuracy, SortedMap<Integer, Double> topKAccuracy,
                       String classificationReport, ConfusionMatrix confusion, double[] iou,
                       RocAuc.OneVsRest rocOneVsRest, ScoreType rocScores, double ovoMacroAuc, ScoreType ovoScores) {
        this(classNames, accuracy, topKAccuracy, classificationReport, confusion, iou, rocOneVsRest, rocScores,
                ovoMacroAuc, ovoScores, Gallery.NONE);
    }

    /**
     * {@link #compute(int[], float[], String[])} and the report's {@link Gallery} of these grey test images
     * ({@code images}: n * rows * cols values as the model saw them).
     */
    public static TestResults compute(int[] trueLabels, float[] logits, String[] classNames, float[] images, int rows,
                                      int cols) {
        return compute(trueLabels, logits, classNames, images, 1, rows, cols);
    }

    /**
     * {@link #compute(int[], float[], String[])} and the report's {@link Gallery} of these test images
     * ({@code images}: n * channels * rows * cols values as the model saw them; 3 channels are drawn in colour).
     */
    public static TestResults compute(int[] trueLabels, float[] logits, String[] classNames, float[] images,
                                      int channels, int rows, int cols) {
        TestResults t = compute(trueLabels, logits, classNames);
        return new TestResults(t.classNames, t.accuracy, t.topKAccuracy, t.classificationReport, t.confusion, t.iou,
                t.rocOneVsRest, t.rocScores, t.ovoMacroAuc, t.ovoScores,
                Gallery.of(images, channels, rows, cols, trueLabels, logits, classNames.length, Gallery.PAIRS,
                        Gallery.PER_PAIR, Gallery.CORRECT_PER_CLASS));
    }

    /**
     * All test metrics of a classifier: the one-vs-rest ROC on logits (as the seed study, so its mean AUC of
     * 0.98873 is comparable) and Hand &amp; Till's one-vs-one AUC on softmax probabilities (as scikit-learn
     * computes it). The classification report has 2 digits, as the seed study printed it, so the two can be
     * diffed; the HTML tables show more.
     *
     * @param trueLabels n labels in [0, classNames.length)
     * @param logits (n, classNames.length) row-major
     */
    public static TestResults compute(int[] trueLabels, float[] logits, String[] classNames) {
        int k = classNames.length;
        int[] predicted = ClassificationMetrics.argmax(logits, k);
        ConfusionMatrix confusion = ConfusionMatrix.of(trueLabels, predicted, k);
        SortedMap<Integer, Double> topK = new TreeMap<>();
        for (int top : DEFAULT_TOP_K) {
            if (top <= k) {
                topK.put(top, ClassificationMetrics.topKAccuracy(trueLabels, logits, k, top));
            }
        }
        return new TestResults(
                List.of(classNames),
                confusion.accuracy(),
                topK,
                ClassificationReport.of(confusion).format(classNames, 2),
                confusion,
                confusion.iou(),
                RocAuc.oneVsRest(trueLabels, logits, k, ScoreType.LOGITS),
                ScoreType.LOGITS,
                RocAuc.oneVsOne(trueLabels, logits, k, ScoreType.SOFTMAX).macroAuc(),
                ScoreType.SOFTMAX);
    }

    /** A copy: the array is mutable and records hand out their fields. */
    @Override
    public double[] iou() {
        return iou.clone();
    }

    /** The mean of the per-class IoUs (NaN if any is NaN: a class that never occurs should be noticed). */
    public double meanIou() {
        double sum = 0;
        for (double v : iou) {
            sum += v;
        }
        return sum / iou.length;
    }
}
