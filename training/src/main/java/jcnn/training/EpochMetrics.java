package jcnn.training;

import java.util.Locale;

/**
 * What one epoch of training measured. Losses are means over images; accuracies are fractions in [0, 1]. The
 * training figures are taken on the fly, from each batch's forward pass before its update (as the seed notebook and
 * most PyTorch loops do), so they lag the end-of-epoch weights a little; the validation figures are computed
 * after the epoch, under {@link jcnn.core.NoGrad}. Without a validation set they are NaN.
 *
 * @param epoch              1-based
 * @param epochs             how many the run has in all
 * @param trainLoss          the mean training loss over the epoch (NaN once training diverged)
 * @param trainAccuracy      the fraction of training images classified correctly during the epoch
 * @param validationLoss     the mean loss on the validation set after the epoch
 * @param validationAccuracy the validation accuracy after the epoch
 * @param learningRate       the rate of the epoch's last step
 * @param trainImages        images trained on in this epoch
 * @param trainSeconds       wall time of the training steps alone
 * @param seconds            wall time of the whole epoch, validation included
 * @param best               whether this epoch's validation accuracy is the best so far (its weights are kept)
 */
public record EpochMetrics(int epoch, int epochs, double trainLoss, double trainAccuracy, double validationLoss,
                           double validationAccuracy, double learningRate, int trainImages, double trainSeconds,
                           double seconds, boolean best) {

    /** Training throughput: images per second of the training steps (forward, backward and update). */
    public double imagesPerSecond() {
        return trainSeconds > 0 ? trainImages / trainSeconds : Double.NaN;
    }

    /**
     * One line for a log: {@code epoch 3/15  train loss 0.3121 acc 0.8874 | val loss ... | 12.3 s, 4012 img/s}; a
     * run with nothing held out ({@code validation=0}) says {@code no validation} there instead of NaNs.
     */
    public String describe() {
        String validation = Double.isNaN(validationAccuracy) ? "no validation"
                : String.format(Locale.ROOT, "val loss %.4f acc %.4f%s", validationLoss,
                        validationAccuracy, best ? " *" : "");
        return String.format(Locale.ROOT,
                "epoch %d/%d  train loss %.4f acc %.4f | %s | lr %.3g | %.1f s, %.0f img/s",
                epoch, epochs, trainLoss, trainAccuracy, validation, learningRate, seconds, imagesPerSecond());
    }
}
