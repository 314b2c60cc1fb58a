package jcnn.training.optim;

import java.util.List;
import java.util.Objects;
import jcnn.core.Tensor;

/**
 * Updates a fixed list of parameters from their gradients, PyTorch's {@code torch.optim.Optimizer} in miniature.
 *
 * <p>The contract, as in PyTorch: the caller zeroes the gradients ({@link #zeroGrad()}), runs forward and
 * backward, then calls {@link #step()}. Optimizers that need the loss and gradients at more than one point (SAM)
 * take a {@link Closure} that does that whole sequence, via {@link #step(Closure)}; every optimizer accepts that
 * form, so a trainer written against {@code step(closure)} works with all of them.
 *
 * <p>The learning rate is set before each step by whoever owns the schedule ({@link #setLearningRate}); an
 * optimizer never changes it itself. The hot loops are the elementwise kernels of the current
 * {@link jcnn.core.Engine} ({@code axpy}, {@code scaleAdd}, {@code adamUpdate}, ...), fetched at each step.
 *
 * <p>Non-goals: parameter groups with different settings, sparse gradients, saving optimizer state.
 */
public abstract class Optimizer {

    /**
     * Recomputes the loss and the gradients at the current parameters: zero the gradients, forward, backward,
     * return the loss. PyTorch's {@code closure} argument of {@code optimizer.step}.
     */
    @FunctionalInterface
    public interface Closure {
        float evaluate();
    }

    /** The parameters, in the model's order; each requires a gradient. */
    protected final List<Tensor> params;
    private double lr;

    /**
     * @throws IllegalArgumentException when there are no parameters, one does not require a gradient, or the
     *                                  learning rate is not a positive finite number
     */
    protected Optimizer(List<Tensor> params, double lr) {
        Objects.requireNonNull(params, "params");
        if (params.isEmpty()) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": no parameters to optimize");
        }
        for (int i = 0; i < params.size(); i++) {
            if (!params.get(i).requiresGrad()) {
                throw new IllegalArgumentException(getClass().getSimpleName() + ": parameter " + i + " "
                        + params.get(i) + " does not require a gradient");
            }
        }
        this.params = List.copyOf(params);
        setLearningRate(lr);
    }

    /** One update from the gradients now held by the parameters. */
    public abstract void step();

    /**
     * Evaluates {@code closure} once (loss and gradients at the current parameters), then {@link #step()}s;
     * returns the loss. Optimizers that need more evaluations override this.
     */
    public float step(Closure closure) {
        float loss = closure.evaluate();
        step();
        return loss;
    }

    /** Zeroes every parameter's gradient. */
    public void zeroGrad() {
        for (Tensor p : params) {
            p.zeroGrad();
        }
    }

    public double learningRate() {
        return lr;
    }

    /** The rate the next {@link #step()} uses; a schedule calls this before every step. */
    public void setLearningRate(double lr) {
        if (!(lr > 0 && Double.isFinite(lr))) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": learning rate must be a positive"
                    + " finite number, got " + lr);
        }
        this.lr = lr;
    }

    /** The parameters this optimizer updates, in order. */
    public List<Tensor> parameters() {
        return params;
    }

    /** The settings in one line, e.g. {@code SGD(lr=0.05, momentum=0.9, nesterov, weight_decay=0.0005)}. */
    @Override
    public abstract String toString();

    static void requireNonNegative(String optimizer, String name, double value) {
        if (!(value >= 0 && Double.isFinite(value))) {
            throw new IllegalArgumentException(optimizer + ": " + name + " must be a finite number >= 0, got " + value);
        }
    }
}
