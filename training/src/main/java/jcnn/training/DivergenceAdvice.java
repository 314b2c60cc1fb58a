package jcnn.training;

import java.util.Locale;

/**
 * What to change when training diverged: the end of the one-line message a stopped run prints. It used to suggest
 * lowering lr whatever the cause, also for {@code -DweightDecay=1e30}, where lowering lr tenfold changes nothing.
 *
 * <p>The rule, from the update itself: weight decay shrinks each weight by {@code lr * weightDecay} of itself per
 * step (SGD, SAM, the seed's optimizer and AdamW alike; Adam adds {@code weightDecay * w} to the gradient). Once
 * that product reaches 1 the decay alone overshoots zero and every step grows the weights, whatever the data. With a
 * weight decay of 1 or more that happens at any lr that trains (lr &lt;= 1), so weightDecay is the setting to lower;
 * below 1 it is lr (which also brings the product down).
 */
public final class DivergenceAdvice {

    private DivergenceAdvice() {
    }

    /** {@code " (lower weightDecay=1.0E30: ...)"} or {@code " (lower lr=1000000.0)"}, to append to the message. */
    public static String of(Recipe recipe) {
        double product = recipe.lr() * recipe.weightDecay();
        if (recipe.weightDecay() >= 1) {
            return String.format(Locale.ROOT, " (lower weightDecay=%s: lr x weightDecay = %.3g, and from 1 on the"
                    + " decay alone overshoots zero every step; the default is 5e-4)", recipe.weightDecay(), product);
        }
        return " (lower lr=" + recipe.lr() + ")";
    }
}
