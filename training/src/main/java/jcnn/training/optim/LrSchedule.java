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
     * one half and three quarters of training, a classic recipe).
     */
    static LrSchedule named(String name, double base, long totalSteps) {
        switch (name.toLowerCase(Locale.ROOT)) {
            case "constant":
                return constant(base);
            case "cosine":
                return cosine(base, 0);
            case "step":
                long half = Math.max(1, totalSteps / 2), threeQuarters = Math.max(1, totalSteps * 3 / 4);
                return (step, total) -> base * (step >= threeQuarters ? 0.01 : step >= half ? 0.1 : 1);
            default:
                throw new IllegalArgumentException("unknown schedule '" + name + "': expected constant, step or cosine");
        }
    }
}
