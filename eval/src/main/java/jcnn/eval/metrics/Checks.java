package jcnn.eval.metrics;

/**
 * Argument checks shared by the metrics. A metric computed on a mislabelled or misshapen array still returns a
 * plausible-looking number, so every entry point checks its inputs and says which element is wrong.
 */
final class Checks {

    private Checks() {
    }

    static void numClasses(int numClasses) {
        if (numClasses < 1) {
            throw new IllegalArgumentException("numClasses must be >= 1, got " + numClasses);
        }
    }

    /** Every label lies in [0, numClasses), and there is at least one. */
    static void labels(String what, int[] labels, int numClasses) {
        numClasses(numClasses);
        if (labels.length == 0) {
            throw new IllegalArgumentException(what + " is empty: a metric of no samples is undefined");
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= numClasses) {
                throw new IllegalArgumentException(
                        what + "[" + i + "] = " + labels[i] + " is outside [0, " + numClasses + ")");
            }
        }
    }

    static void sameLength(String a, int lengthA, String b, int lengthB) {
        if (lengthA != lengthB) {
            throw new IllegalArgumentException(a + " has " + lengthA + " samples but " + b + " has " + lengthB);
        }
    }

    /** scores is (n, numClasses) row-major and holds no NaN (a NaN has no rank, so no metric can use it). */
    static void scores(float[] scores, int n, int numClasses) {
        if ((long) n * numClasses != scores.length) {
            throw new IllegalArgumentException("scores has " + scores.length + " values, expected n x numClasses = "
                    + n + " x " + numClasses + " = " + (long) n * numClasses);
        }
        for (int i = 0; i < scores.length; i++) {
            if (Float.isNaN(scores[i])) {
                throw new IllegalArgumentException(
                        "scores[" + i / numClasses + ", " + i % numClasses + "] is NaN");
            }
        }
    }
}
