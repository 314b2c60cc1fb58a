package jcnn.training;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import jcnn.core.Tensor;
import jcnn.training.nn.Module;

/**
 * An exponential moving average of a model's weights (Polyak averaging as in {@code torch.optim.swa_utils} /
 * timm's {@code ModelEmaV2}): after every optimizer step, {@code avg = d * avg + (1 - d) * w}. The average of the
 * last few hundred steps sits nearer the bottom of the valley the noisy SGD iterates bounce around in, so it
 * usually validates better than the last iterate, at no cost in training steps.
 *
 * <p>The decay warms up as {@code min(d, (1 + t) / (10 + t))} at step t, so that in a short run the average is
 * not dominated by the random initial weights. The update is one plain float loop per tensor, the same on every
 * kernel path and thread count. {@link #swap} exchanges the average with the model's weights, for validation and
 * for the kept best weights, and back.
 *
 * <p><b>Batch normalisation.</b> Evaluation reads a model's running statistics too ({@code running_mean},
 * {@code running_var}), which are buffers, not parameters. An average built from the parameters alone (the
 * {@link #WeightAverage(List, double)} constructor) leaves the live model's running statistics beside the averaged
 * weights: validation and the kept weights then pair statistics gathered under the latest weights with an average
 * of older ones. {@link #ofState}, which {@code Trainer} uses, averages the whole floating-point state, buffers
 * included, as timm's {@code ModelEmaV2} averages the whole {@code state_dict()} (the integer
 * {@code num_batches_tracked} is left as it is); for a model without buffers the two are the same.
 */
public final class WeightAverage {

    private final List<Tensor> params;
    private final List<float[]> average = new ArrayList<>();
    private final double decay;
    private long steps;

    /** An average that starts at the current values of {@code params}. */
    public WeightAverage(List<Tensor> params, double decay) {
        if (!(decay > 0 && decay < 1)) {
            throw new IllegalArgumentException("ema decay must be in (0, 1), got " + decay);
        }
        this.params = List.copyOf(params);
        this.decay = decay;
        for (Tensor p : this.params) {
            average.add(p.data().clone());
        }
    }

    /**
     * An average of {@code model}'s parameters and floating-point buffers (batch norm's running mean and variance),
     * in {@link Module#namedState()} order: what evaluation reads, so that swapping it in evaluates one consistent
     * state. The integer buffers ({@code num_batches_tracked}) are not averaged.
     */
    public static WeightAverage ofState(Module model, double decay) {
        Set<String> integers = model.integerBufferNames();
        List<Tensor> floats = new ArrayList<>();
        model.namedState().forEach((name, t) -> {
            if (!integers.contains(name)) {
                floats.add(t);
            }
        });
        return new WeightAverage(floats, decay);
    }

    /** The decay used at the next update. */
    double currentDecay() {
        return Math.min(decay, (1.0 + steps) / (10.0 + steps));
    }

    /** Folds the current weights into the average: call after every optimizer step. */
    public void update() {
        float d = (float) currentDecay(), keep = 1 - d;
        for (int t = 0; t < params.size(); t++) {
            float[] w = params.get(t).data(), a = average.get(t);
            for (int i = 0; i < a.length; i++) {
                a[i] = d * a[i] + keep * w[i];
            }
        }
        steps++;
    }

    /** Exchanges the averaged weights and the model's: the model then holds the average, and this the weights. */
    public void swap() {
        for (int t = 0; t < params.size(); t++) {
            float[] w = params.get(t).data(), a = average.get(t);
            for (int i = 0; i < a.length; i++) {
                float x = w[i];
                w[i] = a[i];
                a[i] = x;
            }
        }
    }

    /** The number of updates so far. */
    public long steps() {
        return steps;
    }
}
