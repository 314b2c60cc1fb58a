package jcnn.training.nn;

import java.util.Arrays;
import jcnn.core.Ops;
import jcnn.core.Tensor;

/**
 * Batch normalisation over the channels of an image batch, PyTorch's {@code nn.BatchNorm2d(features, eps=1e-5,
 * momentum=0.1)} with its defaults {@code affine=True, track_running_stats=True}.
 * <pre>
 * weight (c)               ones     trained: the scale gamma
 * bias (c)                 zeros    trained: the shift beta
 * running_mean (c)         zeros    buffer
 * running_var (c)          ones     buffer
 * num_batches_tracked ()   0        buffer, int64 in PyTorch's files and here
 * </pre>
 * In training mode each batch is normalised with its own mean and biased variance, and the running statistics move
 * towards them by {@code momentum} (the variance unbiased, as PyTorch); in evaluation mode the running statistics
 * normalise. The names and their order are PyTorch's {@code state_dict()}'s.
 *
 * <p>Non-goals: {@code momentum=None} (the cumulative average), {@code affine=False},
 * {@code track_running_stats=False}.
 */
public final class BatchNorm2d extends Module {

    /** PyTorch's defaults. */
    public static final double EPS = 1e-5, MOMENTUM = 0.1;

    private final int features;
    private final double eps;
    private final double momentum;
    private final Tensor weight;
    private final Tensor bias;
    private final Tensor runningMean;
    private final Tensor runningVar;
    private final Tensor batchesTracked;

    /** PyTorch's {@code nn.BatchNorm2d(features)}: eps 1e-5, momentum 0.1. */
    public BatchNorm2d(int features) {
        this(features, EPS, MOMENTUM);
    }

    /** @throws IllegalArgumentException when features is below 1, eps not positive or momentum outside [0, 1] */
    public BatchNorm2d(int features, double eps, double momentum) {
        String settings = "BatchNorm2d(features=" + features + ", eps=" + eps + ", momentum=" + momentum + ")";
        Conv2d.require(features >= 1, settings, "features must be >= 1, got " + features);
        Conv2d.require(eps > 0, settings, "eps must be > 0, got " + eps);
        Conv2d.require(momentum >= 0 && momentum <= 1, settings, "momentum must be in [0, 1], got " + momentum);
        this.features = features;
        this.eps = eps;
        this.momentum = momentum;
        float[] ones = new float[features];
        Arrays.fill(ones, 1f);
        this.weight = addParameter("weight", Tensor.of(ones.clone(), features));
        this.bias = addParameter("bias", Tensor.zeros(features));
        this.runningMean = addBuffer("running_mean", Tensor.zeros(features));
        this.runningVar = addBuffer("running_var", Tensor.of(ones, features));
        this.batchesTracked = addIntegerBuffer("num_batches_tracked", Tensor.zeros());
    }

    /** {@inheritDoc} <pre>x (n,c,h,w) -> y (n,c,h,w)</pre> */
    /** {@inheritDoc} In evaluation mode only: training mode normalises with the batch's statistics. */
    @Override
    public boolean independentPerSample() {
        return !isTraining();
    }

    @Override
    public Tensor forward(Tensor x) {
        if (isTraining()) {
            batchesTracked.data()[0] += 1;
        }
        return Ops.batchNorm2d(x, weight, bias, runningMean, runningVar, isTraining(), momentum, eps);
    }

    @Override
    public int[] outputShape(int[] input) {
        if (input.length != 4 || input[1] != features) {
            throw new IllegalArgumentException(this + " expects input (n," + features + ",h,w) but got "
                    + shapeString(input));
        }
        return input.clone();
    }

    public Tensor weight() {
        return weight;
    }

    public Tensor bias() {
        return bias;
    }

    public Tensor runningMean() {
        return runningMean;
    }

    public Tensor runningVar() {
        return runningVar;
    }

    /** The number of training batches seen, PyTorch's {@code num_batches_tracked}. */
    public long batchesTracked() {
        return (long) batchesTracked.data()[0];
    }

    @Override
    public String toString() {
        return "BatchNorm2d(" + features + ", eps=" + eps + ", momentum=" + momentum + ")";
    }
}
