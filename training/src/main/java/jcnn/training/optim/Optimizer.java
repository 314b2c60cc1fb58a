package jcnn.training.optim;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
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
 * <p>What an optimizer carries from one step to the next (momentum buffers, Adam's moments and step count) is its
 * {@link State}: {@link #state()} copies it out and {@link #loadState} puts it back, so that a run resumed from a
 * checkpoint takes exactly the steps an uninterrupted run would have taken. The learning rate is not part of it:
 * the schedule sets it before every step.
 *
 * <p>Non-goals: parameter groups with different settings, sparse gradients.
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

    /**
     * The state an optimizer keeps between steps: arrays by name (one per parameter, named {@code kind.index} with
     * the index in {@link #parameters()} order, e.g. {@code momentum_buffer.3}) and scalars as strings (step counts,
     * flags). The arrays are copies, flat, each as long as its parameter.
     */
    public record State(Map<String, float[]> arrays, Map<String, String> values) {
        public State {
            arrays = Collections.unmodifiableMap(new LinkedHashMap<>(arrays));
            values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        }

        /** The state of an optimizer that keeps none. */
        public static State empty() {
            return new State(Map.of(), Map.of());
        }
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
        for (int i = 0; i < params.size(); i++) {   // indexed: the list's iterator would be garbage every step
            params.get(i).zeroGrad();
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

    /** A copy of everything this optimizer carries from one step to the next; see {@link State}. */
    public abstract State state();

    /**
     * Restores a {@link #state()} taken from an optimizer of the same kind over parameters of the same sizes.
     * Nothing is changed unless everything fits.
     *
     * @param source where the state came from, for the error message
     * @throws IllegalArgumentException naming the source and the first entry that is missing, unknown or of the
     *                                  wrong length
     */
    public abstract void loadState(State state, String source);

    /** The parameters this optimizer updates, in order. */
    public List<Tensor> parameters() {
        return params;
    }

    /** The settings in one line, e.g. {@code SGD(lr=0.05, momentum=0.9, nesterov, weight_decay=0.0005)}. */
    @Override
    public abstract String toString();

    /**
     * Checks that {@code state} holds exactly the arrays {@code kind.i} for the given kinds and every parameter
     * index {@code i} (each as long as parameter i), and exactly the scalar {@code keys}; throws naming the first
     * problem.
     */
    final void checkState(State state, String source, List<String> kinds, List<String> keys) {
        String prefix = "cannot load the state of " + getClass().getSimpleName() + " from " + source + ": ";
        Set<String> expected = new TreeSet<>();
        for (String kind : kinds) {
            for (int i = 0; i < params.size(); i++) {
                String name = kind + "." + i;
                expected.add(name);
                float[] a = state.arrays().get(name);
                if (a == null) {
                    throw new IllegalArgumentException(prefix + "array '" + name + "' is missing");
                }
                if (a.length != params.get(i).size()) {
                    throw new IllegalArgumentException(prefix + "array '" + name + "' has " + a.length
                            + " values, parameter " + i + " has " + params.get(i).size());
                }
            }
        }
        for (String name : state.arrays().keySet()) {
            if (!expected.contains(name)) {
                throw new IllegalArgumentException(prefix + "unexpected array '" + name + "'");
            }
        }
        for (String key : keys) {
            if (!state.values().containsKey(key)) {
                throw new IllegalArgumentException(prefix + "value '" + key + "' is missing");
            }
        }
        for (String key : state.values().keySet()) {
            if (!keys.contains(key)) {
                throw new IllegalArgumentException(prefix + "unexpected value '" + key + "'");
            }
        }
    }

    static void requireNonNegative(String optimizer, String name, double value) {
        if (!(value >= 0 && Double.isFinite(value))) {
            throw new IllegalArgumentException(optimizer + ": " + name + " must be a finite number >= 0, got " + value);
        }
    }
}
