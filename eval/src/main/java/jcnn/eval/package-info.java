/**
 * Evaluation and the main program: metrics (accuracy, the classification report, confusion matrix, IoU, ROC and
 * AUC), weight import, run reports, and the comparison of the scalar and vector kernel paths.
 *
 * <p>Uses everything below it ({@code training}, {@code core}, {@code kernels}); nothing depends on it but the
 * benchmarks.
 */
package jcnn.eval;
