package jcnn.training;

/**
 * A model's performance on a dataset: the mean cross-entropy loss, the accuracy, and optionally the logits of every
 * image (what the reports in {@code jcnn.eval} need: confusion matrix, ROC AUC, ...).
 *
 * @param count    the number of images
 * @param classes  the width of the logits
 * @param loss     the mean loss over the images (NaN for an empty dataset)
 * @param accuracy the fraction classified correctly, by the first largest logit (NaN for an empty dataset)
 * @param logits   (count, classes) row-major, or null when they were not asked for
 */
public record Evaluation(int count, int classes, double loss, double accuracy, float[] logits) {

    /** The predicted class of each image (the first largest logit, as {@code torch.argmax}); needs the logits. */
    public int[] predictions() {
        if (logits == null) {
            throw new IllegalStateException("this evaluation did not keep the logits");
        }
        int[] p = new int[count];
        for (int i = 0; i < count; i++) {
            p[i] = argmax(logits, i * classes, classes);
        }
        return p;
    }

    /** The index of the first largest of {@code n} values from {@code off}, relative to {@code off}. */
    static int argmax(float[] v, int off, int n) {
        int best = 0;
        for (int j = 1; j < n; j++) {
            if (v[off + j] > v[off + best]) {
                best = j;
            }
        }
        return best;
    }
}
