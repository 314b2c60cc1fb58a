package jcnn.eval.compare;

/**
 * How closely two models' logits on the same images agree: the fraction of images on which they predict the same
 * class, and the largest and mean absolute difference between corresponding logits.
 *
 * <p>Goal: one honest number for "the two kernel paths compute the same network". Two paths that run the same float
 * operations in the same order agree exactly (fraction 1, difference 0); a SIMD path sums in another order, so its
 * logits drift by float32 rounding, and after training a few images near a decision boundary may change class. The
 * largest |logit| is kept beside the differences so that they can be read relative to the logits' own size.
 *
 * @param images             the number of images compared
 * @param classes            logits per image
 * @param samePrediction     images on which both predict the same class (the first largest logit, as argmax)
 * @param onlyFirstCorrect   images that only the first model classifies correctly
 * @param onlySecondCorrect  images that only the second model classifies correctly
 * @param maxAbsDifference   max over all logits of |first - second| (NaN if any logit is NaN)
 * @param maxImage           the image of the largest difference (-1 when there are no images)
 * @param maxClass           the class (logit index) of the largest difference (-1 when there are no images)
 * @param meanAbsDifference  the mean of |first - second| over all images * classes logits
 * @param maxAbsLogit        the largest |logit| of either model: the scale the differences are relative to
 */
public record LogitAgreement(int images, int classes, int samePrediction, int onlyFirstCorrect,
                             int onlySecondCorrect, double maxAbsDifference, int maxImage, int maxClass,
                             double meanAbsDifference, double maxAbsLogit) {

    /**
     * Compares two (images, classes) row-major logit arrays computed on the same images.
     *
     * @param labels the true class of each image
     */
    public static LogitAgreement of(int[] labels, float[] first, float[] second, int classes) {
        if (first.length != second.length || first.length != labels.length * classes) {
            throw new IllegalArgumentException("logits of " + first.length + " and " + second.length
                    + " values for " + labels.length + " images x " + classes + " classes");
        }
        int n = labels.length;
        int same = 0, onlyFirst = 0, onlySecond = 0;
        for (int i = 0; i < n; i++) {
            int p = argmax(first, i * classes, classes);
            int q = argmax(second, i * classes, classes);
            same += p == q ? 1 : 0;
            onlyFirst += p == labels[i] && q != labels[i] ? 1 : 0;
            onlySecond += q == labels[i] && p != labels[i] ? 1 : 0;
        }
        double max = 0, sum = 0, maxLogit = 0;
        int at = n == 0 ? -1 : 0;
        for (int i = 0; i < first.length; i++) {
            double d = Math.abs((double) first[i] - second[i]);
            sum += d;
            if (d > max || Double.isNaN(d) && !Double.isNaN(max)) {   // the first NaN is the maximum, never hidden
                max = d;
                at = i;
            }
            maxLogit = Math.max(maxLogit, Math.max(Math.abs(first[i]), Math.abs(second[i])));
        }
        return new LogitAgreement(n, classes, same, onlyFirst, onlySecond, max,
                at < 0 ? -1 : at / classes, at < 0 ? -1 : at % classes,
                first.length == 0 ? 0 : sum / first.length, maxLogit);
    }

    /**
     * The first largest of {@code n} logits from {@code off}, as {@code torch.argmax} for finite values. Unlike the
     * metrics' argmax it accepts NaN (which never wins), because a comparison should report a broken path, not
     * refuse to look at it.
     */
    private static int argmax(float[] v, int off, int n) {
        int best = 0;
        for (int j = 1; j < n; j++) {
            if (v[off + j] > v[off + best]) {
                best = j;
            }
        }
        return best;
    }

    /** The fraction of images on which both predict the same class; 1 for no images. */
    public double agreement() {
        return images == 0 ? 1 : samePrediction / (double) images;
    }

    /** Whether the two sets of logits are bit for bit equal (as far as the differences can tell). */
    public boolean identical() {
        return maxAbsDifference == 0;
    }
}
