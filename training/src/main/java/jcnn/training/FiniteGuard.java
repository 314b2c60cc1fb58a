package jcnn.training;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import jcnn.core.Tensor;

/**
 * The non-finite guard around each training step: inside the step the loss and then every gradient must be
 * finite, or the step is abandoned before the optimizer can use them; around the step, the {@link NanPolicy} says
 * what an abandoned step means (stop training, naming the epoch, batch and layer, or skip the batch and count it).
 * After an epoch the weights themselves must be finite (an update can overflow), or training stops there.
 *
 * <p>Why a wrapper and not checks in the loop: the loop then reads as the plain zero-grad, forward, backward,
 * step of any textbook, with one line to ask for a finite loss and one for finite gradients.
 */
final class FiniteGuard {

    /**
     * The parameters in reverse order, the order backward computes their gradients in: the first non-finite one
     * there is where the trouble started.
     */
    private final List<Map.Entry<String, Tensor>> backwardOrder;
    private final NanPolicy policy;
    private final int epochs;
    private final int stepsPerEpoch;
    private long skipped;
    private long skippedAtEpochStart;
    private String stopReason;

    /** @param skipped batches skipped before (by the run a checkpoint continues) */
    FiniteGuard(Map<String, Tensor> parameters, NanPolicy policy, int epochs, int stepsPerEpoch, long skipped) {
        List<Map.Entry<String, Tensor>> reversed = new ArrayList<>(parameters.entrySet());
        Collections.reverse(reversed);
        this.backwardOrder = List.copyOf(reversed);
        this.policy = Objects.requireNonNull(policy, "policy");
        this.epochs = epochs;
        this.stepsPerEpoch = stepsPerEpoch;
        this.skipped = skipped;
    }

    /** Inside a step, after forward and backward: abandons the step when the loss is not finite. */
    void requireFiniteLoss(float value) {
        if (!Float.isFinite(value)) {
            throw new NonFinite("the loss is " + value);
        }
    }

    /** Inside a step, after backward: abandons the step when a gradient is not finite, naming the first one. */
    void requireFiniteGradients() {
        for (Map.Entry<String, Tensor> e : backwardOrder) {
            if (!allFinite(e.getValue().grad())) {
                throw new NonFinite("non-finite gradient of " + e.getKey() + " (layer " + layerOf(e.getKey()) + ")");
            }
        }
    }

    /**
     * Runs one step of the 1-based {@code epoch}, at 0-based {@code batch}; true when it was taken, false when it was
     * abandoned: then the batch is skipped and counted, or training is to stop ({@link #stopped()}).
     */
    boolean step(int epoch, int batch, Runnable step) {
        try {
            step.run();
            return true;
        } catch (NonFinite e) {
            if (policy == NanPolicy.SKIP) {
                skipped++;
            } else {
                stopReason = String.format("training stopped at epoch %d/%d, batch %d/%d (step %d): %s", epoch,
                        epochs, batch + 1, stepsPerEpoch, (long) (epoch - 1) * stepsPerEpoch + batch + 1,
                        e.getMessage());
            }
            return false;
        }
    }

    /** Before an epoch's steps: its skipped batches are counted from here. */
    void startEpoch() {
        skippedAtEpochStart = skipped;
    }

    /**
     * After an epoch's steps: stops training when more than half of the epoch's batches were skipped (the model
     * has diverged and is no longer learning: keeping its weights as a result would hide that; a lr of 1e6 used to
     * skip 48 of 50 batches and save the ruined weights), or when a weight is no longer finite (an update
     * overflowed).
     */
    void checkEpoch(int epoch) {
        long skippedNow = skipped - skippedAtEpochStart;
        if (2 * skippedNow > stepsPerEpoch) {
            stopReason = String.format("training diverged at epoch %d/%d: %d of its %d batches were skipped for a"
                    + " non-finite loss or gradient (nanPolicy=skip)", epoch, epochs, skippedNow, stepsPerEpoch);
            return;
        }
        for (Map.Entry<String, Tensor> e : backwardOrder) {
            if (!allFinite(e.getValue().data())) {
                stopReason = String.format("training stopped after epoch %d/%d: the weights of %s (layer %s)"
                        + " are not finite", epoch, epochs, e.getKey(), layerOf(e.getKey()));
                return;
            }
        }
    }

    boolean stopped() {
        return stopReason != null;
    }

    /** Why training stopped; null while it has not. */
    String stopReason() {
        return stopReason;
    }

    /** Batches skipped so far, those of a resumed run's checkpoint included. */
    long skipped() {
        return skipped;
    }

    private static boolean allFinite(float[] v) {
        for (float x : v) {
            if (!Float.isFinite(x)) {
                return false;
            }
        }
        return true;
    }

    /** {@code fc1.weight} -> {@code fc1}: the layer a parameter belongs to. */
    private static String layerOf(String parameter) {
        int dot = parameter.lastIndexOf('.');
        return dot < 0 ? parameter : parameter.substring(0, dot);
    }

    /**
     * A step abandoned for a non-finite loss or gradient, thrown from inside the optimizer's closure so that the
     * optimizer never gets to use it (SAM restores its weights on the way out). No stack trace: it is control flow.
     */
    private static final class NonFinite extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NonFinite(String what) {
            super(what, null, false, false);
        }
    }
}
