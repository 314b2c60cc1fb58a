package jcnn.training;

import java.util.List;

/**
 * The record of one training run: every finished epoch's metrics, which epoch's weights were kept as the best,
 * and whether training stopped early, and why.
 *
 * @param epochs         the epochs that finished, in order (fewer than the recipe's when training stopped; a
 *                       resumed run includes the epochs of its checkpoint)
 * @param bestEpoch      the 1-based epoch with the highest validation accuracy (the last one without a validation
 *                       set); 0 when no epoch finished
 * @param diverged       whether training stopped early because a loss, gradient or weight stopped being finite
 * @param stopReason     when it did, one line naming the step and the layer (or the loss); null otherwise
 * @param skippedBatches batches skipped for a non-finite loss or gradient under {@link NanPolicy#SKIP}
 */
public record History(List<EpochMetrics> epochs, int bestEpoch, boolean diverged, String stopReason,
                      long skippedBatches) {

    public History {
        epochs = List.copyOf(epochs);
        if (diverged != (stopReason != null)) {
            throw new IllegalArgumentException("a run that diverged has a stop reason, and only such a run");
        }
    }

    /** A run that finished every epoch without skipping a batch. */
    public History(List<EpochMetrics> epochs, int bestEpoch) {
        this(epochs, bestEpoch, false, null, 0);
    }

    /** The best epoch's validation accuracy; NaN when there is none. */
    public double bestValidationAccuracy() {
        return bestEpoch == 0 ? Double.NaN : epochs.get(bestEpoch - 1).validationAccuracy();
    }

    /** The last epoch's metrics. */
    public EpochMetrics last() {
        if (epochs.isEmpty()) {
            throw new IllegalStateException("no epoch finished");
        }
        return epochs.get(epochs.size() - 1);
    }
}
