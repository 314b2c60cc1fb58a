package jcnn.eval.metrics;

/**
 * What a ranking metric looks at: the network's raw logits or their softmax probabilities.
 *
 * <p>The two differ for ROC curves of one class against the rest: softmax divides each row by a per-sample
 * constant, which reorders samples within a column, so AUCs change. The seed study computed its one-vs-rest AUC
 * on logits; scikit-learn's multi-class {@code roc_auc_score} insists on probabilities.
 */
public enum ScoreType {

    /** The scores as given, widened to double. */
    LOGITS {
        @Override
        double[] toDouble(float[] scores, int numClasses) {
            double[] out = new double[scores.length];
            for (int i = 0; i < scores.length; i++) {
                out[i] = scores[i];
            }
            return out;
        }
    },

    /**
     * Row-wise softmax, computed in double after subtracting the row maximum, so that large logits neither
     * overflow exp nor lose the small probabilities to rounding.
     */
    SOFTMAX {
        @Override
        double[] toDouble(float[] scores, int numClasses) {
            double[] out = new double[scores.length];
            for (int row = 0; row < scores.length; row += numClasses) {
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < numClasses; j++) {
                    max = Math.max(max, scores[row + j]);
                }
                double sum = 0;
                for (int j = 0; j < numClasses; j++) {
                    out[row + j] = Math.exp(scores[row + j] - max);
                    sum += out[row + j];
                }
                for (int j = 0; j < numClasses; j++) {
                    out[row + j] /= sum;
                }
            }
            return out;
        }
    };

    /** scores (n, numClasses) row-major -> the same shape in double. */
    abstract double[] toDouble(float[] scores, int numClasses);

    /** The scores of one type as a fresh (n, numClasses) row-major array, for callers outside this package. */
    public double[] apply(float[] scores, int numClasses) {
        Checks.numClasses(numClasses);
        Checks.scores(scores, scores.length / numClasses, numClasses);
        return toDouble(scores, numClasses);
    }
}
