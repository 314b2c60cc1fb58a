package jcnn.training;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The epoch's log line, with and without a validation set. */
class EpochMetricsTest {

    @Test
    void theLineShowsValidationAndMarksTheBestEpoch() {
        EpochMetrics m = new EpochMetrics(3, 15, 0.31214, 0.88744, 0.29, 0.8951, 0.0123, 48_000, 12.0, 12.3, true);
        assertEquals("epoch 3/15  train loss 0.3121 acc 0.8874 | val loss 0.2900 acc 0.8951 * | lr 0.0123 | 12.3 s,"
                + " 4000 img/s", m.describe());
    }

    @Test
    void aRunWithNothingHeldOutSaysSoInsteadOfPrintingNaN() {
        // validation=0 (the deep recipe): every epoch's weights are "kept", and there is nothing to show for them.
        EpochMetrics m = new EpochMetrics(1, 50, 0.5172, 0.8126, Double.NaN, Double.NaN, 0.05, 60_000, 69.0, 69.1,
                true);
        assertEquals("epoch 1/50  train loss 0.5172 acc 0.8126 | no validation | lr 0.0500 | 69.1 s, 870 img/s",
                m.describe());
    }
}
