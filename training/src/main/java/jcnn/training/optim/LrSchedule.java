package jcnn.training.optim;

import java.util.Locale;

/**
 * A learning-rate schedule: the rate to use for one optimizer step, as a function of training progress.
 *
 * <p>Progress is counted in steps so that schedules are smooth within an epoch (PyTorch users often step a
 * cosine schedule once per epoch; stepping it per batch is the same curve sampled more finely). An optional
 * linear warm-up from {@code base / warmupSteps} to {@code base} over the first {@code warmupSteps} steps precedes
 * every schedule.
 */
@FunctionalInterface
public interface LrSchedule {

    /**
     * The learning rate for step {@code step} (0-based) of {@code totalSteps}.
     */
    double rate(long step, long totalSteps);

    /** The same rate at every step. */
    static LrSchedule constant(double base) {
        return (step, total) -> base;
    }

    /** Multiplies the rate by {@code gamma} every {@code everySteps} steps. */
    static LrSchedule step(double base, long everySteps, double gamma) {
        if (everySteps < 1) {
            throw new IllegalArgumentException("step schedule: everySteps must be at least 1, got " + everySteps);
        }
        return (step, total) -> base * Math.pow(gamma, step / everySteps);
    }

    /** Cosine annealing from {@code base} at step 0 to {@code min} at the last step (PyTorch's CosineAnnealingLR). */
    static LrSchedule cosine(double base, double min) {
        return (step, total) -> total <= 1 ? base
                : min + (base - min) * (1 + Math.cos(Math.PI * step / (double) total)) / 2;
    }

    /**
     * PyTorch's {@code OneCycleLR} with its defaults ({@code pct_start=0.3}, {@code anneal_strategy='cos'},
     * {@code div_factor=25}, {@code final_div_factor=1e4}), without its momentum cycling: a cosine rise from
     * {@code max / 25} to {@code max} over the first 30% of the steps, then a cosine fall to {@code max / 25e4} at
     * the last step. The high rate in the middle of a short run is what makes it fast (Smith &amp; Topin 2017).
     */
    static LrSchedule oneCycle(double max) {
        double initial = max / 25, last = initial / 1e4;
        return (step, total) -> {
            double up = 0.3 * total - 1;   // PyTorch's end of phase one: float(pct_start * total_steps) - 1
            double down = total - 1;
            if (total <= 1) {
                return max;
            }
            if (step <= up) {
                return cosineBetween(initial, max, up <= 0 ? 1 : step / up);
            }
            return cosineBetween(max, last, (step - up) / (down - up));
        };
    }

    /** PyTorch's {@code _annealing_cos}: from {@code start} at 0 to {@code end} at 1. */
    private static double cosineBetween(double start, double end, double fraction) {
        return end + (start - end) / 2 * (Math.cos(Math.PI * fraction) + 1);
    }

    /** This schedule after a linear warm-up over the first {@code warmupSteps} steps. */
    default LrSchedule withWarmup(long warmupSteps) {
        if (warmupSteps <= 0) {
            return this;
        }
        LrSchedule after = this;
        return (step, total) -> step < warmupSteps
                ? after.rate(warmupSteps, total) * (step + 1) / (double) warmupSteps
                : after.rate(step, total);
    }

    /**
     * The schedule named {@code name}: {@code constant}, {@code cosine} (to zero) or {@code step} (times 0.1 at
     * one half and three quarters of training, a classic recipe) or {@code onecycle} ({@link #oneCycle}).
     */
    static LrSchedule named(String name, double base, long totalSteps) {
        switch (name.toLowerCase(Locale.ROOT)) {
            case "constant":
                return constant(base);
            case "cosine":
                return cosine(base, 0);
            case "onecycle":
                return oneCycle(base);
            case "step":
                long half = Math.max(1, totalSteps / 2), threeQuarters = Math.max(1, totalSteps * 3 / 4);
                return (step, total) -> base * (step >= threeQuarters ? 0.01 : step >= half ? 0.1 : 1);
            default:
                throw new IllegalArgumentException("unknown schedule '" + name + "': expected constant, step, cosine or onecycle");
        }
    }
}
