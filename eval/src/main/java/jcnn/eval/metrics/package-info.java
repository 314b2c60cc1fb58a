/**
 * Classification metrics on plain arrays, with the numbers and the text that scikit-learn would give.
 *
 * <p>For: accuracy and top-k accuracy ({@link jcnn.eval.metrics.ClassificationMetrics}); the confusion matrix and
 * per-class IoU ({@link jcnn.eval.metrics.ConfusionMatrix}); the classification report, printed character for
 * character as scikit-learn's {@code classification_report} ({@link jcnn.eval.metrics.ClassificationReport});
 * one-vs-rest ROC curves and AUC, and Hand &amp; Till's one-vs-one AUC ({@link jcnn.eval.metrics.RocAuc}).
 * Inputs are {@code int[]} labels in [0, numClasses) and {@code float[]} scores of n samples by numClasses,
 * row-major; logits unless a {@link jcnn.eval.metrics.ScoreType} says otherwise.
 *
 * <p>Not for: tensors, models or data loading (this package knows nothing of them, so it can judge any
 * classifier); multi-label problems; speed beyond O(n log n) per curve.
 */
package jcnn.eval.metrics;
