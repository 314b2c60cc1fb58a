package jcnn.eval.metrics;

/**
 * Accuracy and top-k accuracy over plain arrays: labels as {@code int[]}, scores as a row-major
 * {@code float[]} of n samples by k classes (logits, or anything where larger means "more likely").
 *
 * <p>Ties are decided the same way everywhere in this class: <b>the lower class index wins</b>. That is what
 * {@code numpy.argmax} and {@code torch.argmax} do (first maximum), so {@link #argmax} gives the predictions the
 * seed study's PyTorch code would, and top-1 accuracy equals the accuracy of those predictions. PyTorch's
 * {@code topk} documents no order among equal values; ranking ties by index makes the result reproducible.
 */
public final class ClassificationMetrics {

    private ClassificationMetrics() {
    }

    /** The fraction of samples whose prediction equals the true label. */
    public static double accuracy(int[] trueLabels, int[] predicted) {
        Checks.sameLength("trueLabels", trueLabels.length, "predicted", predicted.length);
        if (trueLabels.length == 0) {
            throw new IllegalArgumentException("no samples: accuracy is undefined");
        }
        long correct = 0;
        for (int i = 0; i < trueLabels.length; i++) {
            if (trueLabels[i] == predicted[i]) {
                correct++;
            }
        }
        return (double) correct / trueLabels.length;
    }

    /** scores (n, numClasses) -> the index of each row's largest score; the first one on ties. */
    public static int[] argmax(float[] scores, int numClasses) {
        Checks.numClasses(numClasses);
        int n = scores.length / numClasses;
        Checks.scores(scores, n, numClasses);
        int[] predicted = new int[n];
        for (int i = 0; i < n; i++) {
            int row = i * numClasses;
            int best = 0;
            for (int j = 1; j < numClasses; j++) {
                if (scores[row + j] > scores[row + best]) {   // strict: an equal later score does not win
                    best = j;
                }
            }
            predicted[i] = best;
        }
        return predicted;
    }

    /**
     * The fraction of samples whose true class is among the k highest scores.
     *
     * <p>The true class t of a sample has rank {@code #{j : s_j > s_t} + #{j < t : s_j == s_t}}: classes with a
     * higher score come first, and among equal scores the lower index comes first. The sample counts as a hit when
     * that rank is below k. So top-1 accuracy equals {@code accuracy(trueLabels, argmax(scores))}, and
     * top-numClasses accuracy is 1.
     *
     * @param scores (n, numClasses) row-major
     */
    public static double topKAccuracy(int[] trueLabels, float[] scores, int numClasses, int k) {
        Checks.labels("trueLabels", trueLabels, numClasses);
        Checks.scores(scores, trueLabels.length, numClasses);
        if (k < 1 || k > numClasses) {
            throw new IllegalArgumentException("k must be in [1, " + numClasses + "], got " + k);
        }
        long hits = 0;
        for (int i = 0; i < trueLabels.length; i++) {
            int row = i * numClasses;
            int t = trueLabels[i];
            float st = scores[row + t];
            int rank = 0;
            for (int j = 0; j < numClasses; j++) {
                if (scores[row + j] > st || (scores[row + j] == st && j < t)) {
                    rank++;
                }
            }
            if (rank < k) {
                hits++;
            }
        }
        return (double) hits / trueLabels.length;
    }
}
