package jcnn.eval.report;

/**
 * What one training epoch measured, as the trainer reports it: one row of the report's epoch table and one point
 * on each training curve.
 *
 * <p>Losses are mean cross-entropy per image, accuracies fractions in [0, 1]. A run without a validation split
 * passes NaN for the two validation values; the report then leaves those cells empty and draws no validation curve.
 *
 * @param epoch 1-based epoch number
 * @param seconds wall-clock time of the epoch's training pass
 * @param imagesPerSecond training images processed per second in that pass
 * @param learningRate the learning rate in effect during the epoch (its last value when a schedule changes it within
 *     the epoch)
 */
public record EpochMetrics(
        int epoch,
        double trainLoss,
        double trainAccuracy,
        double valLoss,
        double valAccuracy,
        double seconds,
        double imagesPerSecond,
        double learningRate) {

    public EpochMetrics {
        if (epoch < 0) {
            throw new IllegalArgumentException("epoch must be >= 0, got " + epoch);
        }
    }

    /** Whether this epoch has validation numbers (a run may train on the whole training set). */
    public boolean hasValidation() {
        return !Double.isNaN(valLoss) || !Double.isNaN(valAccuracy);
    }
}
