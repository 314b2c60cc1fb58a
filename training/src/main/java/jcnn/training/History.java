package jcnn.training;

import java.util.List;

/**
 * The record of one training run: every epoch's metrics, and which epoch's weights were kept as the best.
 *
 * @param epochs    the epochs that ran, in order (fewer than the recipe's when training diverged)
 * @param bestEpoch the 1-based epoch with the highest validation accuracy (the last one without a validation set);
 *                  0 when no epoch finished
 * @param diverged  whether training stopped early because the loss stopped being a finite number
 */
public record History(List<EpochMetrics> epochs, int bestEpoch, boolean diverged) {

    public History {
        epochs = List.copyOf(epochs);
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
