package jcnn.training;

import java.util.Locale;

/**
 * What the {@link Trainer} does with a batch whose loss or gradient is not a finite number ({@code -DnanPolicy}).
 * Either way that batch never updates the weights or the optimizer's state.
 */
public enum NanPolicy {
    /** Stop training, naming the step and the layer; the last checkpoint (of the last good epoch) stays. */
    STOP,
    /** Skip the batch (no update), count it and go on; the count is in {@link History#skippedBatches()}. */
    SKIP;

    /** The policy {@code -DnanPolicy=stop|skip} names (case-insensitive); stop when {@code value} is null. */
    public static NanPolicy parse(String value) {
        if (value == null) {
            return STOP;
        }
        switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "stop":
                return STOP;
            case "skip":
                return SKIP;
            default:
                throw new IllegalArgumentException("invalid nanPolicy=" + value + ": expected stop or skip");
        }
    }
}
